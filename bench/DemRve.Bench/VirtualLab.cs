using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// Virtual laboratory on single DEM RVEs: drained biaxial tests at constant lateral stress (one path per
/// confining pressure), the stress-path family of Qu et al. (2023) §3.2 and cyclic loading. Each run writes a
/// femhost-path-dataset (CSV + JSON sidecar) and a PNG of the curves. The command line is documented in
/// docs/dem-rve.md ("Virtual laboratory") and is kept stable for the data pipeline:
/// <code>
/// demrve-bench lab biaxial --pressures 50,100,200 [options]
/// demrve-bench lab family  [options]     (confining 25, 50, …, 1000 kPa: 40 paths)
/// demrve-bench lab cyclic  --pressures 100 --reversals 0.01,0.004,0.02,0.01,0.03 [options]
/// demrve-bench lab triaxial3d [options of TrueTriaxialLab]   (3D spheres: the true triaxial families of §4.1)
/// demrve-bench lab triaxial3d-merge --out FOLDER A.csv[.gz] B.csv[.gz] ...   (one family from parts run by seed)
/// options: --preset M1|M2  --particles N  --seed S  --strain EA  --rate R  --records K  --out FILE.csv  --fast
/// </code>
/// </summary>
public static class VirtualLab
{
    private const string Usage = "usage: demrve-bench lab biaxial|family|cyclic [--preset M1|M2] [--particles N] [--seed S] [--pressures P1,P2,... (kPa)] "
        + "[--strain final axial strain] [--reversals E1,E2,... (cyclic)] [--rate axial strain per DEM step] [--records K] [--out FILE.csv] [--fast]";

    /// <summary>Confining pressures of the §3.2 family: 25 to 1000 kPa in steps of 25 kPa (40 paths).</summary>
    public static IReadOnlyList<double> FamilyPressures { get; } = Enumerable.Range(1, 40).Select(k => 25.0 * k).ToArray();

    /// <summary>Runs the lab from command-line arguments (args[0] == "lab"); returns the exit code (2: bad arguments).</summary>
    public static int Run(string[] args)
    {
        try
        {
            return RunChecked(args);
        }
        catch (LabArgumentException e)
        {
            Console.Error.WriteLine($"demrve-bench lab: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static int RunChecked(string[] args)
    {
        if (args.Length > 1 && args[1] == "triaxial3d")
        {
            return TrueTriaxialLab.Run(args);
        }

        if (args.Length > 1 && args[1] == "triaxial3d-merge")
        {
            return TrueTriaxialMerge.Run(args, Console.Out, Console.Error);
        }

        // "lab --preset ..." (no test named) is the biaxial test, as in the first version of this command.
        string test = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : "biaxial";
        if (test is not ("biaxial" or "family" or "cyclic"))
        {
            throw new LabArgumentException($"unknown test '{test}'; expected biaxial, family, cyclic, triaxial3d or triaxial3d-merge (3D spheres, see TrueTriaxialLab)");
        }

        var known = new HashSet<string> { "--preset", "--particles", "--seed", "--pressures", "--strain", "--reversals", "--rate", "--records", "--out", "--fast" };
        foreach (var a in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            if (!known.Contains(a))
            {
                throw new LabArgumentException($"unknown option '{a}'; expected one of {string.Join(", ", known)}");
            }
        }

        bool fast = args.Contains("--fast");
        string? Arg(string name)
        {
            int i = Array.IndexOf(args, name);
            return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : throw new LabArgumentException($"option {name} needs a value");
        }

        double Number(string name, string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
            : throw new LabArgumentException($"{name} '{text}' is not a number");
        double[] List(string name, string text) => text.Split(',').Select(t => Number(name, t.Trim())).ToArray();

        var presetName = Arg("--preset") ?? "M1";
        var preset = MaterialPreset.All.FirstOrDefault(m => m.Name == presetName)
            ?? throw new LabArgumentException($"unknown --preset '{presetName}'; expected one of {string.Join(", ", MaterialPreset.All.Select(m => m.Name))}");
        int particles = (int)Number("--particles", Arg("--particles") ?? (fast ? "200" : "500"));
        ulong seed = (ulong)Number("--seed", Arg("--seed") ?? "1");
        double rate = Number("--rate", Arg("--rate") ?? (fast ? "1e-5" : "2e-6"));
        int records = (int)Number("--records", Arg("--records") ?? "100");
        double finalStrain = Number("--strain", Arg("--strain") ?? (fast ? "0.06" : "0.12"));
        double[] pressures = test == "family" ? [.. FamilyPressures] : List("--pressures", Arg("--pressures") ?? "100");
        double[] targets = test == "cyclic" ? List("--reversals", Arg("--reversals") ?? "0.01,0.004,0.02,0.01,0.03") : [finalStrain];
        if (particles < 10 || rate <= 0 || rate > 1e-3 || records < 1 || pressures.Any(p => p <= 0) || targets.Any(t => t <= -0.5 || t >= 0.5))
        {
            throw new LabArgumentException("expected --particles >= 10, 0 < --rate <= 1e-3, --records >= 1, positive --pressures (kPa) and axial strains in (-0.5, 0.5)");
        }

        string output = Path.GetFullPath(Arg("--out") ?? $"results/dem-lab-{test}-{preset.Name.ToLowerInvariant()}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cache = new PackingCache();
        var results = new IReadOnlyList<BiaxialRecord>[pressures.Length];
        Parallel.For(0, pressures.Length, k =>
        {
            var spec = RveSpecification.FromPreset(preset, particles, seed, pressures[k] * 1e3);
            var solver = spec.CreateSolver(cache.GetOrPrepare(spec, out _));
            results[k] = DrainedBiaxialTest.Run(solver, pressures[k] * 1e3, targets, rate, records);
        });

        Write(output, test, preset, particles, seed, rate, pressures, targets, results);
        string png = Path.ChangeExtension(output, ".png");
        LabPlot.Write(png, $"DEM {test}, {preset.Name}, {particles} disks", pressures, results);
        for (int k = 0; k < pressures.Length; k++)
        {
            var peak = results[k].MaxBy(r => r.MobilisedFrictionAngle);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"confining {pressures[k]} kPa: peak friction angle {peak.MobilisedFrictionAngle:F1} deg at axial strain {peak.AxialStrain:P2}, final {results[k][^1].MobilisedFrictionAngle:F1} deg, volumetric strain {results[k][^1].VolumetricStrain:P2}"));
        }

        Console.WriteLine($"wrote {output} (+ .json sidecar) and {png} in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>One path per confining pressure; φ accumulates |Δε| (paper eq. 5); σ33 = ½(σ11 + σ22) as in the plug-in.</summary>
    private static void Write(string output, string test, MaterialPreset preset, int particles, ulong seed, double rate,
        double[] pressures, double[] targets, IReadOnlyList<BiaxialRecord>[] results)
    {
        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.PlaneStrain,
            ExtraColumns = ["confining_kPa", "coordination", "fabric11", "fabric22", "fabric12"],
            Source = new DatasetSource($"demrve-bench lab {test} (drained biaxial: constant lateral stress, axial strain controlled)", "DemRve",
                new Dictionary<string, object>
                {
                    ["preset"] = preset.Name,
                    ["particles"] = (long)particles,
                    ["axial_strain_targets"] = string.Join(",", targets.Select(t => t.ToString(CultureInfo.InvariantCulture))),
                    ["strain_per_step"] = rate,
                    ["confining_pressures_kPa"] = string.Join(",", pressures.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                    ["time_column"] = "axial strain (compression positive)",
                },
                (long)seed),
        };
        using var writer = new PathDatasetWriter(output, info);
        Span<double> eps = stackalloc double[4], phi = stackalloc double[4], sig = stackalloc double[4], extras = stackalloc double[5];
        Span<double> previous = stackalloc double[4];
        for (int k = 0; k < pressures.Length; k++)
        {
            phi.Clear();
            previous.Clear();
            for (int step = 0; step < results[k].Count; step++)
            {
                var r = results[k][step];
                eps[0] = r.Strain.XX; eps[1] = r.Strain.YY; eps[2] = 0; eps[3] = 2 * r.Strain.XY;
                for (int j = 0; j < 4; j++)
                {
                    phi[j] += Math.Abs(eps[j] - previous[j]);
                    previous[j] = eps[j];
                }

                sig[0] = r.Stress.XX / 1e3; sig[1] = r.Stress.YY / 1e3; sig[2] = 0.5 * (sig[0] + sig[1]); sig[3] = r.Stress.XY / 1e3;
                extras[0] = pressures[k]; extras[1] = r.Coordination; extras[2] = r.Fabric.XX; extras[3] = r.Fabric.YY; extras[4] = r.Fabric.XY;
                writer.WriteRow(k, step, r.AxialStrain + 0.0, eps, phi, sig, [], extras);
            }
        }

        writer.Complete();
    }
}
