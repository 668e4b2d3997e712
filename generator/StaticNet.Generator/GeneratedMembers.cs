using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StaticNet.Generator;

/// <summary>
/// The names of the members the emitter declares in a network class, so the parser can report
/// a user-declared member that would collide with one. A test compiles a network and checks
/// that this list and the emitted members agree.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>Inputs and outputs up to this many values get the fixed-size Input and Output types.</summary>
    public const int TypedValuesLimit = 4096;

    /// <summary>Inputs up to this many values also get a constructor taking each value.</summary>
    public const int PositionalConstructorLimit = 16;

    private static readonly string[] Fixed =
    [
        "InputSize", "OutputSize", "ParameterCount", "ParameterStorageLength", "MaxHiddenUnits",
        "s_shape", "s_layout", "_parameters", "Shape", "Parameters", "Summary", "Load", "CopyParametersTo", "CopyParametersFrom", "Predict", "PredictBatch", "InferInRegisters", "InferInLanes",
        "Input", "Output",
    ];

    /// <summary>Declared besides, in a network that compiles in a trained model file.</summary>
    private static readonly string[] Trained = ["TrainedParameterData", "TrainedMetadata", "s_trainedMetadata", "LoadTrainedParameters", "WithTrainedParameters"];

    /// <summary>Declared only in a network that trains.</summary>
    private static readonly string[] Training = ["Initialize", "InitializeParameters"];

    public static IEnumerable<string> Names(int layerCount, bool trained, bool training = true)
    {
        foreach (string name in Fixed.Concat(trained ? Trained : []).Concat(training ? Training : []))
        {
            yield return name;
        }

        for (int i = 0; i < layerCount; i++)
        {
            string layer = "Layer" + i.ToString(CultureInfo.InvariantCulture);
            yield return layer + "Weights";
            yield return layer + "Bias";
            yield return layer + "Predict";
        }
    }
}
