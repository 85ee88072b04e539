using FemHost.MaterialSdk;

namespace FemHost.Cases;

/// <summary>Where a value came from in a case file (1-based line and column), for error messages.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>No location (values built in code).</summary>
    public static SourceLocation None { get; } = new("<code>", 0, 0);

    /// <inheritdoc/>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>
/// A user mistake (bad case, mesh, parameters, model file): the CLI prints <see cref="Exception.Message"/>
/// as one paragraph, without a stack trace, and exits with code 2.
/// </summary>
public class UserInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Builds the message "file:line:col: what; expected ...".</summary>
    public static UserInputException At(SourceLocation where, string message) => new($"{where}: {message}");
}

/// <summary>A validated boundary value problem, as read from a case file. Semantic checks that need the
/// mesh (unknown sets, regions) are made when the model is built, and report <see cref="SourceLocation"/>s.</summary>
public sealed record CaseDefinition
{
    /// <summary>Case name (defaults to the file name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>Absolute path of the case file; relative paths in the case resolve against its folder.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Modelling hypothesis; plane strain for the Q8 host.</summary>
    public ModellingHypothesis Hypothesis { get; init; } = ModellingHypothesis.PlaneStrain;

    /// <summary>Mesh source.</summary>
    public required MeshDefinition Mesh { get; init; }

    /// <summary>Named materials (model + validated-later raw parameters).</summary>
    public required IReadOnlyList<MaterialDefinition> Materials { get; init; }

    /// <summary>Which material each mesh region uses.</summary>
    public required IReadOnlyList<RegionAssignment> Regions { get; init; }

    /// <summary>Prescribed displacements.</summary>
    public IReadOnlyList<DisplacementBc> Displacements { get; init; } = [];

    /// <summary>Edge pressures and tractions.</summary>
    public IReadOnlyList<EdgeLoad> EdgeLoads { get; init; } = [];

    /// <summary>Body force per unit volume (kN/m³ with kPa and m), per region or everywhere.</summary>
    public IReadOnlyList<BodyForce> BodyForces { get; init; } = [];

    /// <summary>Initial stress per region (tension positive, Voigt 11, 22, 33, 12).</summary>
    public IReadOnlyList<InitialStress> InitialStresses { get; init; } = [];

    /// <summary>Load stepping.</summary>
    public required StepControl Steps { get; init; }

    /// <summary>Nonlinear and linear solver settings.</summary>
    public SolverSettings Solver { get; init; } = new();

    /// <summary>What to write and where.</summary>
    public required OutputSettings Output { get; init; }
}

/// <summary>Kind of element of the mesh.</summary>
public enum ElementType
{
    /// <summary>8-node serendipity quadrilateral.</summary>
    Q8,
}

/// <summary>Mesh source: a structured rectangle or a Gmsh file.</summary>
public sealed record MeshDefinition
{
    /// <summary>Location of the `mesh:` key.</summary>
    public SourceLocation Where { get; init; } = SourceLocation.None;

    /// <summary>Element type.</summary>
    public ElementType Element { get; init; } = ElementType.Q8;

    /// <summary>Gauss points per direction: 2 (2×2) or 3 (3×3).</summary>
    public int GaussOrder { get; init; } = 3;

    /// <summary>Structured rectangle, or null when <see cref="GmshFile"/> is set.</summary>
    public RectangleMesh? Rectangle { get; init; }

    /// <summary>Absolute path of a Gmsh .msh 4.1 ASCII file, or null.</summary>
    public string? GmshFile { get; init; }
}

/// <summary>
/// Structured rectangle [x0, x0 + Width] × [y0, y0 + Height] with Nx × Ny elements. Named sets it
/// provides: edges "left", "right", "bottom", "top" (node sets and element edges), corner nodes
/// "bottom_left", "bottom_right", "top_left", "top_right", and the region "all".
/// </summary>
public sealed record RectangleMesh(double Width, double Height, int Nx, int Ny, double X0 = 0, double Y0 = 0);

/// <summary>A named material: plug-in model name, raw parameter values (validated against the
/// plug-in's metadata when the model is built) and the tangent kind to request.</summary>
public sealed record MaterialDefinition
{
    /// <summary>Location of the material's entry.</summary>
    public SourceLocation Where { get; init; } = SourceLocation.None;

    /// <summary>Name used in <see cref="RegionAssignment.Material"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Plug-in material name, e.g. "Elastic", "DhModel".</summary>
    public required string Model { get; init; }

    /// <summary>Raw parameter values (double, long or string), as written.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>Location of each parameter value, for error messages.</summary>
    public IReadOnlyDictionary<string, SourceLocation> ParameterLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>Requested tangent kind; null means the plug-in's default (its first declared kind).</summary>
    public TangentKind? Tangent { get; init; }
}

/// <summary>Region → material.</summary>
public sealed record RegionAssignment(string Region, string Material, SourceLocation Where);

/// <summary>How a prescribed value evolves over the load steps.</summary>
public enum LoadHistory
{
    /// <summary>Full value from the first step on.</summary>
    Constant,

    /// <summary>Linear in the load factor λ ∈ [0, 1]: value × λ.</summary>
    Ramp,
}

/// <summary>Prescribed displacement component(s) on a node set or edge. A null component is free.</summary>
public sealed record DisplacementBc(string Set, double? Ux, double? Uy, LoadHistory History, SourceLocation Where);

/// <summary>
/// Distributed load on a named edge: a normal pressure (positive pushes into the body) and/or a
/// traction vector (tx, ty) per unit length (kPa × m with unit thickness).
/// </summary>
public sealed record EdgeLoad(string Edge, double Pressure, double Tx, double Ty, LoadHistory History, SourceLocation Where);

/// <summary>Body force per unit volume; Region null means everywhere.</summary>
public sealed record BodyForce(string? Region, double Bx, double By, LoadHistory History, SourceLocation Where);

/// <summary>Initial stress (Voigt 11, 22, 33, 12, tension positive) in a region; Region null means everywhere.</summary>
public sealed record InitialStress(string? Region, IReadOnlyList<double> Stress, SourceLocation Where);

/// <summary>Load stepping: the load factor λ goes from 0 to 1 in <see cref="Count"/> equal steps, subject
/// to cut-back and growth.</summary>
public sealed record StepControl
{
    /// <summary>Number of nominal steps.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Most consecutive cut-backs (halvings or plug-in ratios) before the run stops; a converged increment resets the count.</summary>
    public int MaxCutbacks { get; init; } = 8;

    /// <summary>
    /// Smallest increment, as a fraction of the nominal step 1/N: a cut-back below it stops the run (as Abaqus'
    /// minimum time increment). Without it an increment that converges only when tiny and fails when grown lets the
    /// run creep on for millions of increments (a neural FEM run: 72 941 Newton iterations for 47 steps).
    /// </summary>
    public double MinIncrement { get; init; } = 1e-5;

    /// <summary>Whether to grow the step again after easy steps (never beyond the nominal step).</summary>
    public bool AllowGrowth { get; init; } = true;
}

/// <summary>Which linear solver to use.</summary>
public enum LinearSolverKind
{
    /// <summary>PARDISO when MKL loads, otherwise the managed solver (the log says which).</summary>
    Auto,

    /// <summary>Intel MKL PARDISO; an error if MKL is absent.</summary>
    Pardiso,

    /// <summary>The managed sparse direct solver.</summary>
    Managed,
}

/// <summary>First guess of a load increment's Newton iterations.</summary>
public enum PredictorKind
{
    /// <summary>
    /// Solve with the tangent of the committed state for the prescribed displacement increment (Euler predictor;
    /// exact for a linear problem).
    /// </summary>
    Tangent,

    /// <summary>
    /// Linear extrapolation of the last converged increment, Δu ← (Δλ/Δλ_prev) Δu_prev (as Abaqus/Standard's
    /// default EXTRAPOLATION=LINEAR): after localisation the increment concentrates where the last one did, which
    /// the committed tangent spreads out. The first increment of a run uses the tangent predictor.
    /// </summary>
    Extrapolate,
}

/// <summary>How the corrections of a load increment are computed.</summary>
public enum NonlinearMethod
{
    /// <summary>Full Newton–Raphson: the tangent of the current iterate is formed and factorised every iteration.</summary>
    Newton,

    /// <summary>
    /// Quasi-Newton (Matthies &amp; Strang 1979; Abaqus/Standard's SOLUTION TECHNIQUE=QUASI-NEWTON): the tangent is
    /// factorised once per increment and corrected by inverse BFGS updates from the iterations' secant pairs.
    /// Superlinear where a material's tangent is not the derivative of its stress update (an approximate or
    /// elastic tangent), where full Newton converges only linearly.
    /// </summary>
    Bfgs,
}

/// <summary>Nonlinear and linear solver settings.</summary>
public sealed record SolverSettings
{
    /// <summary>Relative residual tolerance: ‖R‖ ≤ tol · max(‖F_ext‖, ‖F_reaction‖).</summary>
    public double ResidualTolerance { get; init; } = 1e-8;

    /// <summary>Relative displacement-correction tolerance: ‖δu‖ ≤ tol · max(‖Δu‖, ‖u‖).</summary>
    public double DisplacementTolerance { get; init; } = 1e-8;

    /// <summary>Most Newton iterations per step before a cut-back.</summary>
    public int MaxIterations { get; init; } = 25;

    /// <summary>Whether to use a backtracking line search on the residual norm.</summary>
    public bool LineSearch { get; init; }

    /// <summary>Linear solver.</summary>
    public LinearSolverKind Linear { get; init; } = LinearSolverKind.Auto;

    /// <summary>Threads for assembly and the linear solver; 0 = all cores.</summary>
    public int Threads { get; init; }

    /// <summary>First guess of each increment.</summary>
    public PredictorKind Predictor { get; init; } = PredictorKind.Tangent;

    /// <summary>Newton or quasi-Newton (BFGS) corrections.</summary>
    public NonlinearMethod Method { get; init; } = NonlinearMethod.Newton;

    /// <summary>Secant pairs the BFGS update holds before the kernel is re-formed at the current iterate.</summary>
    public int BfgsMemory { get; init; } = 20;
}

/// <summary>A named global curve to record per step.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">reaction_x, reaction_y, displacement_x, displacement_y (mean over the set), or volumetric_strain.</param>
/// <param name="Set">Node set or edge it applies to (ignored for volumetric_strain).</param>
/// <param name="Where">Location in the case file.</param>
public sealed record CurveDefinition(string Name, string Kind, string? Set, SourceLocation Where);

/// <summary>Output settings.</summary>
public sealed record OutputSettings
{
    /// <summary>Absolute output folder.</summary>
    public required string Folder { get; init; }

    /// <summary>Location of the 'folder' entry (or of the output section) in the case file.</summary>
    public SourceLocation Where { get; init; } = SourceLocation.None;

    /// <summary>Write fields every k steps (the last step always).</summary>
    public int Every { get; init; } = 1;

    /// <summary>Write .vtu/.pvd fields.</summary>
    public bool Vtu { get; init; } = true;

    /// <summary>Write PNG plots of the curves.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>Write the material-point log (strain, stress, tangent, state of every point per converged step).</summary>
    public bool PointLog { get; init; }

    /// <summary>Global curves.</summary>
    public IReadOnlyList<CurveDefinition> Curves { get; init; } = [];

    /// <summary>
    /// Write the checkpoint (docs/checkpoints.md) every k completed steps; it is also written after the last
    /// step and when the run stops after a failure.
    /// </summary>
    public int CheckpointEvery { get; init; } = 10;
}
