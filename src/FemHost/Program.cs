using FemHost.Cli;

namespace FemHost;

/// <summary>Entry point of the `femhost` command line.</summary>
public static class Program
{
    /// <summary>Runs the command line; the exit code is 0 on success, 2 on a user error, 1 on an internal error.</summary>
    public static int Main(string[] args) => CommandLine.Run(args, Console.Out, Console.Error);
}
