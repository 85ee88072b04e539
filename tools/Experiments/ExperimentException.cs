namespace FemHost.Experiments;

/// <summary>
/// A failure the user can act on (a missing input folder, a tool that exited with an error, a bad option):
/// the message is printed as one paragraph, without a stack trace, and the program exits with code 1.
/// </summary>
public sealed class ExperimentException : Exception
{
    /// <summary>Creates the exception with its one-paragraph message.</summary>
    public ExperimentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-paragraph message and the underlying cause.</summary>
    public ExperimentException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ExperimentException()
        : base("experiment failed")
    {
    }
}
