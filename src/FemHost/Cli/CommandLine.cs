using System.Reflection;
using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Output;
using FemHost.Plugins;

namespace FemHost.Cli;

/// <summary>Runs one verb: its arguments (after the verb) and the writer for normal output; returns the exit code.</summary>
public delegate int CommandHandler(string[] args, TextWriter output);

/// <summary>A verb of the command line.</summary>
/// <param name="Summary">One line for `femhost --help`.</param>
/// <param name="Help">Full help for `femhost VERB --help` (usage line, options, what it writes).</param>
/// <param name="Run">The handler.</param>
public sealed record Command(string Summary, string Help, CommandHandler Run);

/// <summary>
/// The `femhost` command line: a table of verbs, one registration line each, and the exit-code policy:
/// 0 success, 2 user error (message without stack trace), 3 run stopped (a plug-in failed; message without
/// stack trace), 1 unexpected error (with the trace).
/// </summary>
public static class CommandLine
{
    /// <summary>The verbs, one line each. Add a verb by adding a line.</summary>
    public static IReadOnlyDictionary<string, Command> Verbs { get; } = new Dictionary<string, Command>(StringComparer.Ordinal)
    {
        ["validate"] = new("check a case file and its material parameters without running it", ValidateCommand.Help, ValidateCommand.Run),
        ["plugins"] = new("list the material plug-ins found, with their parameters", PluginsCommand.Help, PluginsCommand.Run),
        ["point"] = new("drive one material point along a strain/stress path (MTest-like)", PointCommand.Help, PointCommand.Run),
        ["check-material"] = new("run the conformance checks of the plug-in author kit on an installed material", CheckMaterialCommand.Help, CheckMaterialCommand.Run),
        ["run"] = new("solve a case: Newton–Raphson with load stepping; writes .vtu/.pvd fields, curves.csv and plots", RunCommand.Help, RunCommand.Run),
    };

    /// <summary>Version of the host (assembly informational version) and of the material SDK.</summary>
    public static string VersionText
    {
        get
        {
            var host = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(CommandLine).Assembly.GetName().Version?.ToString() ?? "?";
            return $"femhost {host.Split('+')[0]} (material SDK {SdkInfo.Version})";
        }
    }

    /// <summary>Runs the command line and maps errors to exit codes.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return Dispatch(args, output);
        }
        catch (Exception e) when (e is UserInputException or MaterialParameterException)
        {
            error.WriteLine($"femhost: error: {e.Message}");
            return 2;
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            // An environment error: every result file is written atomically, so what was there before is intact.
            error.WriteLine($"femhost: stopped: {DiskFull.Describe(e)}; no earlier result was replaced: free space and run again");
            return 3;
        }
        catch (PluginCallException e)
        {
            // A plug-in failed outside Integrate before the run could start (Initialize, LoadCheckpoint): a clean stop.
            error.WriteLine($"femhost: stopped: {e.Message}; nothing was computed");
            return 3;
        }
        catch (Exception e)
        {
            error.WriteLine($"femhost: internal error (please report it with the case file): {e}");
            return 1;
        }
    }

    private static int Dispatch(string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.Write(Usage());
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] is "--version" or "-V")
        {
            output.WriteLine(VersionText);
            return 0;
        }

        if (!Verbs.TryGetValue(args[0], out var command))
        {
            var suggestion = KeySuggestion.Closest(args[0], Verbs.Keys);
            var hint = suggestion is null ? "" : $"did you mean '{suggestion}'? ";
            throw new CliUsageException($"unknown command '{args[0]}'; {hint}expected one of: {string.Join(", ", Verbs.Keys)} (see `femhost --help`)");
        }

        var rest = args[1..];
        if (rest.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(command.Help.TrimEnd());
            return 0;
        }

        return command.Run(rest, output);
    }

    /// <summary>The top-level help text.</summary>
    public static string Usage()
    {
        var width = Verbs.Keys.Max(k => k.Length);
        var lines = Verbs.Select(kv => $"  {kv.Key.PadRight(width)}  {kv.Value.Summary}");
        return $"""
            {VersionText}
            Implicit finite-element host for plane-strain problems with run-time material plug-ins.

            Usage: femhost COMMAND [ARGS] [--help]
                   femhost --version

            Commands:
            {string.Join(Environment.NewLine, lines)}

            Plug-ins are searched in --plugin-dir folders, then ${Plugins.PluginCatalog.PathVariable} (':'-separated),
            then the plugins/ folder next to femhost. Exit codes: 0 success, 2 input error, 3 run stopped, 1 internal error.

            """;
    }
}
