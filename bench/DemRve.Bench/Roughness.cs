using System.Diagnostics;
using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// How smooth an RVE's answer is as a function of the strain increment, which bounds the residual Newton–Raphson
/// can reach in FD-HMM: every iteration restarts the RVE from its committed packing, so an answer that jumps by r
/// kPa between two nearly equal increments leaves a residual of that order whatever the tangent.
/// <c>demrve-bench roughness --log points-all.csv --paths 12,140 --at 40</c> replays the logged strain history of
/// each Gauss point on its RVE up to increment K − 1 (committing every increment), then evaluates the increment K
/// scaled by (1 + s) for s evenly spaced in [−span, span] without committing, fits σ(s) by a straight line per
/// component and reports the RMS of the residuals (the roughness), for each relaxation control.
/// </summary>
public static class Roughness
{
    /// <summary>Runs the study from command-line arguments (args[0] == "roughness"); returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? Arg(string name)
        {
            int i = Array.IndexOf(args, name);
            return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : null;
        }

        string log = Arg("--log") ?? throw new ArgumentException("--log FILE (a femhost point log, points-REGION.csv) is required");
        var data = PathDatasetReader.Read(log);
        var ids = (Arg("--paths") ?? data.Paths[0].Id.ToString(CultureInfo.InvariantCulture)).Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        int at = int.Parse(Arg("--at") ?? "20", CultureInfo.InvariantCulture);
        int samples = int.Parse(Arg("--samples") ?? "11", CultureInfo.InvariantCulture);
        double span = double.Parse(Arg("--span") ?? "0.01", CultureInfo.InvariantCulture);
        double radius = double.Parse(Arg("--radius") ?? "2e-4", CultureInfo.InvariantCulture);
        var p = data.Info.Source.Parameters;
        var preset = MaterialPreset.All.First(m => m.Name == (p.TryGetValue("preset", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : "M1"));
        int particles = p.TryGetValue("particles", out var n) ? Convert.ToInt32(n, CultureInfo.InvariantCulture) : 500;
        ulong seed = p.TryGetValue("seed", out var sd) ? Convert.ToUInt64(sd, CultureInfo.InvariantCulture) : 1;
        double p0 = -0.5 * (data.Paths[0].Rows[0].Stress[0] + data.Paths[0].Rows[0].Stress[1]) * 1e3;
        var spec = RveSpecification.FromPreset(preset, particles, seed, p0);
        var prepared = new PackingCache().GetOrPrepare(spec, out _);
        var control = spec.Loading;
        (string Name, LoadingControl Control)[] variants =
        [
            ("fixed 200 (default)", control),
            ("fixed 1000", control with { RelaxationSteps = 1000 }),
            ("equilibrium 1e-3", control with { RelaxToEquilibrium = true, UnbalancedTolerance = 1e-3 }),
            ("equilibrium 1e-4", control with { RelaxToEquilibrium = true, UnbalancedTolerance = 1e-4, MaxRelaxationSteps = 50_000 }),
        ];

        Console.WriteLine($"RVE roughness: {preset.Name}, {particles} disks, increment {at} of {log}, {samples} increments scaled by 1 + s, |s| <= {span}");
        Console.WriteLine();
        Console.WriteLine($"Linearisation error: |σ(Δε + δ) − σ(Δε) − D δ| for the six strain perturbations δ = ±{radius} in ε11, ε22, ε12 (D: the relaxed tangent of the run at Δε), RMS over them.");
        Console.WriteLine();
        Console.WriteLine("| Gauss point | relaxation | p (kPa) | largest increment component | roughness of σ (kPa, RMS about the line) | roughness / p | slope |dσ/ds| (kPa) | linearisation error (kPa) | D δ (kPa, RMS) | unbalanced ratio | DEM steps | s per call |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int id in ids)
        {
            var rows = data.Paths.First(x => x.Id == id).Rows;
            if (at < 1 || at >= rows.Count)
            {
                throw new ArgumentException($"--at {at} is outside the {rows.Count - 1} increments of Gauss point {id}");
            }

            foreach (var (name, loading) in variants)
            {
                var point = new RveMaterialPoint(prepared, spec with { Loading = loading });
                for (int k = 1; k < at; k++)
                {
                    point.Deform(Strain(rows[k]));
                    point.Commit();
                }

                Mat2 from = Strain(rows[at - 1]), step = Strain(rows[at]) - from;
                var s = Enumerable.Range(0, samples).Select(i => samples == 1 ? 0 : -span + (2 * span * i / (samples - 1))).ToArray();
                var sxx = new double[samples];
                var syy = new double[samples];
                var sxy = new double[samples];
                double unbalanced = 0, steps = 0;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < samples; i++)
                {
                    var r = point.Deform(from + ((1 + s[i]) * step));
                    (sxx[i], syy[i], sxy[i]) = (r.Stress.XX / 1e3, r.Stress.YY / 1e3, r.Stress.XY / 1e3);
                    unbalanced = Math.Max(unbalanced, r.Loading.UnbalancedForceRatio);
                    steps += r.Loading.Steps;
                }

                double seconds = clock.Elapsed.TotalSeconds / samples;
                var (linError, linSize) = LinearisationError(point, from + step, step, radius);
                var (rxx, bxx) = LineFit(s, sxx);
                var (ryy, byy) = LineFit(s, syy);
                var (rxy, bxy) = LineFit(s, sxy);
                double rough = Math.Sqrt((rxx * rxx + ryy * ryy + 2 * rxy * rxy) / 4);
                double pressure = -0.5 * (sxx.Average() + syy.Average());
                double slope = Math.Sqrt((bxx * bxx + byy * byy + 2 * bxy * bxy) / 4);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {id} | {name} | {pressure:F1} | {step.MaxAbs:E2} | {rough:F3} | {rough / Math.Max(pressure, 1e-9):E2} | {slope:F3} | {linError:F3} | {linSize:F3} | {unbalanced:E2} | {steps / samples:F0} | {seconds:F3} |"));
            }
        }

        return 0;
    }

    /// <summary>
    /// The error of the first-order answer σ(Δε) + D δ that <c>reuse: linear</c> gives within its ball, against RVE runs
    /// at Δε + δ, for δ = ±<paramref name="radius"/> along ε11, ε22 and ε12 (tensor component); RMS over the six, and the
    /// RMS size of D δ itself for scale.
    /// </summary>
    private static (double Error, double Size) LinearisationError(RveMaterialPoint point, Mat2 strain, Mat2 increment, double radius)
    {
        var center = point.Deform(strain).Stress;
        Span<double> d = stackalloc double[16];
        point.RelaxedTangent(strain, increment, 1e-4, 100, 0.5, 1e-3, d);
        double error = 0, size = 0;
        int count = 0;
        foreach (int c in new[] { 0, 1, 3 })
        {
            foreach (double sign in new[] { -1.0, 1.0 })
            {
                double h = sign * radius;
                var delta = c == 0 ? new Mat2(h, 0, 0, 0) : c == 1 ? new Mat2(0, 0, 0, h) : new Mat2(0, h, h, 0);
                var actual = point.Deform(strain + delta).Stress;
                double engineering = c == 3 ? 2 * h : h; // the Voigt tangent acts on engineering shear
                for (int i = 0; i < 3; i++)
                {
                    int row = i == 2 ? 3 : i;
                    double predicted = (i == 0 ? center.XX : i == 1 ? center.YY : center.XY) / 1e3 + (d[(4 * row) + c] * engineering);
                    double measured = (i == 0 ? actual.XX : i == 1 ? actual.YY : actual.XY) / 1e3;
                    error += (measured - predicted) * (measured - predicted) * (i == 2 ? 2 : 1);
                    size += d[(4 * row) + c] * engineering * d[(4 * row) + c] * engineering * (i == 2 ? 2 : 1);
                }

                count += 4;
            }
        }

        return (Math.Sqrt(error / count), Math.Sqrt(size / count));
    }

    private static Mat2 Strain(PathRow row) => new(row.Strain[0], 0.5 * row.Strain[3], 0.5 * row.Strain[3], row.Strain[1]);

    /// <summary>Least-squares line y = a + b x: the RMS of the residuals and the slope b.</summary>
    private static (double Rms, double Slope) LineFit(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx)), sxy = x.Zip(y).Sum(t => (t.First - mx) * (t.Second - my));
        double b = sxx > 0 ? sxy / sxx : 0, a = my - (b * mx);
        return (Math.Sqrt(x.Zip(y).Average(t => Math.Pow(t.Second - a - (b * t.First), 2))), b);
    }
}
