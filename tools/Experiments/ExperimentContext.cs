namespace FemHost.Experiments;

/// <summary>
/// What every experiment gets: the mode (quick or full), the results folders, the built tools and helpers to run
/// them, and the stage timer. Results of mode m lie under <c>results/experiments/m/NAME/</c> unless <c>--out</c>
/// names another root.
/// </summary>
public sealed class ExperimentContext
{
    /// <summary>Creates a context for a repository checkout.</summary>
    /// <param name="repoRoot">Repository root (the folder holding FemHost.sln).</param>
    /// <param name="mode">Quick or full sizes.</param>
    /// <param name="resultsRoot">Results root; null for <c>results/experiments/MODE</c> in the repository.</param>
    public ExperimentContext(string repoRoot, ExperimentMode mode, string? resultsRoot = null)
    {
        RepoRoot = Path.GetFullPath(repoRoot);
        Mode = mode;
        ResultsRoot = Path.GetFullPath(resultsRoot ?? Path.Combine(RepoRoot, "results", "experiments", mode.ToString().ToLowerInvariant()));
        Timings = new StageTimings(Path.Combine(ResultsRoot, "timings.json"));
        string Release(string project, string name) =>
            Path.Combine(RepoRoot, Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", name + ".dll");
        FemHost = new ToolPath("femhost", "src/FemHost/FemHost.csproj", Path.Combine(RepoRoot, "artifacts", "femhost", "femhost.dll"));
        Trainer = new ToolPath("femhost-train", "tools/NeuralTrainer/NeuralTrainer.csproj", Release("tools/NeuralTrainer/NeuralTrainer.csproj", "femhost-train"));
        DhSequences = new ToolPath("dh-sequences", "tools/DhSequences/DhSequences.csproj", Release("tools/DhSequences/DhSequences.csproj", "dh-sequences"));
        DemLab = new ToolPath("demrve-bench", "bench/DemRve.Bench/DemRve.Bench.csproj", Release("bench/DemRve.Bench/DemRve.Bench.csproj", "demrve-bench"));
    }

    /// <summary>Repository root.</summary>
    public string RepoRoot { get; }

    /// <summary>Quick or full sizes.</summary>
    public ExperimentMode Mode { get; }

    /// <summary>True in quick mode.</summary>
    public bool Quick => Mode == ExperimentMode.Quick;

    /// <summary>Root of this mode's results; each experiment has a folder below it.</summary>
    public string ResultsRoot { get; }

    /// <summary>Wall time per stage, written to <c>timings.json</c> at the results root.</summary>
    public StageTimings Timings { get; }

    /// <summary>The FEM host (<c>artifacts/femhost/femhost.dll</c>).</summary>
    public ToolPath FemHost { get; }

    /// <summary>The neural trainer <c>femhost-train</c>.</summary>
    public ToolPath Trainer { get; }

    /// <summary>The DH sequence generator <c>dh-sequences</c>.</summary>
    public ToolPath DhSequences { get; }

    /// <summary>The DEM virtual laboratory (<c>demrve-bench lab</c>).</summary>
    public ToolPath DemLab { get; }

    /// <summary>The results folder of an experiment, created if needed.</summary>
    public string FolderOf(string experiment)
    {
        string folder = Path.Combine(ResultsRoot, experiment);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// A file another experiment must have written; throws a clear error naming the experiment to run first
    /// (in the same mode) when it is missing.
    /// </summary>
    public string RequireInput(string experiment, string fileName)
    {
        string file = Path.Combine(ResultsRoot, experiment, fileName);
        if (!File.Exists(file))
        {
            string mode = Quick ? "--quick" : "--full";
            throw new ExperimentException(
                $"input '{file}' is missing: it is written by the '{experiment}' experiment. Run it first " +
                $"('experiments/run.sh {mode} {experiment}', or 'all' for the whole chain in order).");
        }

        return file;
    }

    /// <summary>Runs a built tool as a child process with a live progress line; its output goes to <c>FOLDER/logs/LOG.log</c>.</summary>
    public void RunTool(ToolPath tool, IReadOnlyList<string> arguments, string experimentFolder, string logName)
    {
        ToolRunner.Run(tool, arguments, RepoRoot, Path.Combine(experimentFolder, "logs", logName + ".log"));
    }

    /// <summary>Finds the repository root: the nearest folder holding FemHost.sln above <paramref name="start"/>.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FemHost.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
