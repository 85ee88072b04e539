namespace FemHost;

/// <summary>Entry point of the `femhost` command line (replaced by the CLI of the foundation issue).</summary>
public static class Program
{
    /// <summary>Runs the CLI.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("femhost: the command line is being assembled; no commands yet.");
        return args.Length == 0 ? 2 : 2;
    }
}
