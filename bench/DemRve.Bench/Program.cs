using System.Diagnostics;
using System.Globalization;
using FemHost.Materials.DemRve;
using FemHost.Materials.DemRve.Engine;
using FemHost.MaterialSdk;

// DemRve benchmark: one command, one table (docs/dem-rve.md).
//   dotnet run -c Release --project bench/DemRve.Bench [-- --quick] [--particles 500] [--iterations 6] [--cores 2]
// 1. throughput of one 500-disk M1 RVE (particle-steps per second on one core);
// 2. DEM steps and wall time per FEM increment of 0.12 % axial strain (biaxial-like strain path,
//    each increment committed, as a Gauss point sees it);
// 3. whole FD-HMM estimate: 288 RVEs × 100 steps × (Newton iterations × (increment + relaxed tangent) + the
//    predictor's zero increment (relaxed tangent only)) × CPU time per DEM step / cores;
// 4. where the time goes (force + integration, pair-list builds, restore copy, eq. 7 tangent).
// `demrve-bench lab ...` runs the virtual laboratory instead (see VirtualLab.cs), `demrve-bench roughness ...` the
// smoothness of an RVE's answer in its strain increment (see Roughness.cs), `demrve-bench kernel3d ...` the throughput
// of the 3D sphere kernel (see Kernel3d.cs, docs/dem-3d.md).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "lab")
{
    return FemHost.Materials.DemRve.Bench.VirtualLab.Run(args);
}

if (args.Length > 0 && args[0] == "roughness")
{
    return FemHost.Materials.DemRve.Bench.Roughness.Run(args);
}

if (args.Length > 0 && args[0] == "kernel3d")
{
    return FemHost.Materials.DemRve.Bench.Kernel3d.Run(args);
}

bool quick = args.Contains("--quick");
int particles = Option("--particles", 500);
int iterations = Option("--iterations", 6); // mean Newton iterations per step of the M1 case (docs/dem-rve.md)
int cores = Option("--cores", 2);
int increments = quick ? 5 : 20;
int throughputSteps = quick ? 5_000 : 40_000;

var spec = RveSpecification.FromPreset(MaterialPreset.M1, particles, 1, 100e3);
var cache = new PackingCache();
var clock = Stopwatch.StartNew();
var prepared = cache.GetOrPrepare(spec, out bool fromCache);
double prepSeconds = clock.Elapsed.TotalSeconds;

// 1. Throughput: relaxation and loading steps of one RVE on one thread.
var work = prepared.Clone();
var solver = spec.CreateSolver(work);
for (int s = 0; s < 20_000; s++)
{
    solver.Step(Mat2.Zero); // warm-up (JIT tiering)
}

long builds0 = solver.Builds;
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
clock.Restart();
var dh = (2e-6 / 1.0) * new Mat2(0.5, 0, 0, -1) * work.Cell;
for (int s = 0; s < throughputSteps; s++)
{
    solver.Step(s % 2 == 0 ? dh : Mat2.Zero);
}

double stepSeconds = clock.Elapsed.TotalSeconds / throughputSteps;
double stepCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / throughputSteps;
double buildsPerStep = (double)(solver.Builds - builds0) / throughputSteps;
double rate = particles / stepSeconds;

// 2. FEM increments of 0.12 % axial strain through the material point (restore, load, relax, tangent).
var point = new RveMaterialPoint(prepared, spec);
var steps = new List<int>();
var callSeconds = new List<double>();
var tangent = new double[16];
for (int k = 1; k <= increments; k++)
{
    clock.Restart();
    var response = point.Deform(new Mat2(0.0005 * k, 0, 0, -0.0012 * k));
    Homogenisation.ContactTangent(point.Trial, tangent);
    callSeconds.Add(clock.Elapsed.TotalSeconds);
    steps.Add(response.Loading.Steps);
    point.Commit();
}

// 2b. The same increments with the relaxed tangent (four extra short RVE runs per call).
var relaxedPoint = new RveMaterialPoint(prepared, spec);
var relaxedTangent = new double[16];
var relaxedSeconds = new List<double>();
for (int k = 1; k <= Math.Min(increments, 5); k++)
{
    clock.Restart();
    var strain = new Mat2(0.0005 * k, 0, 0, -0.0012 * k);
    relaxedPoint.Deform(strain);
    relaxedPoint.RelaxedTangent(strain, new Mat2(0.0005, 0, 0, -0.0012), 1e-4, 100, 0.5, 1e-3, relaxedTangent); // 100: the plug-in's tangentRelaxationSteps
    relaxedSeconds.Add(clock.Elapsed.TotalSeconds);
    relaxedPoint.Commit();
}

// 3. Where the time goes, measured separately.
clock.Restart();
int reps = quick ? 200 : 1000;
for (int r = 0; r < reps; r++)
{
    solver.Rebuild();
}

double buildSeconds = clock.Elapsed.TotalSeconds / reps;
clock.Restart();
for (int r = 0; r < reps; r++)
{
    point.Trial.CopyFrom(point.Committed);
}

double copySeconds = clock.Elapsed.TotalSeconds / reps;
clock.Restart();
Span<double> cc = stackalloc double[16];
for (int r = 0; r < reps; r++)
{
    Homogenisation.ContactTangent(point.Trial, cc);
}

double tangentSeconds = clock.Elapsed.TotalSeconds / reps;

double meanSteps = steps.Average();
double meanCall = callSeconds.Average();
double fdhmmCalls = 288.0 * 100 * iterations;
double fdhmmMinutes = fdhmmCalls * meanCall / cores / 60;
// Relaxed tangent (the default): four probes of max(MinLoadSteps, δ/rate) + relaxationSteps steps each.
var control = spec.Loading;
int tangentSteps = 4 * (Math.Max(control.MinLoadSteps, (int)Math.Ceiling(1e-4 / control.MaxStrainPerStep)) + control.RelaxationSteps);
// The predictor's zero increment costs nothing: the committed packing and its tangent are returned as kept.
double stepsPerFemStep = iterations * (meanSteps + tangentSteps);
double fdhmmCpuMinutes = 288.0 * 100 * stepsPerFemStep * stepCpuSeconds / cores / 60;
double perCall = meanSteps * stepSeconds;

Console.WriteLine($"DemRve benchmark ({(quick ? "quick" : "full")}), {DateTime.UtcNow:u}, {Environment.ProcessorCount} logical cores, load average {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| quantity | value |");
Console.WriteLine("| --- | --- |");
Console.WriteLine($"| RVE | M1, {particles} disks, 100 kPa, dense, {work.PairCount} listed pairs, {solver.ContactCount} contacts |");
Console.WriteLine($"| preparation (consolidation + relaxation) | {prepSeconds:F2} s ({(fromCache ? "from cache" : "prepared")}) |");
Console.WriteLine($"| time step Δt | {solver.TimeStep:E3} s |");
Console.WriteLine($"| wall time per DEM step | {stepSeconds * 1e6:F1} µs |");
Console.WriteLine($"| **particle-steps per second per core** (wall clock) | **{rate / 1e6:F2} million** |");
Console.WriteLine($"| particle-steps per second per core (process CPU time; less sensitive to other load) | {particles / stepCpuSeconds / 1e6:F2} million |");
Console.WriteLine($"| pair-list builds per step | {buildsPerStep:F4} |");
Console.WriteLine($"| DEM steps per FEM increment of 0.12 % axial strain (mean, min, max over {increments}) | {meanSteps:F0} ({steps.Min()}, {steps.Max()}) |");
Console.WriteLine($"| wall time per RVE call (restore + load + relax + tangent) | {meanCall * 1e3:F1} ms |");
Console.WriteLine($"| FD-HMM estimate with eq. 7 (wall time per call, 288 RVEs × 100 steps × {iterations} iterations on {cores} cores) | {fdhmmMinutes:F1} min |");
Console.WriteLine($"| wall time per RVE call with the relaxed tangent (tangentMethod: relaxed) | {relaxedSeconds.Average() * 1e3:F1} ms ({relaxedSeconds.Average() / meanCall:F2} × eq. 7) |");
Console.WriteLine($"| DEM steps per RVE and FEM step with the relaxed tangent ({iterations} iterations × ({meanSteps:F0} increment + {tangentSteps} tangent); predictor free) | {stepsPerFemStep:F0} |");
Console.WriteLine($"| **FD-HMM estimate from CPU time per DEM step** (288 RVEs × 100 steps × {stepsPerFemStep:F0} steps × {stepCpuSeconds * 1e6:F1} µs / {cores} cores) | **{fdhmmCpuMinutes:F1} min** (paper: 112 min on 12 cores; target < 60 min) |");
Console.WriteLine();
Console.WriteLine("Where the time of one RVE call goes:");
Console.WriteLine();
Console.WriteLine("| part | time per call | share |");
Console.WriteLine("| --- | --- | --- |");
double buildsPerCall = buildsPerStep * meanSteps;
double forces = Math.Max(0, perCall - buildsPerCall * buildSeconds);
Row("contact forces + integration (steps × step time, builds excluded)", forces);
Row($"pair-list builds ({buildsPerCall:F1} per call × {buildSeconds * 1e6:F0} µs)", buildsPerCall * buildSeconds);
Row("restore committed packing (copy)", copySeconds);
Row("eq. 7 tangent + fabric", 2 * tangentSeconds);

// Shares of the sum of the parts (each part timed on its own; under load the wall time of the whole call varies).
void Row(string name, double seconds) =>
    Console.WriteLine($"| {name} | {seconds * 1e3:F3} ms | {100 * seconds / (forces + buildsPerCall * buildSeconds + copySeconds + 2 * tangentSeconds):F1} % |");

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
