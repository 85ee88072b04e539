using System.Diagnostics;
using System.Globalization;
using FemHost.Materials.DemRve.Dem3D;
using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// Throughput of the 3D sphere kernel (<see cref="SphereDemSolver"/> driven by the <see cref="CellServo"/>) in
/// particle-steps per second on one core, for a few packing sizes (docs/dem-3d.md):
/// <code>
/// demrve-bench kernel3d [--sizes 500,2000,8000] [--material 1|2] [--steps N] [--quick]
/// </code>
/// Each packing is generated and consolidated isotropically to 1 MPa (loose tolerances: a state to time, not
/// to publish), then loaded on the paper's constant-p path (p = 1 MPa, b = 0.5, 4·10⁻⁶ axial strain per step):
/// contact forces, integration, pair-list rebuilds and the servo with its Voigt stiffness are all timed.
/// One thread: the rate is per core.
/// </summary>
public static class Kernel3d
{
    private const string Usage = "usage: demrve-bench kernel3d [--sizes N1,N2,...] [--material 1|2] [--steps N] [--quick]";

    /// <summary>Runs the benchmark (args[0] == "kernel3d"); returns the exit code (2: bad arguments).</summary>
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int[] sizes;
        int material, steps;
        try
        {
            sizes = (Value(args, "--sizes") ?? (quick ? "500,2000" : "500,2000,8000"))
                .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            material = int.Parse(Value(args, "--material") ?? "1", CultureInfo.InvariantCulture);
            steps = int.Parse(Value(args, "--steps") ?? "0", CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"demrve-bench kernel3d: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (material is not (1 or 2) || sizes.Any(n => n < 50) || steps < 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var mat = material == 1 ? SphereMaterial.Material1 : SphereMaterial.Material2;
        Console.WriteLine($"3D DEM kernel benchmark, {mat.Name} ({mat.Gradation.Shape}, d = {mat.Gradation.MinDiameter * 1e3:G3}–{mat.Gradation.MaxDiameter * 1e3:G3} mm), "
            + $"{DateTime.UtcNow:u}, {Environment.ProcessorCount} logical cores, load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| spheres | listed pairs | contacts | Z | solid fraction | Δt (s) | preparation | timed steps | pair builds / 1000 steps | µs per step | **particle-steps / s per core** (wall) | (process CPU) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int n in sizes)
        {
            var clock = Stopwatch.StartNew();
            var p = SpherePackingGenerator.Generate(n, mat.Gradation, mat.Law.Density, 1);
            var solver = new SphereDemSolver(p, mat.Law);
            SphereConsolidation.Run(solver, new ConsolidationControl(
                1e6, 0.0, mat.Law.Friction, Tolerance: 0.02, MaxStrainPerStep: 1e-4, UnbalancedTolerance: 0.01));
            double prep = clock.Elapsed.TotalSeconds;

            var path = new TrueTriaxialPath(TrueTriaxialMode.ConstantMeanStress, 1e6, 0.5);
            var servo = new CellServo(solver, 0.25, 8e-5);
            void Load(int count)
            {
                for (int s = 0; s < count; s++)
                {
                    var (s2, s3) = path.LateralStresses(-solver.Stress.X11);
                    servo.Step(AxisControl.Strain(-4e-6), AxisControl.Stress(s2), AxisControl.Stress(s3));
                }
            }

            // Enough steps for ~2·10⁷ particle-steps (several seconds), at least 500.
            int timed = steps > 0 ? steps : Math.Max(500, (quick ? 5_000_000 : 20_000_000) / n);
            Load(Math.Min(2000, timed / 4)); // warm-up (JIT tiering)
            long builds0 = solver.Builds;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            Load(timed);
            double wall = clock.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            double buildsPer1000 = 1000.0 * (solver.Builds - builds0) / timed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {p.PairCount} | {solver.ContactCount} | {SphereHomogenisation.CoordinationNumber(p):F2} | {p.SolidFraction:F3} | {solver.TimeStep:E2} | {prep:F1} s | {timed} | {buildsPer1000:F2} | "
                + $"{wall / timed * 1e6:F0} | **{(double)n * timed / wall / 1e6:F2} million** | {(double)n * timed / cpu / 1e6:F2} million |"));
        }

        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
