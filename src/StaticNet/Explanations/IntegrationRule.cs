namespace StaticNet;

/// <summary>How <see cref="InputGradients.IntegratedGradients"/> approximates the path integral, as Captum's <c>method</c>.</summary>
public enum IntegrationRule
{
    /// <summary>Gauss–Legendre quadrature, Captum's default (<c>"gausslegendre"</c>): exact for polynomials of degree 2n - 1 along the path.</summary>
    GaussLegendre,

    /// <summary>Points k/n for k = 0 … n - 1, each weighing 1/n (<c>"riemann_left"</c>).</summary>
    RiemannLeft,

    /// <summary>Points (k + 1)/n, each weighing 1/n (<c>"riemann_right"</c>).</summary>
    RiemannRight,

    /// <summary>Points (k + ½)/n, each weighing 1/n (<c>"riemann_middle"</c>).</summary>
    RiemannMiddle,

    /// <summary>Points k/(n - 1), the two ends weighing half the others (<c>"riemann_trapezoid"</c>).</summary>
    RiemannTrapezoid,
}

/// <summary>What an integrated-gradients explanation's attributions add up to, against what they should.</summary>
/// <param name="OutputDifference">f(x) - f(baseline): the change of the explained output along the path.</param>
/// <param name="CompletenessError">The sum of the attributions less <paramref name="OutputDifference"/>; 0 for an exact integral.</param>
public readonly record struct IntegratedGradientsResult(double OutputDifference, double CompletenessError);
