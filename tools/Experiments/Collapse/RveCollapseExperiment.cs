using System.Diagnostics;
using System.Globalization;
using System.Text;
using FemHost.Experiments.Multiscale;
using FemHost.Experiments.Reporting;
using FemHost.MaterialData;

namespace FemHost.Experiments.Collapse;

/// <summary>
/// Why RVEs of an FD-HMM run lose their stress (issue 15). The Gauss-point strain histories of an FD-HMM M2 run
/// (its point log) are replayed on their RVE through <c>femhost point</c> with the run's parameters and with one
/// micro-scale control changed at a time: the loading rate (the cap on the DEM steps of one increment, which sets
/// the inertial number I = ε̇ d̄ √(ρ/p) of large increments) and the relaxation after an increment (a fixed count
/// or until the unbalanced force ratio falls below a tolerance). A collapse that the replay with the run's
/// parameters reproduces and a slower or better relaxed replay does not is an artefact of the RVE control; one
/// that every replay shows is imposed by the strain path, i.e. by the FEM solution (its tolerance among others).
/// Writes <c>collapse.csv</c> (one row per variant and path), <c>summary.md</c> and <c>pressure.png</c>.
/// </summary>
public sealed class RveCollapseExperiment : IExperiment
{
    /// <summary>The micro-scale controls compared: name, what it changes, parameter overrides.</summary>
    public static IReadOnlyList<(string Name, string What, IReadOnlyDictionary<string, object> Overrides)> Variants { get; } =
    [
        ("as-run", "the run's parameters (fixed 200-step relaxation, loading capped at maxLoadSteps = 2 500 steps)", new Dictionary<string, object>()),
        ("slow-loading", "no cap on the loading steps: every increment at maxStrainPerStep = 2e-6 per step (I ~ 1e-4 at 100 kPa)",
            new Dictionary<string, object> { ["maxLoadSteps"] = 100_000_000L }),
        ("equilibrium", "relaxation until the unbalanced force ratio < 1e-3 (at least 200, at most 20 000 steps)",
            new Dictionary<string, object> { ["relaxation"] = "equilibrium", ["unbalancedTolerance"] = 1e-3, ["maxRelaxationSteps"] = 20_000L }),
        ("slow+equilibrium", "both",
            new Dictionary<string, object> { ["maxLoadSteps"] = 100_000_000L, ["relaxation"] = "equilibrium", ["unbalancedTolerance"] = 1e-3, ["maxRelaxationSteps"] = 20_000L }),
    ];

    /// <inheritdoc/>
    public string Name => "rve-collapse";

    /// <inheritdoc/>
    public string Summary => "why FD-HMM RVEs lose their stress: Gauss-point histories of the FD-HMM M2 run replayed through femhost point at other loading rates and relaxation criteria (issue 15)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string folder = ctx.FolderOf(Name);
        string source = Environment.GetEnvironmentVariable(MultiscaleExperiment.M2FolderVariable) is { Length: > 0 } given
            ? Path.GetFullPath(given) : Path.Combine(ctx.ResultsRoot, "multiscale", "fdhmm-m2");
        string log = Path.Combine(source, "points-all.csv");
        if (!File.Exists(log))
        {
            throw new ExperimentException($"'{log}' is missing: the collapse study replays the point log of an FD-HMM M2 run. Run the multiscale experiment first " +
                $"('experiments/run.sh {(ctx.Quick ? "--quick" : "--full")} multiscale') or set {MultiscaleExperiment.M2FolderVariable} to the folder of a `femhost run` of cases/biaxial-dem-m2.yaml.");
        }

        var data = PathDatasetReader.Read(log);
        var logged = data.Paths.ToDictionary(p => p.Id, p => RveHistory.Of(p, data.Info));
        var picked = Pick(data.Paths, logged, ctx.Quick ? 4 : 24);
        Console.Error.WriteLine($"  {data.Paths.Count} Gauss points in {source}: {logged.Values.Count(h => h.CollapsedAtEnd)} end collapsed (p < {RveHistory.CollapsePressure} kPa), " +
            $"{logged.Values.Count(h => h.PassedThroughCollapse)} pass through it; replaying {picked.Count} ({picked.Count(p => logged[p.Id].CollapsedAtEnd)} collapsed)");

        double p0 = -0.5 * (data.Paths[0].Rows[0].Stress[0] + data.Paths[0].Rows[0].Stress[1]);
        var results = new List<(string Variant, int Path, RveHistory History, double Seconds)>();
        foreach (var (variant, _, overrides) in Variants)
        {
            var parameters = new Dictionary<string, object>(data.Info.Source.Parameters, StringComparer.Ordinal) { ["tangentMethod"] = "contact" };
            foreach (var (k, v) in overrides)
            {
                parameters[k] = v;
            }

            // One RVE per replay runs on one thread: the replays of a variant run side by side, one per core.
            Parallel.ForEach(picked, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
            {
                string name = $"{variant.Replace('+', '-')}-gp{path.Id}";
                string driver = Path.Combine(folder, "drivers", name + ".yaml"), csv = Path.Combine(folder, "replays", name + ".csv");
                TextFile.Write(driver, PathReplay.DriverYaml(name, path, parameters, p0));
                var clock = Stopwatch.StartNew();
                ctx.RunTool(ctx.FemHost, ["point", driver, "--output", csv], folder, name);
                var history = RveHistory.OfDriverCsv(csv);
                lock (results)
                {
                    results.Add((variant, path.Id, history, clock.Elapsed.TotalSeconds));
                }
            });

            var mine = results.Where(r => r.Variant == variant).ToList();
            Console.Error.WriteLine($"  {variant}: {mine.Count(r => r.History.CollapsedAtEnd)} of {mine.Count} end collapsed, {mine.Count(r => r.History.PassedThroughCollapse)} pass through it, " +
                $"{TextFile.F(mine.Average(r => r.History.MeanDemSteps), "F0")} DEM steps per increment, {TextFile.F(mine.Sum(r => r.Seconds), "F0")} s");
        }

        var order = Variants.Select((v, i) => (v.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);
        Report(folder, source, data, logged, picked, [.. results.OrderBy(r => order[r.Variant]).ThenBy(r => r.Path)]);
    }

    /// <summary>Every collapsed point up to <paramref name="count"/> (evenly spread over them) and as many intact ones, evenly spread.</summary>
    internal static List<DatasetPath> Pick(IReadOnlyList<DatasetPath> paths, IReadOnlyDictionary<int, RveHistory> logged, int count)
    {
        static IEnumerable<DatasetPath> Spread(List<DatasetPath> from, int n) =>
            from.Count <= n ? from : Enumerable.Range(0, n).Select(i => from[(int)((i + 0.5) * from.Count / n)]);
        var collapsed = paths.Where(p => logged[p.Id].CollapsedAtEnd).ToList();
        var intact = paths.Where(p => !logged[p.Id].CollapsedAtEnd).ToList();
        var chosen = Spread(collapsed, count).ToList();
        chosen.AddRange(Spread(intact, count));
        return chosen;
    }

    private static void Report(string folder, string source, PathDataset data, IReadOnlyDictionary<int, RveHistory> logged, List<DatasetPath> picked,
        List<(string Variant, int Path, RveHistory History, double Seconds)> results)
    {
        var c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("variant,path,logged_collapsed,final_p_kPa,min_p_kPa,min_coordination,mean_dem_steps,max_unbalanced,seconds\n");
        foreach (var r in results)
        {
            csv.AppendLine(c, $"{r.Variant},{r.Path},{(logged[r.Path].CollapsedAtEnd ? 1 : 0)},{r.History.FinalPressure:R},{r.History.MinPressure:R},{r.History.MinCoordination:R},{r.History.MeanDemSteps:R},{r.History.MaxUnbalanced:R},{r.Seconds:R}");
        }

        TextFile.Write(Path.Combine(folder, "collapse.csv"), csv.ToString());

        var sb = new StringBuilder();
        sb.AppendLine("# RVE collapse: Gauss-point histories replayed on their RVE (issue 15)");
        sb.AppendLine();
        string parameters = string.Join(", ", data.Info.Source.Parameters.Select(kv => $"{kv.Key} = {kv.Value}"));
        sb.AppendLine(c, $"Source: the point log of `{source}` ({data.Paths.Count} Gauss points, {data.Paths[0].Rows.Count - 1} increments each); material {data.Info.Source.Material} with {parameters}.");
        sb.AppendLine(c, $"In the run, {logged.Values.Count(h => h.CollapsedAtEnd)} RVEs end collapsed (p < {RveHistory.CollapsePressure} kPa) and {logged.Values.Count(h => h.PassedThroughCollapse)} pass through it.");
        sb.AppendLine(c, $"Replayed: {picked.Count} points, {picked.Count(p => logged[p.Id].CollapsedAtEnd)} of them collapsed in the run; each with `femhost point` (strain-controlled, one segment per converged increment of the run).");
        sb.AppendLine();
        sb.AppendLine("| variant | what changes | collapsed at the end (of those collapsed in the run) | collapsed at the end (of the others) | pass through collapse | DEM steps per increment | largest unbalanced ratio | replay time (sum) |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (variant, what, _) in Variants)
        {
            var mine = results.Where(r => r.Variant == variant).ToList();
            var wasCollapsed = mine.Where(r => logged[r.Path].CollapsedAtEnd).ToList();
            var wasIntact = mine.Where(r => !logged[r.Path].CollapsedAtEnd).ToList();
            sb.AppendLine(c, $"| {variant} | {what} | {wasCollapsed.Count(r => r.History.CollapsedAtEnd)}/{wasCollapsed.Count} | {wasIntact.Count(r => r.History.CollapsedAtEnd)}/{wasIntact.Count} | " +
                $"{mine.Count(r => r.History.PassedThroughCollapse)}/{mine.Count} | {TextFile.F(mine.Average(r => r.History.MeanDemSteps), "F0")} | {TextFile.F(mine.Max(r => r.History.MaxUnbalanced), "G3")} | {TextFile.F(mine.Sum(r => r.Seconds), "F0")} s |");
        }

        TextFile.Write(Path.Combine(folder, "summary.md"), sb.ToString());

        // p along the histories of the first collapsed and the first intact point, one line per variant.
        var panels = new List<Figure>();
        foreach (var path in new[] { picked.FirstOrDefault(p => logged[p.Id].CollapsedAtEnd), picked.FirstOrDefault(p => !logged[p.Id].CollapsedAtEnd) })
        {
            if (path is null)
            {
                continue;
            }

            var fig = new Figure($"Gauss point {path.Id} ({(logged[path.Id].CollapsedAtEnd ? "collapsed" : "intact")} in the run)", "increment", "p = -(s11 + s22)/2 (kPa)");
            var steps = path.Rows.Select(r => (double)r.Step).ToArray();
            fig.Line(steps, path.Rows.Select(r => -0.5 * (r.Stress[0] + r.Stress[1])).ToArray(), 0, "FEM run", dashed: true);
            for (int v = 0; v < Variants.Count; v++)
            {
                string name = $"{Variants[v].Name.Replace('+', '-')}-gp{path.Id}";
                var rows = File.ReadAllLines(Path.Combine(folder, "replays", name + ".csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
                var header = File.ReadLines(Path.Combine(folder, "replays", name + ".csv")).First().Split(',').ToList();
                int s11 = header.IndexOf("sig_11"), s22 = header.IndexOf("sig_22");
                fig.Line(Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(),
                    rows.Select(r => -0.5 * (double.Parse(r[s11], c) + double.Parse(r[s22], c))).ToArray(), v + 1, Variants[v].Name);
            }

            panels.Add(fig);
        }

        if (panels.Count > 0)
        {
            FigureGrid.Save(Path.Combine(folder, "pressure.png"), panels, panels.Count);
        }
    }
}
