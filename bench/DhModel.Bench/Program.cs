using System.Diagnostics;
using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;

// dhmodel-bench [--points N] [--repeats R]: single-thread point throughput of the DhModel plug-in through the SDK
// batch API (elastic, plastic and mixed increments; Consistent and Elastic tangents), then the time to generate
// and write the paper's 450-curve family. Prints a markdown table.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
int points = 100_000, repeats = 7;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--points": points = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--repeats": repeats = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; usage: dhmodel-bench [--points N] [--repeats R]"); return 2;
    }
}

var plugin = new DhModelPlugin();
var constants = new DhConstants();
Console.WriteLine($"DhModel benchmark: {points} points per batch, best of {repeats}, 1 thread, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
Console.WriteLine();
// Wall time suffers from other processes on a shared machine; process CPU time (10-15 ms resolution, hence
// 1e5-point batches) measures the work of this thread alone.
Console.WriteLine("| hypothesis | increments | tangent | plastic fraction | points/s (wall, best) | points/CPU-s (best) | ns/point (wall) |");
Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: |");
foreach (var hypothesis in new[] { ModellingHypothesis.PlaneStrain, ModellingHypothesis.Tridimensional })
{
    foreach (var mix in new[] { "elastic", "plastic", "mixed" })
    {
        foreach (var kind in new[] { TangentKind.Consistent, TangentKind.Elastic })
        {
            var (rate, cpuRate, plasticFraction) = Throughput(hypothesis, mix, kind);
            Console.WriteLine($"| {hypothesis} | {mix} | {kind} | {plasticFraction:P0} | {rate / 1e6:F2} M | {cpuRate / 1e6:F2} M | {1e9 / rate:F0} |");
        }
    }
}

Console.WriteLine();
Console.WriteLine("| 450-curve family (σ3 = 25–1000 kPa) | paths | rows | generate (s) | write CSV (s) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
var pressures = TriaxialFamily.ConfiningPressures(25, 1000, 450);
string dir = Directory.CreateTempSubdirectory("dhbench-").FullName;
try
{
    foreach (var (label, run, parallel) in new (string, Func<double, TriaxialPath>, bool)[]
    {
        ("stress-controlled (Algorithm 1), 1 thread", new StressControlledTriaxial(constants).Run, false),
        ("stress-controlled (Algorithm 1), all threads", new StressControlledTriaxial(constants).Run, true),
        ("strain-controlled (return mapping), 1 thread", new StrainControlledTriaxial(constants).Run, false),
    })
    {
        TriaxialFamily.Generate(pressures[..10], run, parallel); // warm-up
        var clock = Stopwatch.StartNew();
        var paths = TriaxialFamily.Generate(pressures, run, parallel);
        double generate = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long rows = TriaxialFamily.Write(Path.Combine(dir, "family.csv"), paths, new DatasetSource("dhmodel-bench", "DhModel", constants.ToDictionary()));
        double write = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"| {label} | {paths.Length} | {rows} | {generate:F3} | {write:F2} |");
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}

return 0;

(double Rate, double CpuRate, double PlasticFraction) Throughput(ModellingHypothesis hypothesis, string mix, TangentKind kind)
{
    int n = Voigt.Size(hypothesis), m = DhState.Size;
    var rng = new Random(12345);
    var stressOld = new double[points * n];
    var stateOld = new double[points * m];
    var dStrain = new double[points * n];
    Span<double> dir = stackalloc double[n];
    for (int i = 0; i < points; i++)
    {
        // A state on the yield surface (mobilised η between 0.2 and 1.1) at p between 20 and 800 kPa.
        double p = 20 + 780 * rng.NextDouble(), kappa = 0.05 * rng.NextDouble() * rng.NextDouble() + 1e-4;
        double eta = constants.Eta(kappa);
        for (int j = 0; j < n; j++)
        {
            dir[j] = rng.NextDouble() * 2 - 1;
        }

        double tr = (dir[0] + dir[1] + dir[2]) / 3;
        for (int j = 0; j < 3; j++)
        {
            dir[j] -= tr;
        }

        double q = DhInvariants.Q(dir, 0);
        for (int j = 0; j < n; j++)
        {
            stressOld[i * n + j] = dir[j] / q * eta * p - (j < 3 ? p : 0);
        }

        stateOld[i * m] = kappa;
        stateOld[i * m + 1] = eta;
        // Loading increment along the deviatoric stress direction (plastic), its reverse (elastic unloading) or random.
        double size = Math.Pow(10, -5 + 2 * rng.NextDouble());
        double sign = mix switch { "elastic" => -1, "plastic" => 1, _ => 0 };
        for (int j = 0; j < n; j++)
        {
            double along = (j < 3 ? dir[j] : 2 * dir[j]) / q;
            dStrain[i * n + j] = sign != 0 ? sign * size * along - (mix == "plastic" ? 0.1 * size * (j < 3 ? 1 : 0) : 0)
                : size * (rng.NextDouble() * 2 - 1) * (j < 3 ? 1 : 2);
        }
    }

    var batch = new MaterialBatch(hypothesis, points, m, 0, 1, kind, new int[points], new double[points * MaterialBatch.Dimension(hypothesis)],
        new double[points * n], dStrain, stressOld, stateOld, new double[points * n], new double[points * m], new double[points * n * n], new PointStatus[points]);
    using var model = plugin.Create(MaterialParameters.Defaults(plugin.Metadata), hypothesis);
    model.Integrate(batch); // warm-up (JIT, tiering)
    model.Integrate(batch);
    double best = double.MaxValue, bestCpu = double.MaxValue;
    for (int r = 0; r < repeats; r++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        model.Integrate(batch);
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
        bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    var state = batch.State.Span;
    int plastic = 0, failed = 0;
    for (int i = 0; i < points; i++)
    {
        plastic += state[i * m] > stateOld[i * m] ? 1 : 0;
        failed += batch.Status.Span[i].IsOk ? 0 : 1;
    }

    if (failed > 0)
    {
        Console.Error.WriteLine($"warning: {failed} points not Ok in {hypothesis}/{mix}");
    }

    return (points / best, points / Math.Max(bestCpu, 1e-9), (double)plastic / points);
}
