namespace StaticNet;

/// <summary>What Fit and Evaluate write while they run, as Keras' <c>verbose</c>.</summary>
public enum Verbosity
{
    /// <summary>A live progress bar when the output is a terminal, and one line per epoch otherwise, as Keras' <c>"auto"</c>.</summary>
    Auto,

    /// <summary>Nothing, as Keras' <c>verbose=0</c>.</summary>
    Silent,

    /// <summary>
    /// A progress bar redrawn during each epoch with its running figures, as Keras' <c>verbose=1</c>; on an
    /// output that is not a terminal, which cannot redraw a line, only each epoch's final line.
    /// </summary>
    ProgressBar,

    /// <summary>One line per epoch once it ends, as Keras' <c>verbose=2</c>.</summary>
    EpochLines,
}
