using FemHost.Cases;
using FemHost.Fem.Assembly;
using FemHost.Fem.Meshes;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.LinearAlgebra;
using FemHost.Materials.Elastic;
using FemHost.Materials.VonMises;
using FemHost.MaterialSdk;

namespace FemHost.Tests;

/// <summary>Builds small BVPs in code and solves them, for the FEM verification tests.</summary>
internal static class FemTestSupport
{
    /// <summary>The plug-ins the tests use, looked up by model name (as PluginCatalog.Get does).</summary>
    public static IMaterialPlugin Plugin(string name, SourceLocation where) => name switch
    {
        "Elastic" => new ElasticPlugin(),
        "VonMises" => new VonMisesPlugin(),
        _ => throw UserInputException.At(where, $"unknown material model '{name}'"),
    };

    public static MaterialDefinition Material(string model, params (string Key, object Value)[] parameters) => new()
    {
        Name = "soil",
        Model = model,
        Parameters = parameters.ToDictionary(p => p.Key, p => (object?)p.Value),
    };

    public static CaseDefinition Case(MeshDefinition mesh, MaterialDefinition material, int steps = 1,
        IReadOnlyList<DisplacementBc>? displacements = null, IReadOnlyList<EdgeLoad>? loads = null, SolverSettings? solver = null) => new()
        {
            Name = "test",
            SourcePath = Path.Combine(Path.GetTempPath(), "test.yaml"),
            Mesh = mesh,
            Materials = [material],
            Regions = [new RegionAssignment("all", material.Name, SourceLocation.None)],
            Displacements = displacements ?? [],
            EdgeLoads = loads ?? [],
            Steps = new StepControl { Count = steps },
            Solver = solver ?? new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 2 },
            Output = new OutputSettings { Folder = Path.GetTempPath() },
        };

    public static DisplacementBc Fix(string set, double? ux, double? uy, LoadHistory history = LoadHistory.Constant) =>
        new(set, ux, uy, history, SourceLocation.None);

    public static EdgeLoad Pressure(string edge, double p, LoadHistory history = LoadHistory.Ramp) =>
        new(edge, p, 0, 0, history, SourceLocation.None);

    /// <summary>A solved (or stopped) run: the model, the Newton solver with the final state, and every increment report.</summary>
    public sealed class Run(Model model, NewtonSolver newton, RunResult result, List<IncrementReport> increments) : IDisposable
    {
        public Model Model { get; } = model;

        public NewtonSolver Newton { get; } = newton;

        public RunResult Result { get; } = result;

        public List<IncrementReport> Increments { get; } = increments;

        public double[] U => Newton.Displacement;

        public void Dispose() => Model.Dispose();
    }

    /// <summary>Builds and solves a case; <paramref name="mesh"/> overrides the case's mesh source.</summary>
    public static Run Solve(CaseDefinition c, Mesh? mesh = null, ISparseSolver? linear = null,
        Action<IncrementReport>? onIncrement = null, Func<string, SourceLocation, IMaterialPlugin>? plugins = null)
    {
        var model = ModelBuilder.Build(c, plugins ?? Plugin, mesh);
        var assembler = new Assembler(model, c.Solver.Threads);
        linear ??= SparseSolverFactory.Create(c.Solver.Linear, c.Solver.Threads, TextWriter.Null);
        var newton = new NewtonSolver(model, assembler, linear, c.Solver);
        var stepper = new LoadStepper(newton, c.Steps);
        var reports = new List<IncrementReport>();
        stepper.IncrementConverged += r =>
        {
            reports.Add(r);
            onIncrement?.Invoke(r);
        };
        var result = stepper.Run();
        return new Run(model, newton, result, reports);
    }

    /// <summary>
    /// A quarter ring a ≤ r ≤ b, 0 ≤ θ ≤ π/2 from the structured (r, θ) rectangle mapped by x = r cos θ,
    /// y = r sin θ (orientation-preserving, so edges keep their names: "left" is the inner surface r = a,
    /// "right" the outer r = b, "bottom" the symmetry plane y = 0, "top" the symmetry plane x = 0).
    /// </summary>
    public static Mesh QuarterRing(double a, double b, int nr, int ntheta)
    {
        var rect = StructuredMesh.Rectangle(new RectangleMesh(b - a, Math.PI / 2, nr, ntheta, a, 0));
        var xy = new double[rect.Coordinates.Length];
        for (int i = 0; i < rect.NodeCount; i++)
        {
            double r = rect.Coordinates[2 * i], t = rect.Coordinates[2 * i + 1];
            xy[2 * i] = r * Math.Cos(t);
            xy[2 * i + 1] = r * Math.Sin(t);
        }

        return new Mesh("quarter ring", rect.Shape, xy, rect.Connectivity, rect.NodeSets, rect.EdgeSets, rect.Regions);
    }

    /// <summary>
    /// A structured rectangle whose element boundaries sit at the given x and y breakpoints (graded meshes);
    /// mid-side nodes stay at the middle of their edges.
    /// </summary>
    public static Mesh Graded(double[] xs, double[] ys)
    {
        int nx = xs.Length - 1, ny = ys.Length - 1;
        var rect = StructuredMesh.Rectangle(new RectangleMesh(nx, ny, nx, ny));
        static double Map(double[] knots, double t)
        {
            int i = Math.Min((int)Math.Floor(t), knots.Length - 2);
            return knots[i] + (t - i) * (knots[i + 1] - knots[i]);
        }

        var xy = new double[rect.Coordinates.Length];
        for (int i = 0; i < rect.NodeCount; i++)
        {
            xy[2 * i] = Map(xs, rect.Coordinates[2 * i]);
            xy[2 * i + 1] = Map(ys, rect.Coordinates[2 * i + 1]);
        }

        return new Mesh("graded rectangle", rect.Shape, xy, rect.Connectivity, rect.NodeSets, rect.EdgeSets, rect.Regions);
    }

    /// <summary>Breakpoints from x0 to x1 in n cells whose sizes grow by <paramref name="ratio"/>.</summary>
    public static double[] Geometric(double x0, double x1, int n, double ratio)
    {
        var h = Enumerable.Range(0, n).Select(i => Math.Pow(ratio, i)).ToArray();
        double total = h.Sum(), x = x0;
        var knots = new double[n + 1];
        knots[0] = x0;
        for (int i = 0; i < n; i++)
        {
            x += (x1 - x0) * h[i] / total;
            knots[i + 1] = x;
        }

        knots[n] = x1;
        return knots;
    }

    /// <summary>Sum of reaction components over a node set.</summary>
    public static (double Rx, double Ry) Reaction(Run run, string set)
    {
        var r = new double[run.Model.DofCount];
        run.Newton.Reactions(r);
        double rx = 0, ry = 0;
        foreach (int node in run.Model.Mesh.FindNodes(set)!)
        {
            rx += r[2 * node];
            ry += r[2 * node + 1];
        }

        return (rx, ry);
    }
}
