using FemHost.Cases;
using FemHost.MaterialSdk;

namespace FemHost.PointDriver;

/// <summary>How one Voigt component is driven during a path segment.</summary>
public enum ControlKind
{
    /// <summary>Total strain goes linearly to <see cref="ComponentControl.Value"/> at the segment end.</summary>
    StrainTarget,

    /// <summary>Total strain grows by <see cref="ComponentControl.Value"/> over the segment.</summary>
    StrainIncrement,

    /// <summary>Stress goes linearly to <see cref="ComponentControl.Value"/>; the strain is solved for.</summary>
    StressTarget,

    /// <summary>Stress stays at its value at the segment start (components a segment does not mention).</summary>
    StressHeld,
}

/// <summary>The control of one Voigt component over a segment.</summary>
/// <param name="Kind">Strain- or stress-controlled.</param>
/// <param name="Value">Target or increment (strain: engineering shear; stress: kPa, tension positive).</param>
public sealed record ComponentControl(ControlKind Kind, double Value)
{
    /// <summary>Whether the strain of this component is unknown (solved so the stress hits its target).</summary>
    public bool IsStressControlled => Kind is ControlKind.StressTarget or ControlKind.StressHeld;
}

/// <summary>
/// One segment of a driving path: <see cref="Steps"/> equal increments over <see cref="Duration"/>,
/// each component strain- or stress-controlled (<see cref="Controls"/> has one entry per Voigt component).
/// </summary>
public sealed record PathSegment(int Steps, double Duration, IReadOnlyList<ComponentControl> Controls, SourceLocation Where);

/// <summary>How the stress-controlled components are solved at each step.</summary>
public enum JacobianKind
{
    /// <summary>The material tangent when the requested tangent is consistent, otherwise finite differences.</summary>
    Auto,

    /// <summary>Always the material's tangent.</summary>
    Tangent,

    /// <summary>Always a central finite-difference Jacobian (two material calls per stress-controlled component).</summary>
    FiniteDifference,
}

/// <summary>Newton settings of the point driver.</summary>
public sealed record DriverSolverSettings
{
    /// <summary>Stress residual tolerance, relative to max(1 kPa, |σ|∞).</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Most Newton iterations per (sub)step.</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Jacobian for the stress-controlled components.</summary>
    public JacobianKind Jacobian { get; init; } = JacobianKind.Auto;

    /// <summary>Most successive halvings of a step that the material or Newton rejects.</summary>
    public int MaxSubsteps { get; init; } = 8;

    /// <summary>
    /// Strain perturbation h of the finite-difference Jacobian; null picks h = 1e-7 · max(0.01, |ε|), right
    /// for smooth models. Noisy models (a DEM RVE equilibrated to a tolerance) need an h whose stress
    /// change E·h is well above the noise.
    /// </summary>
    public double? FiniteDifferenceStep { get; init; }
}

/// <summary>A single-material-point driving problem (MTest-like), as read from a driver file.</summary>
public sealed record DriverDefinition
{
    /// <summary>Name (the file name without extension unless given).</summary>
    public required string Name { get; init; }

    /// <summary>Absolute path of the driver file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Modelling hypothesis (sets the Voigt size: 4 in plane strain, 6 in 3D).</summary>
    public required ModellingHypothesis Hypothesis { get; init; }

    /// <summary>The material under test.</summary>
    public required MaterialDefinition Material { get; init; }

    /// <summary>Initial stress (Voigt, tension positive).</summary>
    public required IReadOnlyList<double> InitialStress { get; init; }

    /// <summary>The path, segment after segment.</summary>
    public required IReadOnlyList<PathSegment> Segments { get; init; }

    /// <summary>Newton settings.</summary>
    public DriverSolverSettings Solver { get; init; } = new();

    /// <summary>Absolute path of the CSV to write.</summary>
    public required string OutputFile { get; init; }

    /// <summary>Location of the 'output' entry in the driver file (<see cref="SourceLocation.None"/> when it came from the command line or the default).</summary>
    public SourceLocation OutputWhere { get; init; } = FemHost.Cases.SourceLocation.None;
}
