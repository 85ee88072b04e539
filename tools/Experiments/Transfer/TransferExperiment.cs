using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FemHost.Experiments.Calibration;
using FemHost.Experiments.Pretrain;
using FemHost.Experiments.Reporting;
using FemHost.MaterialData;

namespace FemHost.Experiments.Transfer;

/// <summary>
/// Paper §3.2.2, Fig. 7–10: DEM drained element tests at confining pressures 25–1000 kPa (the target), the GRU
/// sequence model pre-trained on the synthetic DH set (the source), and the four schemes — no transfer,
/// freeze + fine-tune, full fine-tune, transfer + active learning — for several budgets N of target training
/// paths and seeds, scored on the same unseen test paths (<c>femhost-train sweep</c>). Writes the DEM data,
/// the sweep tables, <c>mse-vs-n.png</c> (Fig. 7), <c>active-picks.png</c> (Fig. 10) and <c>summary.md</c>.
/// </summary>
public sealed class TransferExperiment : IExperiment
{
    /// <summary>The target dataset (DEM paths with geotechnical columns).</summary>
    public const string TargetFile = "dem-paths.csv";

    /// <summary>GRU inputs: axial strain (tension positive, axial direction 2 in both datasets) and σ3.</summary>
    public static IReadOnlyList<string> Inputs { get; } = ["eps_22", "x_confining"];

    /// <summary>GRU outputs: deviatoric stress q (kPa) and volumetric strain ε_v.</summary>
    public static IReadOnlyList<string> Outputs { get; } = ["x_q", "x_eps_v"];

    /// <inheritdoc/>
    public string Name => "transfer";

    /// <inheritdoc/>
    public string Summary => "DEM stress paths 25-1000 kPa; four transfer schemes vs N target paths over seeds (paper §3.2.2, Fig. 7-10)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string source = ctx.RequireInput("pretrain", PretrainExperiment.DatasetFile);
        var sizes = TransferSizes.Of(ctx.Mode);
        string folder = ctx.FolderOf(Name);
        string raw = Path.Combine(folder, "dem-lab.csv");
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var labArgs = new List<string>
        {
            "lab", "biaxial", "--preset", "M1", "--particles", sizes.Particles.ToString(CultureInfo.InvariantCulture),
            "--pressures", string.Join(',', sizes.Pressures.Select(Num)), "--strain", Num(TransferSizes.FinalAxialStrain),
            "--records", sizes.Records.ToString(CultureInfo.InvariantCulture), "--out", raw,
        };
        ctx.Timings.Time(Name, "dem-lab", () => ctx.RunTool(ctx.DemLab, labArgs, folder, "dem-lab"));
        var lab = PathDatasetReader.Read(raw);
        string target = Path.Combine(folder, TargetFile);
        GeotechnicalTarget.Write(lab, target);

        string sweepFile = Path.Combine(folder, "sweep.json");
        TextFile.Write(sweepFile, SweepConfig(source, target, sizes).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        ctx.Timings.Time(Name, "sweep", () => ctx.RunTool(ctx.Trainer, ["sweep", sweepFile], folder, "sweep"));

        string sweepFolder = Path.Combine(folder, "sweep");
        var summary = SweepTable.ReadSummary(Path.Combine(sweepFolder, "summary.csv"));
        var runs = SweepTable.ReadRuns(Path.Combine(sweepFolder, "sweep.csv"));
        var curves = LabCurve.FromDataset(lab);
        int seed = sizes.Seeds[0];
        var predictions = TransferPredictions.Read(sweepFolder, runs, Outputs, TransferSizes.PlottedBudget, seed);
        var byId = lab.Paths.Select((p, i) => (p.Id, Curve: curves[i])).ToDictionary(x => x.Id, x => x.Curve);
        WritePredictions(folder, predictions, byId);
        PlotMse(folder, summary);
        PlotActivePicks(folder, runs, lab, curves);
        PlotTarget(folder, curves);
        WriteSummary(folder, ctx, sizes, summary, runs, lab, curves, $"demrve-bench {string.Join(' ', labArgs)}");
        AppendPredictionSummary(folder, predictions, seed);
        foreach (var verdict in SchemeOrdering.Verdicts(summary))
        {
            Console.Error.WriteLine("  " + verdict.Replace("**", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The sweep file for <c>femhost-train sweep</c>: the paper's GRU (Table 1: GRU 40 + Dense 20, window 20,
    /// lr 0.01, batch 128), all four schemes, the mode's budgets and seeds, a fixed 60/15/25 split by path so every
    /// run is scored on the same unseen paths, committee of 5 for active learning starting from one path.
    /// </summary>
    internal static JsonObject SweepConfig(string source, string target, TransferSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return GruSweepFile.Build(Inputs, Outputs, source, target, SweepTable.Schemes, sizes.Budgets, sizes.Seeds, sizes.Epochs);
    }

    /// <summary>Paper Fig. 8–9: each scheme's predictions on the unseen paths (lines) against the DEM (markers), one panel per scheme.</summary>
    private static void WritePredictions(string folder, IReadOnlyList<SchemePrediction> predictions, IReadOnlyDictionary<int, LabCurve> byId)
    {
        var rows = new List<double[]>();
        var qPanels = new List<Figure>();
        var evPanels = new List<Figure>();
        foreach (var (pred, s) in predictions.Select((p, s) => (p, s)))
        {
            string title = $"{SweepTable.Label(pred.Scheme)}, N = {TransferSizes.PlottedBudget} (test MSE {pred.TestMse:G3})";
            var q = new Figure(title, "axial strain ε_a (%)", "q (kPa)");
            var ev = new Figure(title, "axial strain ε_a (%)", "ε_v (%, compression positive)");
            foreach (var (id, k) in pred.Predicted.Keys.Order().Select((id, k) => (id, k)))
            {
                var c = byId[id];
                var y = pred.Predicted[id];
                int n = Math.Min(c.Count, y.Length / 2);
                var ea = c.AxialStrain.Take(n).Select(e => 100 * e).ToArray();
                var qp = Enumerable.Range(0, n).Select(i => y[2 * i]).ToArray();
                var evp = Enumerable.Range(0, n).Select(i => 100 * y[(2 * i) + 1]).ToArray();
                string label = $"σ3 = {c.ConfiningPressure:F0} kPa";
                q.Markers(ea, c.DeviatoricStress.Take(n).ToArray(), k, label, size: 3).Line(ea, qp, k);
                ev.Markers(ea, c.VolumetricStrain.Take(n).Select(e => 100 * e).ToArray(), k, label, size: 3).Line(ea, evp, k);
                for (int i = 0; i < n; i++)
                {
                    rows.Add([s, id, c.ConfiningPressure, c.AxialStrain[i], c.DeviatoricStress[i], y[2 * i], c.VolumetricStrain[i], y[(2 * i) + 1]]);
                }
            }

            qPanels.Add(q);
            evPanels.Add(ev);
        }

        TextFile.WriteCsv(Path.Combine(folder, "predictions.csv"),
            ["scheme_index", "path", "sigma3_kPa", "eps_a", "q_dem_kPa", "q_pred_kPa", "eps_v_dem", "eps_v_pred"], rows);
        FigureGrid.Save(Path.Combine(folder, "predictions-q.png"), qPanels, 2);
        FigureGrid.Save(Path.Combine(folder, "predictions-ev.png"), evPanels, 2);
    }

    private static void AppendPredictionSummary(string folder, IReadOnlyList<SchemePrediction> predictions, int seed)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Predictions for N = {TransferSizes.PlottedBudget}, seed {seed} (paper Fig. 8–9): `predictions-q.png`, `predictions-ev.png`, data `predictions.csv` (scheme_index in the order {string.Join(", ", predictions.Select(p => p.Scheme))}); they are the sweep's own runs of that cell (`sweep/{TransferPredictions.File}`):");
        sb.AppendLine();
        sb.AppendLine("| scheme | test MSE | paths trained on |");
        sb.AppendLine("| --- | ---: | --- |");
        foreach (var p in predictions)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {SweepTable.Label(p.Scheme)} | {TextFile.F(p.TestMse, "G6")} | {string.Join(", ", p.Chosen)} |");
        }

        File.AppendAllText(Path.Combine(folder, "summary.md"), sb.ToString());
    }

    private static void PlotMse(string folder, IReadOnlyList<SweepPoint> summary)
    {
        var fig = new Figure("Test MSE on unseen DEM paths (mean over seeds, band: min–max)", "target training paths N",
            $"test MSE ({string.Join(", ", Outputs)}), log scale", logY: true);
        foreach (var (scheme, i) in SweepTable.Schemes.Select((s, i) => (s, i)))
        {
            var pts = summary.Where(p => p.Scheme == scheme).OrderBy(p => p.Budget).ToArray();
            if (pts.Length > 0)
            {
                fig.Band([.. pts.Select(p => (double)p.Budget)], [.. pts.Select(p => p.Mean)], [.. pts.Select(p => p.Min)], [.. pts.Select(p => p.Max)], i, SweepTable.Label(scheme));
            }
        }

        fig.Save(Path.Combine(folder, "mse-vs-n.png"));
    }

    /// <summary>Fig. 10: the confining pressure of each path active learning picked, in the order picked (largest N, every seed).</summary>
    private static void PlotActivePicks(string folder, IReadOnlyList<SweepRun> runs, PathDataset lab, IReadOnlyList<LabCurve> curves)
    {
        var pressureOf = lab.Paths.Select((p, i) => (p.Id, curves[i].ConfiningPressure)).ToDictionary(x => x.Id, x => x.ConfiningPressure);
        var active = runs.Where(r => r.Scheme == "active").ToList();
        if (active.Count == 0)
        {
            return;
        }

        int n = active.Max(r => r.Budget);
        var fig = new Figure($"Paths picked by transfer + active learning (N = {n})", "pick order", "confining pressure σ3 of the picked path (kPa)");
        foreach (var (run, i) in active.Where(r => r.Budget == n).Select((r, i) => (r, i)))
        {
            var order = run.Selected.Select((_, k) => (double)(k + 1)).ToArray();
            fig.Line(order, [.. run.Selected.Select(id => pressureOf.GetValueOrDefault(id, double.NaN))], i, $"seed {run.Seed}", dashed: true, width: 1)
               .Markers(order, [.. run.Selected.Select(id => pressureOf.GetValueOrDefault(id, double.NaN))], i, size: 8);
        }

        fig.Save(Path.Combine(folder, "active-picks.png"));
    }

    private static void PlotTarget(string folder, IReadOnlyList<LabCurve> curves)
    {
        var q = new Figure($"DEM target paths ({curves.Count}, M1)", "axial strain ε_a (%)", "q = σ_a − σ_r (kPa)");
        var ev = new Figure($"DEM target paths ({curves.Count}, M1)", "axial strain ε_a (%)", "ε_v (%, compression positive)");
        for (int k = 0; k < curves.Count; k++)
        {
            var x = curves[k].AxialStrain.Select(e => 100 * e).ToArray();
            q.Line(x, curves[k].DeviatoricStress, k, width: 1);
            ev.Line(x, curves[k].VolumetricStrain.Select(e => 100 * e).ToArray(), k, width: 1);
        }

        q.Save(Path.Combine(folder, "dem-paths-q.png"));
        ev.Save(Path.Combine(folder, "dem-paths-ev.png"));
    }

    private static void WriteSummary(string folder, ExperimentContext ctx, TransferSizes sizes, IReadOnlyList<SweepPoint> summary,
        IReadOnlyList<SweepRun> runs, PathDataset lab, IReadOnlyList<LabCurve> curves, string labCommand)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Transfer learning on DEM element tests ({ctx.Mode.ToString().ToLowerInvariant()} mode)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Target: {curves.Count} DEM drained biaxial tests ({sizes.Particles}-disk M1 RVE), σ3 = {TransferSizes.MinPressure:F0}–{TransferSizes.MaxPressure:F0} kPa, to {100 * TransferSizes.FinalAxialStrain:F0} % axial strain, {sizes.Records} rows each (`{labCommand}`).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Source: the synthetic DH set of `pretrain` ({PretrainExperiment.DatasetFile}).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Model: GRU(40) + Dense(20) + linear (paper Table 1), window 20, lr 0.01, batch 128, up to {sizes.Epochs} epochs with early stopping (patience 30); inputs {string.Join(", ", Inputs)}, outputs {string.Join(", ", Outputs)}. Split of the DEM paths by path 60/15/25 (seed 1), the same for every run; budgets N = {string.Join(", ", sizes.Budgets)}; seeds {string.Join(", ", sizes.Seeds)}; active learning: committee of 5 bootstrap members, start from 1 random path. Command: `femhost-train sweep sweep.json`.");
        sb.AppendLine();
        sb.AppendLine("Test MSE on the unseen DEM paths (physical units, mean over the two outputs; the q term in kPa² dominates), mean ± std over seeds:");
        sb.AppendLine();
        sb.AppendLine("| N | " + string.Join(" | ", SweepTable.Schemes.Select(SweepTable.Label)) + " |");
        sb.AppendLine("| ---: |" + string.Concat(Enumerable.Repeat(" ---: |", SweepTable.Schemes.Count)));
        foreach (int n in summary.Select(p => p.Budget).Distinct().Order())
        {
            var cells = SweepTable.Schemes.Select(s => summary.FirstOrDefault(p => p.Scheme == s && p.Budget == n) is { } p
                ? $"{TextFile.F(p.Mean, "G3")} ± {TextFile.F(p.Std, "G2")}" : "–");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {n} | {string.Join(" | ", cells)} |");
        }

        sb.AppendLine();
        sb.AppendLine("Paper's findings (Fig. 7) on these numbers:");
        sb.AppendLine();
        foreach (var v in SchemeOrdering.Verdicts(summary))
        {
            sb.AppendLine("- " + v);
        }

        sb.AppendLine();
        var pressureOf = lab.Paths.Select((p, i) => (p.Id, curves[i].ConfiningPressure)).ToDictionary(x => x.Id, x => x.ConfiningPressure);
        var largest = runs.Where(r => r.Scheme == "active").OrderByDescending(r => r.Budget).ThenBy(r => r.Seed).FirstOrDefault();
        if (largest is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Active learning's picks (N = {largest.Budget}, seed {largest.Seed}), σ3 in kPa in the order picked: {string.Join(", ", largest.Selected.Select(id => TextFile.F(pressureOf.GetValueOrDefault(id, double.NaN), "F0")))} (paper Fig. 10: the extremes of the pressure range are preferred).");
            sb.AppendLine();
        }

        sb.AppendLine("Figures: `mse-vs-n.png` (Fig. 7), `active-picks.png` (Fig. 10), `dem-paths-q.png`, `dem-paths-ev.png` (the target data). Tables: `sweep/summary.csv`, `sweep/sweep.csv` (every run, with the paths it trained on); the trainer's own plot `sweep/sweep.png`.");
        TextFile.Write(Path.Combine(folder, "summary.md"), sb.ToString());
    }
}
