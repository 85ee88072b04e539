using System.Diagnostics;

namespace FemHost.Experiments;

/// <summary>Command-line front end: parses the options, resolves the experiment names and runs them in order.</summary>
public static class ExperimentCli
{
    /// <summary>Runs the command line; returns the exit code (0 ok, 1 failure, 2 usage).</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var mode = ExperimentMode.Quick;
        string? outRoot = null;
        var names = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    mode = ExperimentMode.Quick;
                    break;
                case "--full":
                    mode = ExperimentMode.Full;
                    break;
                case "--out" when i + 1 < args.Count:
                    outRoot = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage());
                    return 0;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        Console.Error.WriteLine($"femhost-experiments: unknown option '{args[i]}'.\n{Usage()}");
                        return 2;
                    }

                    names.Add(args[i]);
                    break;
            }
        }

        if (names.Count == 0)
        {
            Console.Error.WriteLine(Usage());
            return 2;
        }

        var selected = new List<IExperiment>();
        foreach (string name in names)
        {
            if (name == "all")
            {
                selected.AddRange(ExperimentCatalog.All);
                continue;
            }

            var e = ExperimentCatalog.Find(name);
            if (e is null)
            {
                Console.Error.WriteLine($"femhost-experiments: unknown experiment '{name}'; expected one of {string.Join(", ", ExperimentCatalog.All.Select(x => x.Name))} or 'all'.");
                return 2;
            }

            selected.Add(e);
        }

        // Run in dependency order, each once, whatever order the names were given in.
        selected = [.. ExperimentCatalog.All.Where(selected.Contains)];
        string? root = ExperimentContext.FindRepoRoot(Directory.GetCurrentDirectory())
            ?? ExperimentContext.FindRepoRoot(AppContext.BaseDirectory);
        if (root is null)
        {
            Console.Error.WriteLine("femhost-experiments: run it inside the FemHost repository (no FemHost.sln found above the current folder).");
            return 2;
        }

        var ctx = new ExperimentContext(root, mode, outRoot);
        foreach (var experiment in selected)
        {
            Console.Error.WriteLine($"== {experiment.Name} ({mode.ToString().ToLowerInvariant()}): {experiment.Summary}");
            var watch = Stopwatch.StartNew();
            try
            {
                experiment.Run(ctx);
            }
            catch (ExperimentException ex)
            {
                Console.Error.WriteLine($"femhost-experiments: {experiment.Name} failed: {ex.Message}");
                return 1;
            }

            ctx.Timings.Record(new StageTiming(experiment.Name, "total", watch.Elapsed.TotalSeconds, DateTime.UtcNow));
            Console.Error.WriteLine($"== {experiment.Name} done in {watch.Elapsed.TotalSeconds:F1} s -> {ctx.FolderOf(experiment.Name)}");
        }

        return 0;
    }

    /// <summary>The usage text, listing the experiments.</summary>
    public static string Usage()
    {
        var lines = new List<string>
        {
            "usage: femhost-experiments [--quick|--full] [--out DIR] EXPERIMENT...",
            "  --quick   small sizes, the whole chain in minutes (default)",
            "  --full    the paper's sizes",
            "  --out     results root (default results/experiments/MODE)",
            "experiments (run in this order; each reads the folders of the earlier ones):",
        };
        lines.AddRange(ExperimentCatalog.All.Select(e => $"  {e.Name,-11} {e.Summary}"));
        lines.Add("  all         every experiment above, in order");
        return string.Join('\n', lines);
    }
}
