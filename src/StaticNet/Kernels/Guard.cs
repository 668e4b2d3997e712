using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace StaticNet.Kernels;

/// <summary>Argument checks shared by generated networks, kept out of their hot methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Guard
{
    /// <summary>Throws unless a single sample's span has exactly the expected width.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="expected">The width the network needs.</param>
    /// <param name="parameterName">The argument's name.</param>
    /// <param name="network">The network's name, for the message.</param>
    public static void Width(int actual, int expected, string parameterName, string network)
    {
        if (actual != expected)
        {
            ThrowWidth(actual, expected, parameterName, network);
        }
    }

    /// <summary>Throws unless a single sample's span has exactly the expected width, naming the network's type only to throw.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="expected">The width the network needs.</param>
    /// <param name="parameterName">The argument's name.</param>
    /// <param name="network">The network.</param>
    public static void Width(int actual, int expected, string parameterName, INetwork network)
    {
        if (actual != expected)
        {
            ThrowWidth(actual, expected, parameterName, network.GetType().Name);
        }
    }

    /// <summary>Throws unless <paramref name="part"/> is one of <paramref name="parts"/> parts.</summary>
    public static void Part(int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if ((uint)part >= (uint)parts)
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, $"Part {part} of {parts}: parts are numbered from 0 to one below their count.");
        }
    }

    /// <summary>
    /// Returns the number of rows of a row-major batch, throwing unless the inputs and outputs
    /// hold whole rows of the network's widths and the same number of them.
    /// </summary>
    public static int Rows(int inputLength, int inputWidth, int outputLength, int outputWidth, string network)
    {
        if (inputLength % inputWidth != 0)
        {
            throw new ArgumentException(
                $"The inputs hold {inputLength} values, which is not a whole number of rows of {inputWidth}, the input width of {network}.",
                "inputs");
        }

        int rows = inputLength / inputWidth;
        if (outputLength != rows * outputWidth)
        {
            throw new ArgumentException(
                $"The outputs hold {outputLength} values but {rows} rows of {network}'s output width {outputWidth} need {rows * outputWidth}.",
                "outputs");
        }

        return rows;
    }

    /// <summary>Throws unless a buffer of parameter-sized state has the storage length.</summary>
    public static void StorageLength(int actual, int expected, string parameterName)
    {
        if (actual < expected)
        {
            throw new ArgumentException(
                $"The buffer holds {actual} values but the network's parameter storage needs {expected}.",
                parameterName);
        }
    }

    /// <summary>
    /// Throws unless a training batch fits the network: buffers made for its shape, a row count
    /// within them, and inputs holding exactly that many rows. The network's name is read only to throw,
    /// so the check allocates nothing.
    /// </summary>
    public static void Batch(int inputLength, int rows, StaticNet.Training.TrainingBuffers buffers, INetwork network)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        NetworkShape shape = network.Shape;
        if (!ReferenceEquals(buffers.Shape, shape) && !buffers.Shape.Equals(shape))
        {
            throw new ArgumentException($"The buffers were made for {buffers.Shape}, but {network.GetType().Name} is {shape}.", nameof(buffers));
        }

        if (rows < 1 || rows > buffers.MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A batch needs 1 to {buffers.MaxRows} rows, the size the buffers were made for.");
        }

        if (inputLength != rows * shape.Inputs)
        {
            throw new ArgumentException(
                $"The inputs hold {inputLength} values but {rows} rows of {network.GetType().Name}'s input width {shape.Inputs} need {rows * shape.Inputs}.",
                "inputs");
        }
    }

    /// <summary>
    /// Throws unless [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) lies
    /// within the parameter storage and both ends are whole vectors (multiples of <see cref="ParameterStorage.Alignment"/>).
    /// </summary>
    public static void StorageRange(int start, int length, int storageLength)
    {
        if (start < 0 || length < 0 || start > storageLength - length || start % ParameterStorage.Alignment != 0 || length % ParameterStorage.Alignment != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"The range [{start}, {start + length}) is not a run of whole {ParameterStorage.Alignment}-float vectors within the {storageLength} parameters of storage.");
        }
    }

    [DoesNotReturn]
    private static void ThrowWidth(int actual, int expected, string parameterName, string network) =>
        throw new ArgumentException(
            $"The {parameterName} has {actual} values but {network} takes {expected}.", parameterName);
}
