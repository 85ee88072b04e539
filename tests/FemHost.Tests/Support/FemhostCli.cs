using FemHost.Cli;

namespace FemHost.Tests.Support;

/// <summary>Runs the `femhost` command line in-process, capturing what it writes.</summary>
internal static class FemhostCli
{
    /// <summary>Exit code, standard output and standard error of `femhost ARGS`.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
