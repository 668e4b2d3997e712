using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StaticNet.Generator.Model;

/// <summary>
/// What parsing one declaration produced: a network to emit, diagnostics, or both. Only
/// <see cref="Network"/> feeds the source output, so the diagnostics may hold real locations:
/// they go to their own output, where a location in a syntax tree is what lets
/// <c>#pragma warning disable</c> and editor squiggles work.
/// </summary>
/// <param name="Network">The network, or <see langword="null"/> when the declaration cannot be built.</param>
/// <param name="Diagnostics">What the declaration itself is reported for.</param>
/// <param name="WeightsLocation">Where the <c>Weights</c> argument is, for the diagnostics about its file.</param>
internal sealed record ParseResult(NetworkSpec? Network, ImmutableArray<Diagnostic> Diagnostics, Location? WeightsLocation = null);
