using System.Diagnostics;
using FemHost.Cases;
using FemHost.Fem.Assembly;
using FemHost.Fem.Meshes;
using FemHost.Fem.Model;
using FemHost.LinearAlgebra;
using FemHost.Materials.Elastic;

namespace FemHost.Bench;

/// <summary>
/// Timings (wall-clock seconds), sizes and accuracy of one elastic-square solve; <c>CpuSeconds</c> is the
/// CPU time (user + system, all threads) the process spent from the pattern to the solve: on a loaded
/// machine it is the better guide to what the wall-clock time would be on an idle one.
/// </summary>
public sealed record RunResult(
    int N, string Solver, int Dofs, long MatrixNonZeros, double Model, double Pattern, double Assembly,
    double Analysis, double Factorisation, double Solve, long FactorNonZeros, double PeakRssMiB, double Error, double CpuSeconds)
{
    /// <summary>Pattern + assembly + analysis + factorisation + solve: the cost of one linear FE solve once the model exists.</summary>
    public double Total => Pattern + Assembly + Analysis + Factorisation + Solve;

    /// <summary>One machine-readable line (the parent process parses it).</summary>
    public string ToLine() => string.Join(';', N, Solver, Dofs, MatrixNonZeros, R(Model), R(Pattern), R(Assembly), R(Analysis),
        R(Factorisation), R(Solve), FactorNonZeros, R(PeakRssMiB), Error.ToString("E2", System.Globalization.CultureInfo.InvariantCulture), R(CpuSeconds));

    /// <summary>Parses <see cref="ToLine"/>.</summary>
    public static RunResult Parse(string line)
    {
        var f = line.Split(';');
        static double D(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return new RunResult(int.Parse(f[0]), f[1], int.Parse(f[2]), long.Parse(f[3]), D(f[4]), D(f[5]), D(f[6]), D(f[7]),
            D(f[8]), D(f[9]), long.Parse(f[10]), D(f[11]), D(f[12]), D(f[13]));
    }

    private static string R(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One linear solve of the benchmark problem: a unit square of N × N Q8 elements (3×3 Gauss points),
/// isotropic elastic (E = 10⁵ kPa, ν = 0.3), on rollers at the left and bottom edges, with a pressure
/// p = 100 kPa on the top edge. The exact solution is homogeneous plane-strain compression,
/// u_x = ν(1+ν)p/E · x and u_y = −(1−ν²)p/E · y, which Q8 reproduces exactly, so the relative error
/// checks every solve. Uses the host's own mesh generator, model builder, pattern and assembler.
/// </summary>
public static class ElasticSquareRun
{
    private const double Youngs = 1e5, Poisson = 0.3, Pressure = 100;

    /// <summary>Runs size <paramref name="n"/> with the given solver and returns the measurements.</summary>
    public static RunResult Run(int n, LinearSolverKind kind, int threads)
    {
        var clock = Stopwatch.StartNew();
        var mesh = StructuredMesh.Rectangle(new RectangleMesh(1, 1, n, n));
        using var model = ModelBuilder.Build(Case(n), (_, _) => new ElasticPlugin(), mesh);
        double tModel = Lap(clock);
        var cpu0 = CpuTime();

        var k = SparsityPattern.Build(mesh, upperTriangle: true);
        var assembler = new Assembler(model, threads);   // element colouring: once per mesh, like the pattern
        double tPattern = Lap(clock);

        int dofs = model.DofCount;
        var zero = new double[dofs];
        var fInt = new double[dofs];
        assembler.Integrate(zero, zero, 0, 1);
        assembler.Assemble(fInt, k);
        Constraints.Eliminate(k, model.IsPrescribed);
        var rhs = new double[dofs];
        model.ExternalForce(1, rhs);
        for (int i = 0; i < dofs; i++)
        {
            rhs[i] = model.IsPrescribed[i] ? 0 : rhs[i] - fInt[i];
        }

        double tAssembly = Lap(clock);

        using var solver = SparseSolverFactory.Create(kind, threads, Console.Error);
        solver.Analyze(k);
        double tAnalysis = Lap(clock);
        solver.Factorize(k);
        double tFactor = Lap(clock);
        var u = new double[dofs];
        solver.Solve(rhs, u);
        double tSolve = Lap(clock);
        double cpu = (CpuTime() - cpu0).TotalSeconds;

        long factorNonZeros = solver switch
        {
            PardisoSolver p => p.FactorNonZeros,
            ManagedSparseSolver m => m.FactorNonZeros + dofs,
            _ => 0,
        };
        return new RunResult(n, kind.ToString(), dofs, k.NonZeros, tModel, tPattern, tAssembly, tAnalysis, tFactor, tSolve,
            factorNonZeros, PeakResidentMiB(), ErrorAgainstExact(mesh, u), cpu);
    }

    /// <summary>Process peak resident set size (VmHWM of /proc/self/status), in MiB.</summary>
    public static double PeakResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
            }
        }

        return double.NaN;
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static double ErrorAgainstExact(Mesh mesh, double[] u)
    {
        double ex = Poisson * (1 + Poisson) * Pressure / Youngs, ey = -(1 - Poisson * Poisson) * Pressure / Youngs;
        double err = 0, scale = 0;
        for (int a = 0; a < mesh.NodeCount; a++)
        {
            double x = mesh.Coordinates[2 * a], y = mesh.Coordinates[2 * a + 1];
            err = Math.Max(err, Math.Max(Math.Abs(u[2 * a] - ex * x), Math.Abs(u[2 * a + 1] - ey * y)));
            scale = Math.Max(scale, Math.Max(Math.Abs(ex * x), Math.Abs(ey * y)));
        }

        return err / scale;
    }

    private static double Lap(Stopwatch clock)
    {
        double t = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return t;
    }

    private static CaseDefinition Case(int n)
    {
        var here = SourceLocation.None;
        return new CaseDefinition
        {
            Name = $"bench-elastic-square-{n}",
            SourcePath = Path.Combine(Path.GetTempPath(), "bench.yaml"),
            Mesh = new MeshDefinition { Rectangle = new RectangleMesh(1, 1, n, n), GaussOrder = 3 },
            Materials =
            [
                new MaterialDefinition
                {
                    Name = "soil",
                    Model = "Elastic",
                    Parameters = new Dictionary<string, object?> { ["E"] = Youngs, ["nu"] = Poisson },
                },
            ],
            Regions = [new RegionAssignment("all", "soil", here)],
            Displacements =
            [
                new DisplacementBc("left", 0.0, null, LoadHistory.Constant, here),
                new DisplacementBc("bottom", null, 0.0, LoadHistory.Constant, here),
            ],
            EdgeLoads = [new EdgeLoad("top", Pressure, 0, 0, LoadHistory.Constant, here)],
            Steps = new StepControl(),
            Output = new OutputSettings { Folder = Path.GetTempPath(), Vtu = false, Plots = false },
        };
    }
}
