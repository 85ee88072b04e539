using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// Virtual laboratory: drained biaxial compression of DEM RVEs at a set of confining pressures, written
/// as a femhost-path-dataset (CSV + JSON sidecar; one path per pressure) for the neural trainer.
/// <c>demrve-bench lab --preset M1 --particles 500 --pressures 50,100,200 --strain 0.12 --out results/dem-lab-m1.csv</c>
/// </summary>
public static class VirtualLab
{
    /// <summary>Runs the lab from command-line arguments; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var presetName = Arg("--preset", "M1");
        var preset = MaterialPreset.All.FirstOrDefault(m => m.Name == presetName);
        if (preset is null)
        {
            Console.Error.WriteLine($"demrve-bench lab: unknown --preset '{presetName}'; expected one of {string.Join(", ", MaterialPreset.All.Select(m => m.Name))}");
            return 2;
        }

        int particles = int.Parse(Arg("--particles", "500"), CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(Arg("--seed", "1"), CultureInfo.InvariantCulture);
        double finalStrain = double.Parse(Arg("--strain", "0.12"), CultureInfo.InvariantCulture);
        double rate = double.Parse(Arg("--rate", "2e-6"), CultureInfo.InvariantCulture);
        int records = int.Parse(Arg("--records", "100"), CultureInfo.InvariantCulture);
        var pressures = Arg("--pressures", "100").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        string output = Path.GetFullPath(Arg("--out", $"results/dem-lab-{preset.Name.ToLowerInvariant()}.csv"));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.PlaneStrain,
            ExtraColumns = ["coordination", "fabric11", "fabric22", "fabric12"],
            Source = new DatasetSource("demrve-bench lab (drained biaxial, constant lateral stress)", "DemRve",
                new Dictionary<string, object>
                {
                    ["preset"] = preset.Name,
                    ["particles"] = (long)particles,
                    ["final_axial_strain"] = finalStrain,
                    ["strain_per_step"] = rate,
                    ["confining_pressures_kPa"] = string.Join(",", pressures.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                },
                (long)seed),
        };
        var cache = new PackingCache();
        var results = new IReadOnlyList<BiaxialRecord>[pressures.Length];
        Parallel.For(0, pressures.Length, k =>
        {
            var spec = RveSpecification.FromPreset(preset, particles, seed, pressures[k] * 1e3);
            var solver = spec.CreateSolver(cache.GetOrPrepare(spec, out _));
            results[k] = DrainedBiaxialTest.Run(solver, pressures[k] * 1e3, finalStrain, rate, records);
        });

        using var writer = new PathDatasetWriter(output, info);
        Span<double> eps = stackalloc double[4], phi = stackalloc double[4], sig = stackalloc double[4], extras = stackalloc double[4];
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
                    phi[j] += Math.Abs(eps[j] - previous[j]); // paper eq. 5
                    previous[j] = eps[j];
                }

                sig[0] = r.Stress.XX / 1e3; sig[1] = r.Stress.YY / 1e3; sig[2] = 0.5 * (sig[0] + sig[1]); sig[3] = r.Stress.XY / 1e3;
                extras[0] = r.Coordination; extras[1] = r.Fabric.XX; extras[2] = r.Fabric.YY; extras[3] = r.Fabric.XY;
                writer.WriteRow(k, step, r.AxialStrain + 0.0, eps, phi, sig, [], extras);
            }

            var peak = results[k].MaxBy(r => r.MobilisedFrictionAngle);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"confining {pressures[k]} kPa: peak friction angle {peak.MobilisedFrictionAngle:F1} deg at axial strain {peak.AxialStrain:P2}, final {results[k][^1].MobilisedFrictionAngle:F1} deg, volumetric strain {results[k][^1].VolumetricStrain:P2}"));
        }

        writer.Complete();
        Console.WriteLine($"wrote {output} (+ .json sidecar)");
        return 0;
    }
}
