using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FemHost.Experiments.Reporting;
using FemHost.Experiments.Transfer;
using FemHost.MaterialData;

namespace FemHost.Experiments.CrossMaterial;

/// <summary>
/// Paper §4.2, Fig. 12–14: knowledge transfer from one granular material to another. The 3D DEM true-triaxial
/// laboratory (<c>demrve-bench lab triaxial3d</c>) runs Material 1 (bell-shaped 4.8–13.9 mm; constant p) and
/// Material 2 (3.39–28.27 mm; constant σ3), p or σ3 = 1, 2, 4 MPa × b = 0…1; the GRU is pre-trained on Material 1
/// and the three schemes of the paper — no transfer, transfer (full fine-tune), transfer + active learning — learn
/// Material 2 from N of its paths (<c>femhost-train sweep</c>), all scored on the same unseen Material 2 paths.
/// Writes <c>loss-vs-n.png</c> (Fig. 13), <c>active-picks-s1.png</c>, <c>active-picks-ev.png</c> (Fig. 14a–b),
/// <c>predictions-s1.png</c>, <c>predictions-ev.png</c> (Fig. 14c–d) and <c>summary.md</c>.
/// </summary>
public sealed class CrossMaterialExperiment : IExperiment
{
    /// <summary>GRU inputs: axial strain ε1 (compression positive), the isotropic consolidation stress (the held p or σ3) and b.</summary>
    public static IReadOnlyList<string> Inputs { get; } = ["x_e1", "x_held_kPa", "x_b_target"];

    /// <summary>GRU outputs (paper §4.2: three principal stresses and the volumetric strain, 84 output-layer parameters = 4 × 20 + 4).</summary>
    public static IReadOnlyList<string> Outputs { get; } = ["x_s1_kPa", "x_s2_kPa", "x_s3_kPa", "x_ev"];

    /// <summary>The schemes of paper Fig. 13.</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["scratch", "fine-tune", "active"];

    /// <summary>Names a Material 1 lab dataset made elsewhere (CSV or .csv.gz with its sidecar) that the study uses instead of running the lab.</summary>
    public const string Material1DatasetVariable = "FEMHOST_DEM3D_M1";

    /// <summary>Names a Material 2 lab dataset made elsewhere.</summary>
    public const string Material2DatasetVariable = "FEMHOST_DEM3D_M2";

    private const string CompletedMarker = "lab-completed.txt";

    /// <inheritdoc/>
    public string Name => "cross-material";

    /// <inheritdoc/>
    public string Summary => "3D DEM true triaxial tests of two materials; GRU transfer from Material 1 to Material 2 vs N (paper §4, Fig. 12-14)";

    /// <summary>The scheme's name as paper §4.2 labels it.</summary>
    public static string Label(string scheme) => scheme switch
    {
        "scratch" => "no transfer",
        "fine-tune" => "transfer",
        "active" => "transfer + active learning",
        _ => scheme,
    };

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var sizes = CrossMaterialSizes.Of(ctx.Mode);
        string folder = ctx.FolderOf(Name);
        var commands = new List<string>();
        PathDataset Lab(int material) => LabDataset(ctx, sizes, folder, material, commands);

        var source = Lab(1);
        var target = Lab(2);
        string sweepFile = Path.Combine(folder, "sweep.json");
        TextFile.Write(sweepFile, SweepConfig(DatasetFile(folder, 1), DatasetFile(folder, 2), sizes).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        ctx.Timings.Time(Name, "sweep", () => ctx.RunTool(ctx.Trainer, ["sweep", sweepFile], folder, "sweep"));

        string sweepFolder = Path.Combine(folder, "sweep");
        var summary = SweepTable.ReadSummary(Path.Combine(sweepFolder, "summary.csv"));
        var runs = SweepTable.ReadRuns(Path.Combine(sweepFolder, "sweep.csv"));
        var curves = TrueTriaxialCurve.FromDataset(target);
        int seed = sizes.Seeds[0];
        var predictions = TransferPredictions.Read(sweepFolder, runs, Outputs, sizes.PlottedBudget, seed);
        PlotLoss(folder, summary);
        var active = runs.FirstOrDefault(r => r.Scheme == "active" && r.Budget == sizes.PlottedBudget && r.Seed == seed);
        if (active is not null)
        {
            PlotPicks(folder, active, curves);
        }

        var errors = PlotPredictions(folder, predictions, curves);
        WriteSummary(folder, ctx, sizes, summary, active, curves, errors, source.Paths.Count, commands);
        foreach (var verdict in Verdicts(summary))
        {
            Console.Error.WriteLine("  " + verdict.Replace("**", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>The lab command for one material: the mode's packing, seeds, strain and rows; p (M1) or σ3 (M2) = 1, 2, 4 MPa × b = 0…1.</summary>
    internal static List<string> LabArguments(int material, CrossMaterialSizes sizes, string outFolder)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return
        [
            "lab", "triaxial3d", "--material", Num(material), "--spheres", Num(sizes.Spheres),
            "--pressures", string.Join(',', CrossMaterialSizes.HeldStressesMPa.Select(Num)),
            "--b-values", string.Join(',', CrossMaterialSizes.BValues.Select(Num)),
            "--seeds", string.Join(',', sizes.PackingSeeds.Select(s => Num(s))), "--strain", Num(sizes.FinalAxialStrain),
            "--records", Num(sizes.Records), "--out", outFolder,
        ];
    }

    /// <summary>
    /// The lab dataset of one material: made elsewhere (<see cref="Material1DatasetVariable"/> /
    /// <see cref="Material2DatasetVariable"/> name its CSV, or its gzip-compressed <c>.csv.gz</c>, with the
    /// <c>.csv.json</c> sidecar beside it; checked against the mode's family), reused from a finished lab run of the
    /// same command in <c>material{1,2}/</c>, or run now (stage dem-lab-material1/2).
    /// </summary>
    private PathDataset LabDataset(ExperimentContext ctx, CrossMaterialSizes sizes, string folder, int material, List<string> commands)
    {
        string labFolder = Path.Combine(folder, $"material{material}");
        var args = LabArguments(material, sizes, labFolder);
        string command = "demrve-bench " + string.Join(' ', args);
        string csv = DatasetFile(folder, material);
        string variable = material == 1 ? Material1DatasetVariable : Material2DatasetVariable;
        string? given = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            Console.Error.WriteLine($"  using the Material {material} lab dataset '{given}' ({variable})");
            // A fresh folder: no marker of an earlier lab run may vouch for the imported file, nor stay behind a refused one.
            DeleteFolder(labFolder);
            ImportDataset(Path.GetFullPath(given), csv, variable);
            var dataset = PathDatasetReader.Read(csv);
            if (LabMismatch(dataset, material, sizes) is { } mismatch)
            {
                DeleteFolder(labFolder);
                throw new ExperimentException($"{variable} names '{given}', whose {mismatch}; expected the dataset of `{command}` " +
                    $"({sizes.PathsPerMaterial} paths), or {variable} unset to run the lab here");
            }

            commands.Add($"{command}    (made elsewhere: {given})");
            return dataset;
        }

        commands.Add(command);
        string marker = Path.Combine(labFolder, CompletedMarker);
        string arguments = string.Join('\n', args) + "\n";
        if (File.Exists(marker) && File.Exists(csv) && File.ReadAllText(marker) == arguments)
        {
            Console.Error.WriteLine($"  reusing the Material {material} lab run in '{labFolder}' (same command; delete the folder to run it again)");
        }
        else
        {
            DeleteFolder(labFolder);
            ctx.Timings.Time(Name, $"dem-lab-material{material}", () => ctx.RunTool(ctx.DemLab, args, folder, $"dem-lab-material{material}"));
            TextFile.Write(marker, arguments);
        }

        return PathDatasetReader.Read(csv);
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Copies a lab dataset made elsewhere to <paramref name="csv"/>: its CSV (decompressed when it ends in
    /// <c>.gz</c>), its sidecar and, when present, its Fig. 12 plot; the CSV is written to a temporary name first.
    /// </summary>
    internal static void ImportDataset(string given, string csv, string variable)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(csv);
        string givenCsv = PathDatasetWriter.CsvPathOf(given);
        string sidecar = PathDatasetWriter.SidecarPath(givenCsv);
        foreach (var (file, what) in new[] { (given, "dataset"), (sidecar, "sidecar") })
        {
            if (!File.Exists(file))
            {
                throw new ExperimentException($"{variable} names '{given}', but its {what} '{file}' does not exist; expected a lab dataset " +
                    "(triaxial3d-materialN.csv or .csv.gz) with its .csv.json sidecar beside it");
            }
        }

        PathDatasetWriter.CopyDataset(given, csv);
        string png = Path.ChangeExtension(givenCsv, ".png");
        if (File.Exists(png))
        {
            File.Copy(png, Path.ChangeExtension(csv, ".png"), overwrite: true);
        }
    }

    /// <summary>
    /// What a lab dataset's sidecar says that differs from the family of <paramref name="sizes"/> for
    /// <paramref name="material"/> (material, spheres, held stresses, b values, packing seeds, final strain, path
    /// count), or null when it is that family.
    /// </summary>
    internal static string? LabMismatch(PathDataset dataset, int material, CrossMaterialSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sizes);
        var inv = CultureInfo.InvariantCulture;
        var parameters = dataset.Info.Source?.Parameters;
        if (parameters is null)
        {
            return "sidecar has no source parameters (not a demrve-bench lab triaxial3d dataset)";
        }

        string? Text(string key) => parameters.TryGetValue(key, out var v) ? Convert.ToString(v, inv) : null;
        var expected = new (string Key, string Value)[]
        {
            ("material", $"Material{material}"),
            ("spheres", sizes.Spheres.ToString(inv)),
            ("held_stresses_MPa", string.Join(',', CrossMaterialSizes.HeldStressesMPa.Select(v => v.ToString(inv)))),
            ("b_values", string.Join(',', CrossMaterialSizes.BValues.Select(v => v.ToString(inv)))),
            ("seeds", string.Join(',', sizes.PackingSeeds.Select(v => v.ToString(inv)))),
        };
        foreach (var (key, value) in expected)
        {
            if (Text(key) != value)
            {
                return $"{key} is '{Text(key) ?? "missing"}' instead of '{value}'";
            }
        }

        if (!double.TryParse(Text("final_axial_strain"), NumberStyles.Float, inv, out double strain) || Math.Abs(strain - sizes.FinalAxialStrain) > 1e-12)
        {
            return $"final_axial_strain is '{Text("final_axial_strain") ?? "missing"}' instead of {sizes.FinalAxialStrain.ToString(inv)}";
        }

        return dataset.Paths.Count == sizes.PathsPerMaterial ? null : $"dataset holds {dataset.Paths.Count} paths instead of {sizes.PathsPerMaterial}";
    }

    private static string DatasetFile(string folder, int material) =>
        Path.Combine(folder, $"material{material}", $"triaxial3d-material{material}.csv");

    /// <summary>
    /// The sweep file: the GRU of paper Table 1 (GRU 40 + Dense 20, window 20, lr 0.01, batch 128), source Material 1,
    /// target Material 2, the three schemes of §4.2, a fixed 60/15/25 split of the Material 2 paths by path
    /// ("the data split criterion utilized in Section 3"), committee of 5 for active learning starting from one path.
    /// </summary>
    internal static JsonObject SweepConfig(string source, string target, CrossMaterialSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return GruSweepFile.Build(Inputs, Outputs, source, target, Schemes, sizes.Budgets, sizes.Seeds, sizes.Epochs);
    }

    /// <summary>
    /// The paper's findings of Fig. 13 on a sweep summary: (1) both transfer schemes beat no transfer;
    /// (2) transfer + active learning beats transfer. Each is reported per budget N on the mean test MSE over seeds.
    /// </summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<SweepPoint> summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var budgets = summary.Select(p => p.Budget).Distinct().Order().ToList();
        double? Mean(string scheme, int n) => summary.FirstOrDefault(p => p.Scheme == scheme && p.Budget == n)?.Mean;
        var transferBeats = budgets.Where(n => Mean("scratch", n) is { } s && Mean("fine-tune", n) < s && Mean("active", n) < s).ToList();
        var activeBeats = budgets.Where(n => Mean("fine-tune", n) is { } f && Mean("active", n) < f).ToList();
        string Where(List<int> holds) => holds.Count == budgets.Count ? "**holds** at every N"
            : holds.Count == 0 ? "**does not hold** at any N" : $"**holds partly**, at N = {string.Join(", ", holds)} of {string.Join(", ", budgets)}";
        return
        [
            $"Both transfer schemes beat no transfer: {Where(transferBeats)}.",
            $"Transfer + active learning beats transfer alone: {Where(activeBeats)}.",
        ];
    }

    /// <summary>Fig. 13: test MSE on the unseen Material 2 paths against N, mean over seeds, band min–max.</summary>
    private static void PlotLoss(string folder, IReadOnlyList<SweepPoint> summary)
    {
        var fig = new Figure("Material 1 → Material 2: test MSE on unseen paths (mean over seeds, band: min–max)", "Material 2 training paths N",
            "test MSE (σ1, σ2, σ3 in kPa², ε_v), log scale", logY: true);
        foreach (var (scheme, i) in Schemes.Select((s, i) => (s, i)))
        {
            var pts = summary.Where(p => p.Scheme == scheme).OrderBy(p => p.Budget).ToArray();
            if (pts.Length > 0)
            {
                fig.Band([.. pts.Select(p => (double)p.Budget)], [.. pts.Select(p => p.Mean)], [.. pts.Select(p => p.Min)], [.. pts.Select(p => p.Max)], i, Label(scheme));
            }
        }

        fig.Save(Path.Combine(folder, "loss-vs-n.png"));
    }

    /// <summary>Fig. 14a–b: the Material 2 paths active learning picked, coloured and labelled by pick order.</summary>
    private static void PlotPicks(string folder, SweepRun active, IReadOnlyDictionary<int, TrueTriaxialCurve> curves)
    {
        string title = $"Paths picked by transfer + active learning (N = {active.Budget}, seed {active.Seed})";
        var s1 = new Figure(title, "axial strain ε1 (%)", "σ1 (MPa)");
        var ev = new Figure(title, "axial strain ε1 (%)", "ε_v (%, compression positive)");
        foreach (var (id, k) in active.Selected.Select((id, k) => (id, k)))
        {
            var c = curves[id];
            var x = c.AxialStrain.Select(e => 100 * e).ToArray();
            string label = $"#{k + 1}: {c.HeldStress / 1000:G3} MPa, b = {c.B:G2}";
            s1.Line(x, [.. c.MajorStress.Select(s => s / 1000)], k, label, width: 1.5f);
            ev.Line(x, [.. c.VolumetricStrain.Select(e => 100 * e)], k, label, width: 1.5f);
        }

        s1.Save(Path.Combine(folder, "active-picks-s1.png"));
        ev.Save(Path.Combine(folder, "active-picks-ev.png"));
    }

    /// <summary>
    /// Fig. 14c–d: every scheme's σ1 and ε_v predictions on the unseen Material 2 paths (lines) against the DEM
    /// (markers), one panel per scheme; returns per scheme the RMS error of σ1 (kPa) and of ε_v over the test rows.
    /// </summary>
    private static Dictionary<string, (double S1, double Ev)> PlotPredictions(string folder, IReadOnlyList<SchemePrediction> predictions,
        IReadOnlyDictionary<int, TrueTriaxialCurve> curves)
    {
        int nout = Outputs.Count;
        var errors = new Dictionary<string, (double, double)>();
        var s1Panels = new List<Figure>();
        var evPanels = new List<Figure>();
        var rows = new List<double[]>();
        foreach (var (pred, s) in predictions.Select((p, s) => (p, s)))
        {
            string title = $"{Label(pred.Scheme)}, N = {pred.Chosen.Length} (test MSE {pred.TestMse:G3})";
            var s1 = new Figure(title, "axial strain ε1 (%)", "σ1 (MPa)");
            var ev = new Figure(title, "axial strain ε1 (%)", "ε_v (%, compression positive)");
            double sumS1 = 0, sumEv = 0;
            int count = 0;
            foreach (var (id, k) in pred.Predicted.Keys.Order().Select((id, k) => (id, k)))
            {
                var c = curves[id];
                var y = pred.Predicted[id];
                int n = Math.Min(c.Count, y.Length / nout);
                var x = c.AxialStrain.Take(n).Select(e => 100 * e).ToArray();
                var s1p = Enumerable.Range(0, n).Select(i => y[nout * i]).ToArray();
                var evp = Enumerable.Range(0, n).Select(i => y[(nout * i) + 3]).ToArray();
                string label = $"{c.HeldStress / 1000:G3} MPa, b = {c.B:G2}";
                s1.Markers(x, [.. c.MajorStress.Take(n).Select(v => v / 1000)], k, label, size: 3).Line(x, [.. s1p.Select(v => v / 1000)], k);
                ev.Markers(x, [.. c.VolumetricStrain.Take(n).Select(e => 100 * e)], k, label, size: 3).Line(x, [.. evp.Select(e => 100 * e)], k);
                for (int i = 0; i < n; i++)
                {
                    sumS1 += (s1p[i] - c.MajorStress[i]) * (s1p[i] - c.MajorStress[i]);
                    sumEv += (evp[i] - c.VolumetricStrain[i]) * (evp[i] - c.VolumetricStrain[i]);
                    rows.Add([s, id, c.HeldStress, c.B, c.AxialStrain[i], c.MajorStress[i], s1p[i], c.VolumetricStrain[i], evp[i]]);
                }

                count += n;
            }

            errors[pred.Scheme] = (Math.Sqrt(sumS1 / Math.Max(1, count)), Math.Sqrt(sumEv / Math.Max(1, count)));
            s1Panels.Add(s1);
            evPanels.Add(ev);
        }

        TextFile.WriteCsv(Path.Combine(folder, "predictions.csv"),
            ["scheme_index", "path", "held_kPa", "b", "eps_1", "s1_dem_kPa", "s1_pred_kPa", "eps_v_dem", "eps_v_pred"], rows);
        FigureGrid.Save(Path.Combine(folder, "predictions-s1.png"), s1Panels, Math.Min(3, s1Panels.Count));
        FigureGrid.Save(Path.Combine(folder, "predictions-ev.png"), evPanels, Math.Min(3, evPanels.Count));
        return errors;
    }

    private static void WriteSummary(string folder, ExperimentContext ctx, CrossMaterialSizes sizes, IReadOnlyList<SweepPoint> summary, SweepRun? active,
        IReadOnlyDictionary<int, TrueTriaxialCurve> curves, Dictionary<string, (double S1, double Ev)> errors, int sourcePaths, List<string> commands)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Cross-material transfer on 3D DEM true triaxial tests ({ctx.Mode.ToString().ToLowerInvariant()} mode)");
        sb.AppendLine();
        sb.AppendLine(inv, $"Source: Material 1 (bell-shaped 4.8–13.9 mm), {sourcePaths} paths at constant p = 1, 2, 4 MPa. Target: Material 2 (3.39–28.27 mm), {curves.Count} paths at constant σ3 = 1, 2, 4 MPa; b = 0, 0.25, 0.5, 0.75, 1; {sizes.PackingSeeds.Length} packing(s) of {sizes.Spheres} spheres per (stress, b); to ε1 = {sizes.FinalAxialStrain:G3}, {sizes.Records} rows per path. Commands:");
        sb.AppendLine();
        foreach (var c in commands)
        {
            sb.AppendLine(inv, $"    {c}");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"Model: GRU(40) + Dense(20) + linear (paper Table 1), window 20, lr 0.01, batch 128, up to {sizes.Epochs} epochs, patience 30; inputs {string.Join(", ", Inputs)}; outputs {string.Join(", ", Outputs)}. Material 2 split by path 60/15/25 (seed 1), the same for every run; budgets N = {string.Join(", ", sizes.Budgets)}; seeds {string.Join(", ", sizes.Seeds)}; active learning: committee of 5 bootstrap members from 1 random path. Command: `femhost-train sweep sweep.json`.");
        sb.AppendLine();
        sb.AppendLine("Test MSE on the unseen Material 2 paths (physical units, mean over the four outputs, so the stress terms in kPa² dominate), mean ± std over seeds (Fig. 13, `loss-vs-n.png`):");
        sb.AppendLine();
        sb.AppendLine("| N | " + string.Join(" | ", Schemes.Select(Label)) + " |");
        sb.AppendLine("| ---: |" + string.Concat(Enumerable.Repeat(" ---: |", Schemes.Count)));
        foreach (int n in summary.Select(p => p.Budget).Distinct().Order())
        {
            var cells = Schemes.Select(s => summary.FirstOrDefault(p => p.Scheme == s && p.Budget == n) is { } p
                ? $"{TextFile.F(p.Mean, "G3")} ± {TextFile.F(p.Std, "G2")}" : "–");
            sb.AppendLine(inv, $"| {n} | {string.Join(" | ", cells)} |");
        }

        sb.AppendLine();
        sb.AppendLine("Paper's findings (Fig. 13) on these numbers:");
        sb.AppendLine();
        foreach (var v in Verdicts(summary))
        {
            sb.AppendLine("- " + v);
        }

        sb.AppendLine();
        if (active is not null)
        {
            sb.AppendLine(inv, $"Active learning's picks (N = {active.Budget}, seed {active.Seed}), in order (σ3 MPa / b): {string.Join(", ", active.Selected.Select(id => $"{curves[id].HeldStress / 1000:G3}/{curves[id].B:G2}"))} (paper Fig. 14a: the largest and smallest confining stresses are preferred).");
            sb.AppendLine();
        }

        sb.AppendLine(inv, $"RMS error on the test paths, N = {sizes.PlottedBudget}, seed {sizes.Seeds[0]} (Fig. 14c–d, `predictions-s1.png`, `predictions-ev.png`, data `predictions.csv`):");
        sb.AppendLine();
        sb.AppendLine("| scheme | RMS σ1 (kPa) | RMS ε_v (%) |");
        sb.AppendLine("| --- | ---: | ---: |");
        foreach (var (scheme, e) in errors)
        {
            sb.AppendLine(inv, $"| {Label(scheme)} | {e.S1:F0} | {100 * e.Ev:F2} |");
        }

        sb.AppendLine();
        sb.AppendLine("Figures: `loss-vs-n.png` (Fig. 13), `active-picks-s1.png`, `active-picks-ev.png` (Fig. 14a–b), `predictions-s1.png`, `predictions-ev.png` (Fig. 14c–d), `material1/triaxial3d-material1.png`, `material2/triaxial3d-material2.png` (Fig. 12). Tables: `sweep/summary.csv`, `sweep/sweep.csv`.");
        TextFile.Write(Path.Combine(folder, "summary.md"), sb.ToString());
    }
}
