using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>
/// One tensor of a model file and where its values sit in the canonical parameter layout:
/// per layer, <c>layers.{i}.weight</c> [units, inputs] row-major, then <c>layers.{i}.bias</c> [units] unless the layer
/// has none, which is PyTorch's <c>nn.Linear</c> convention.
/// </summary>
internal readonly record struct ModelTensor(string Name, long[] Shape, int Offset, int Count)
{
    /// <summary>The tensors of a shape, in canonical-layout order.</summary>
    public static List<ModelTensor> Of(NetworkShape shape)
    {
        var tensors = new List<ModelTensor>(2 * shape.Layers.Count);
        int offset = 0;
        for (int i = 0; i < shape.Layers.Count; i++)
        {
            DenseLayer layer = shape.Layers[i];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"layers.{i}.");
            tensors.Add(new ModelTensor(prefix + "weight", [layer.Units, layer.Inputs], offset, layer.Units * layer.Inputs));
            offset += layer.Units * layer.Inputs;
            if (layer.UseBias)
            {
                tensors.Add(new ModelTensor(prefix + "bias", [layer.Units], offset, layer.Units));
                offset += layer.Units;
            }
        }

        return tensors;
    }
}
