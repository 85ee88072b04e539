using System.Diagnostics;
using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DemRve.Dem3D;
using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// The 3D virtual laboratory of Qu et al. (2023) §4.1: drained true triaxial tests on periodic sphere packings,
/// Material 1 at constant mean stress p and Material 2 at constant minor principal stress σ3, each at constant
/// b = (σ2 − σ3)/(σ1 − σ3). One path per (packing seed, held stress, b); the family of the paper is
/// 3 stresses × 5 b values × 4 packings = 60 paths per material (docs/dem-3d.md, "Virtual laboratory").
/// Writes one femhost-path-dataset (Tridimensional, CSV + JSON sidecar), a PNG of the curves and a summary table:
/// <code>
/// demrve-bench lab triaxial3d [--material 1|2] [--quick | --full | --spheres N] [--pressures P1,P2,... (MPa)]
///     [--b-values B1,B2,...] [--seeds S1,S2,...] [--strain EA] [--rate R] [--records K] [--threads T] [--out FOLDER]
/// </code>
/// </summary>
public static class TrueTriaxialLab
{
    /// <summary>Spheres of the quick mode.</summary>
    public const int QuickSpheres = 1000;

    /// <summary>Spheres of the full mode (the paper's 10 000).</summary>
    public const int FullSpheres = 10_000;

    private const string Usage = "usage: demrve-bench lab triaxial3d [--material 1|2] [--quick | --full | --spheres N] [--pressures P1,P2,... (MPa; p for material 1, σ3 for material 2)] "
        + "[--b-values B1,B2,...] [--seeds S1,S2,...] [--strain final axial strain] [--rate axial strain per step] [--records records per path] [--threads T] [--out FOLDER]";

    private static readonly string[] Extras =
        ["held_kPa", "b_target", "seed", "e1", "e2", "e3", "ev", "s1_kPa", "s2_kPa", "s3_kPa", "p_kPa", "q_kPa", "b", "coordination", "unbalanced"];

    /// <summary>Runs the command (args[0] == "lab", args[1] == "triaxial3d") writing to the console; returns the exit code (2: bad arguments).</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command; progress and the summary go to <paramref name="output"/>, errors to <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        LabOptions options;
        List<SpherePacking> gases;
        try
        {
            options = LabOptions.Parse(args);
            // The gases first and serially (cheap): a packing too small for the gradation is an input error.
            gases = [.. options.Seeds.Select(seed => Generate(options, seed))];
        }
        catch (LabArgumentException e)
        {
            error.WriteLine($"demrve-bench lab triaxial3d: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }

        Execute(options, gases, output);
        return 0;
    }

    private static SpherePacking Generate(LabOptions o, ulong seed)
    {
        try
        {
            return SpherePackingGenerator.Generate(o.Spheres, o.Material.Gradation, o.Material.Law.Density, seed);
        }
        catch (ArgumentException e)
        {
            throw new LabArgumentException($"--spheres {o.Spheres} cannot make a packing of {o.Material.Name}: {e.Message}");
        }
    }

    private static void Execute(LabOptions o, List<SpherePacking> gases, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var mode = o.MaterialNumber == 1 ? TrueTriaxialMode.ConstantMeanStress : TrueTriaxialMode.ConstantMinorStress;
        string held = mode == TrueTriaxialMode.ConstantMeanStress ? "p" : "σ3";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"true triaxial lab: {o.Material.Name}, {o.Spheres} spheres, constant {held} = {string.Join(", ", o.Pressures)} MPa, b = {string.Join(", ", o.BValues)}, "
            + $"seeds {string.Join(", ", o.Seeds)}: {o.Seeds.Length * o.Pressures.Length * o.BValues.Length} paths to axial strain {o.Strain} at {o.Rate:G3} per step on {o.Threads} threads"));

        // 1. One consolidated packing per (seed, held stress), isotropic at the held stress.
        var groups = (from s in Enumerable.Range(0, o.Seeds.Length) from k in Enumerable.Range(0, o.Pressures.Length) select (Seed: s, Stress: k)).ToArray();
        var consolidated = new SpherePacking[groups.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads };
        Parallel.For(0, groups.Length, parallel, g =>
        {
            var packing = gases[groups[g].Seed].Clone();
            var solver = new SphereDemSolver(packing, o.Material.Law);
            SphereConsolidation.Run(solver, new ConsolidationControl(o.Pressures[groups[g].Stress] * 1e6, 0.0, o.Material.Law.Friction, Tolerance: 0.01));
            consolidated[g] = packing;
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"consolidated {groups.Length} packings in {clock.Elapsed.TotalSeconds:F1} s (solid fraction {consolidated.Min(c => c.SolidFraction):F3}–{consolidated.Max(c => c.SolidFraction):F3})"));

        // 2. The paths, each from a copy of its group's consolidated packing.
        var paths = (from g in Enumerable.Range(0, groups.Length) from b in o.BValues select (Group: g, B: b)).ToArray();
        var results = new List<TrueTriaxialState>[paths.Length];
        int done = 0;
        double loadStart = clock.Elapsed.TotalSeconds;
        var gate = new object();
        Parallel.For(0, paths.Length, parallel, k =>
        {
            var pathClock = Stopwatch.StartNew();
            var (g, b) = paths[k];
            var solver = new SphereDemSolver(consolidated[g].Clone(), o.Material.Law);
            solver.Step(Mat3.Zero, measure: true); // the stress of the consolidated state (a new solver has measured nothing)
            var path = new TrueTriaxialPath(mode, o.Pressures[groups[g].Stress] * 1e6, b);
            int interval = Math.Max(1, (int)Math.Round(o.Strain / o.Rate / o.Records));
            results[k] = TrueTriaxialTest.Run(solver, path, o.Rate, o.Strain, interval);
            lock (gate)
            {
                done++;
                double elapsed = clock.Elapsed.TotalSeconds;
                double left = (elapsed - loadStart) / done * (paths.Length - done);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"path {done}/{paths.Length} (seed {o.Seeds[groups[g].Seed]}, {held} = {o.Pressures[groups[g].Stress]} MPa, b = {b}): {pathClock.Elapsed.TotalSeconds:F1} s; "
                    + $"elapsed {elapsed:F0} s, estimated left {left:F0} s"));
            }
        });

        Directory.CreateDirectory(o.Output);
        string name = $"triaxial3d-material{o.MaterialNumber}";
        string csv = Path.Combine(o.Output, name + ".csv");
        var dataset = Dataset(o, mode, groups, paths, results);
        dataset.Write(csv);
        string png = Path.Combine(o.Output, name + ".png");
        Plot(png, dataset);

        output.WriteLine();
        output.WriteLine($"| path | seed | {held} (MPa) | b | peak q/p | at ε1 | final q/p | final εv (contraction +) | final Z | largest |p or σ3 error| | largest |b − target| (q ≥ 0.3 × held) |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int k = 0; k < paths.Length; k++)
        {
            var (g, b) = paths[k];
            double stress = o.Pressures[groups[g].Stress] * 1e6;
            var r = results[k];
            var peak = r.MaxBy(s => s.DeviatorStress / s.MeanStress)!;
            double heldError = r.Max(s => Math.Abs((mode == TrueTriaxialMode.ConstantMeanStress ? s.MeanStress : s.S3) / stress - 1));
            var defined = r.Where(s => s.DeviatorStress >= 0.3 * stress).ToList();
            string bError = defined.Count == 0 ? "n/a" : defined.Max(s => Math.Abs(s.B - b)).ToString("F3", CultureInfo.InvariantCulture);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {k} | {o.Seeds[groups[g].Seed]} | {o.Pressures[groups[g].Stress]} | {b} | {peak.DeviatorStress / peak.MeanStress:F3} | {peak.AxialStrain:P2} | "
                + $"{r[^1].DeviatorStress / r[^1].MeanStress:F3} | {r[^1].VolumetricStrain:P2} | {r[^1].Coordination:F2} | {heldError:P2} | {bError} |"));
        }

        output.WriteLine();
        output.WriteLine($"wrote {csv} (+ .json sidecar) and {png} in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>One path per (seed, held stress, b); Tridimensional Voigt strain and stress (tension positive, kPa) plus the geotechnical quantities as extras.</summary>
    private static PathDataset Dataset(LabOptions o, TrueTriaxialMode mode, (int Seed, int Stress)[] groups, (int Group, double B)[] paths, List<TrueTriaxialState>[] results)
    {
        static string Join(IEnumerable<double> v) => string.Join(",", v.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.Tridimensional,
            ExtraColumns = Extras,
            Source = new DatasetSource(
                $"demrve-bench lab triaxial3d (drained true triaxial: axial strain along x1, x2 and x3 servo-controlled to constant {(mode == TrueTriaxialMode.ConstantMeanStress ? "p" : "sigma3")} and b)",
                "DemRve.Dem3D",
                new Dictionary<string, object>
                {
                    ["material"] = o.Material.Name,
                    ["spheres"] = (long)o.Spheres,
                    ["mode"] = mode.ToString(),
                    ["held_stresses_MPa"] = Join(o.Pressures),
                    ["b_values"] = Join(o.BValues),
                    ["seeds"] = string.Join(",", o.Seeds),
                    ["final_axial_strain"] = o.Strain,
                    ["axial_strain_per_step"] = o.Rate,
                    ["consolidation_tolerance"] = 0.01,
                    ["time_column"] = "axial strain e1 (compression positive)",
                    ["extras_convention"] = "e1, e2, e3, ev and s1, s2, s3, p, q compression positive (geotechnical); s1 along x1, s2 along x2, s3 along x3",
                },
                o.Seeds.Length == 1 ? (long)o.Seeds[0] : null),
        };
        var rows = new List<DatasetPath>(paths.Length);
        for (int k = 0; k < paths.Length; k++)
        {
            var (g, b) = paths[k];
            var phi = new double[6];
            var previous = new double[6];
            var pathRows = new List<PathRow>(results[k].Count);
            for (int step = 0; step < results[k].Count; step++)
            {
                var r = results[k][step];
                var e = r.Strain;
                var s = r.Stress;
                double[] eps = [e.X11, e.X22, e.X33, 2 * e.X12, 2 * e.X13, 2 * e.X23];
                for (int j = 0; j < 6; j++)
                {
                    phi[j] += Math.Abs(eps[j] - previous[j]); // paper eq. 5
                    previous[j] = eps[j];
                }

                double[] sig = [s.X11 / 1e3, s.X22 / 1e3, s.X33 / 1e3, s.X12 / 1e3, s.X13 / 1e3, s.X23 / 1e3];
                double[] extras =
                [
                    o.Pressures[groups[g].Stress] * 1e3, b, o.Seeds[groups[g].Seed],
                    -e.X11, -e.X22, -e.X33, r.VolumetricStrain,
                    r.S1 / 1e3, r.S2 / 1e3, r.S3 / 1e3, r.MeanStress / 1e3, r.DeviatorStress / 1e3,
                    double.IsFinite(r.B) ? r.B : b, // b is undefined at the isotropic start: the target
                    r.Coordination, r.UnbalancedForceRatio,
                ];
                pathRows.Add(new PathRow(step, r.AxialStrain + 0.0, eps, [.. phi], sig, null, extras));
            }

            rows.Add(new DatasetPath(k, pathRows));
        }

        return new PathDataset(info, rows);
    }

    /// <summary>
    /// Paper Fig. 12 from a lab dataset: q/p and volumetric strain against axial strain, one line per path, colour
    /// by b and line pattern by held stress (solid, dashed, dotted). Drawn from the dataset, so a lab run and a merge of
    /// lab runs (<see cref="TrueTriaxialMerge"/>) draw the same figure of the same paths.
    /// </summary>
    internal static void Plot(string png, PathDataset data)
    {
        var parameters = data.Info.Source.Parameters;
        string Text(string key) => Convert.ToString(parameters[key], CultureInfo.InvariantCulture)!;
        double[] Values(string key) => [.. Text(key).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        double[] stresses = Values("held_stresses_MPa"), bValues = Values("b_values");
        var columns = data.Info.ExtraColumns.ToList();
        int held = columns.IndexOf("held_kPa"), target = columns.IndexOf("b_target"), seed = columns.IndexOf("seed"),
            q = columns.IndexOf("q_kPa"), p = columns.IndexOf("p_kPa"), ev = columns.IndexOf("ev");
        double firstSeed = data.Paths[0].Rows[0].Extras[seed];
        var ratio = new ScottPlot.Plot();
        var volume = new ScottPlot.Plot();
        var colours = new ScottPlot.Colormaps.Viridis();
        foreach (var path in data.Paths)
        {
            var first = path.Rows[0].Extras;
            double b = first[target];
            int stress = Array.IndexOf(stresses, first[held] / 1e3);
            var ea = path.Rows.Select(r => 100 * r.Time).ToArray();
            var eta = path.Rows.Select(r => r.Extras[q] / r.Extras[p]).ToArray();
            var v = path.Rows.Select(r => 100 * r.Extras[ev]).ToArray();
            var colour = colours.GetColor(bValues.Length == 1 ? 0.0 : Array.IndexOf(bValues, b) / (bValues.Length - 1.0));
            var line = ratio.Add.ScatterLine(ea, eta, colour);
            var lineV = volume.Add.ScatterLine(ea, v, colour);
            var pattern = stress switch { 0 => ScottPlot.LinePattern.Solid, 1 => ScottPlot.LinePattern.Dashed, _ => ScottPlot.LinePattern.Dotted };
            line.LinePattern = pattern;
            lineV.LinePattern = pattern;
            if (first[seed] == firstSeed && stress == 0)
            {
                line.LegendText = $"b = {b:G3}";
            }
        }

        ratio.Title($"DEM true triaxial, {Text("material")}, {Text("spheres")} spheres");
        ratio.XLabel("axial strain ε1 (%)");
        ratio.YLabel("q / p");
        volume.Title($"held stress {string.Join(", ", stresses)} MPa (solid, dashed, dotted)");
        volume.XLabel("axial strain ε1 (%)");
        volume.YLabel("volumetric strain (%, contraction +)");
        LabPlot.WriteSideBySide(png, ratio, volume);
    }

    /// <summary>Validated command-line options.</summary>
    private sealed record LabOptions(int MaterialNumber, SphereMaterial Material, int Spheres, double[] Pressures, double[] BValues, ulong[] Seeds,
        double Strain, double Rate, int Records, int Threads, string Output)
    {
        private static readonly HashSet<string> Known =
            ["--material", "--quick", "--full", "--spheres", "--pressures", "--b-values", "--seeds", "--strain", "--rate", "--records", "--threads", "--out"];

        private static readonly HashSet<string> Flags = ["--quick", "--full"];

        public static LabOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>();
            for (int i = 2; i < args.Length; i++)
            {
                string a = args[i];
                if (!Known.Contains(a))
                {
                    throw new LabArgumentException(a.StartsWith("--", StringComparison.Ordinal)
                        ? $"unknown option '{a}'; expected one of {string.Join(", ", Known)}"
                        : $"unexpected argument '{a}' (every value follows its option)");
                }

                if (values.ContainsKey(a))
                {
                    throw new LabArgumentException($"option {a} is given twice");
                }

                if (Flags.Contains(a))
                {
                    values[a] = "";
                }
                else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    values[a] = args[++i];
                }
                else
                {
                    throw new LabArgumentException($"option {a} needs a value");
                }
            }

            string? Arg(string name) => values.TryGetValue(name, out var v) ? v : null;
            int sizeOptions = new[] { "--quick", "--full", "--spheres" }.Count(values.ContainsKey);
            if (sizeOptions > 1)
            {
                throw new LabArgumentException("give at most one of --quick, --full and --spheres N");
            }

            bool full = values.ContainsKey("--full");
            int material = Integer("--material", Arg("--material") ?? "1");
            if (material is not (1 or 2))
            {
                throw new LabArgumentException($"--material must be 1 (constant p, bell-shaped 4.8–13.9 mm) or 2 (constant σ3, 3.39–28.27 mm), got {material}");
            }

            int spheres = Integer("--spheres", Arg("--spheres") ?? (full ? $"{FullSpheres}" : $"{QuickSpheres}"));
            double[] pressures = List("--pressures", Arg("--pressures") ?? "1,2,4");
            double[] bValues = List("--b-values", Arg("--b-values") ?? "0,0.25,0.5,0.75,1");
            double[] seedValues = List("--seeds", Arg("--seeds") ?? (full ? "1,2,3,4" : "1"));
            double strain = Number("--strain", Arg("--strain") ?? (full ? "0.2" : "0.1"));
            double rate = Number("--rate", Arg("--rate") ?? "4e-6");
            int records = Integer("--records", Arg("--records") ?? "200");
            int threads = Integer("--threads", Arg("--threads") ?? $"{Environment.ProcessorCount}");
            if (spheres < 20)
            {
                throw new LabArgumentException($"--spheres must be at least 20, got {spheres}");
            }

            if (pressures.Any(p => !(p > 0 && p <= 100)))
            {
                throw new LabArgumentException($"--pressures are the held stresses in MPa and must lie in (0, 100], got {string.Join(", ", pressures)}");
            }

            if (bValues.Any(b => !(b >= 0 && b <= 1)))
            {
                throw new LabArgumentException($"--b-values must lie in [0, 1], got {string.Join(", ", bValues)}");
            }

            if (seedValues.Any(s => !(s >= 0 && s == Math.Floor(s) && s < 1e15)) || seedValues.Distinct().Count() != seedValues.Length)
            {
                throw new LabArgumentException($"--seeds must be distinct non-negative integers, got {string.Join(", ", seedValues)}");
            }

            if (!(strain > 0 && strain < 0.5) || !(rate > 0 && rate <= 1e-4) || rate > strain || records < 1 || threads < 1)
            {
                throw new LabArgumentException($"expected 0 < --strain < 0.5, 0 < --rate <= 1e-4 (and not above --strain), --records >= 1 and --threads >= 1; got --strain {strain}, --rate {rate}, --records {records}, --threads {threads}");
            }

            string output = Path.GetFullPath(Arg("--out") ?? $"results/dem-lab-triaxial3d-material{material}");
            if (File.Exists(output))
            {
                throw new LabArgumentException($"--out '{output}' is a file; expected a folder (created if missing)");
            }

            return new LabOptions(material, material == 1 ? SphereMaterial.Material1 : SphereMaterial.Material2, spheres, pressures, bValues,
                [.. seedValues.Select(s => (ulong)s)], strain, rate, records, threads, output);
        }

        private static double Number(string name, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
                : throw new LabArgumentException($"{name} '{text}' is not a number");

        private static int Integer(string name, string text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                : throw new LabArgumentException($"{name} '{text}' is not an integer");

        private static double[] List(string name, string text) => [.. text.Split(',').Select(t => Number(name, t.Trim()))];
    }
}
