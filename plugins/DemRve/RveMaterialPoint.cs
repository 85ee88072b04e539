using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve;

/// <summary>Homogenised response of an RVE after an increment.</summary>
/// <param name="Stress">Symmetrised Love–Weber stress (Pa, tension positive).</param>
/// <param name="Loading">How the increment went.</param>
public readonly record struct RveResponse(Mat2 Stress, LoadingResult Loading);

/// <summary>
/// The DEM RVE of one Gauss point: its committed packing (the state at the last accepted step), a trial
/// packing that every call restores from it and deforms, and the solver working on the trial packing.
/// </summary>
public sealed class RveMaterialPoint
{
    /// <summary>Creates the point from a prepared packing (copied twice: committed and trial).</summary>
    public RveMaterialPoint(Packing prepared, RveSpecification spec)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        Specification = spec ?? throw new ArgumentNullException(nameof(spec));
        Committed = prepared.Clone();
        Trial = prepared.Clone();
        Solver = spec.CreateSolver(Trial);
        Trial.CopyFrom(Committed);
        Solver.Restored();
    }

    private Packing? _probe;
    private DemSolver? _probeSolver;

    /// <summary>RVE definition.</summary>
    public RveSpecification Specification { get; }

    /// <summary>State at the last accepted step.</summary>
    public Packing Committed { get; }

    /// <summary>State of the last call.</summary>
    public Packing Trial { get; }

    /// <summary>Solver bound to <see cref="Trial"/>.</summary>
    public DemSolver Solver { get; }

    /// <summary>Whether <see cref="Trial"/> holds an uncommitted increment.</summary>
    public bool HasTrial { get; private set; }

    // The 4×4 tangent returned with the trial and with the committed packing (host units). The host's
    // predictor asks for the tangent of the committed packing, which is the trial packing of the converged
    // iteration: its tangent is kept instead of probing the same packing again.
    private readonly double[] _trialTangent = new double[16];
    private readonly double[] _committedTangent = new double[16];
    private bool _hasTrialTangent;

    /// <summary>Whether the tangent of the committed packing is known (<see cref="CommittedTangent"/>).</summary>
    public bool HasCommittedTangent { get; private set; }

    /// <summary>The tangent returned with the committed packing (valid when <see cref="HasCommittedTangent"/>).</summary>
    public ReadOnlySpan<double> CommittedTangent => _committedTangent;

    private readonly double[] _stepTangent = new double[16];

    /// <summary>Whether a tangent was computed since the last commit or revert (<see cref="StepTangent"/>).</summary>
    public bool HasStepTangent { get; private set; }

    /// <summary>The first tangent computed since the last commit or revert (for a tangent kept over a FEM step).</summary>
    public ReadOnlySpan<double> StepTangent => _stepTangent;

    /// <summary>Records the first tangent of the current FEM step.</summary>
    public void SetStepTangent(ReadOnlySpan<double> tangent)
    {
        tangent[..16].CopyTo(_stepTangent);
        HasStepTangent = true;
    }

    /// <summary>Records the tangent returned with the current trial packing (kept by <see cref="Commit"/>).</summary>
    public void SetTrialTangent(ReadOnlySpan<double> tangent)
    {
        tangent[..16].CopyTo(_trialTangent);
        _hasTrialTangent = true;
    }

    /// <summary>
    /// Restores the committed packing and drives it to the total strain <paramref name="strain"/>
    /// (symmetric small strain tensor, tension positive) by affine cell deformation, then relaxes it.
    /// </summary>
    public RveResponse Deform(Mat2 strain)
    {
        Trial.CopyFrom(Committed);
        Solver.Restored();
        var result = QuasiStaticLoading.ApplyStrain(Solver, strain, Specification.Loading);
        HasTrial = true;
        _hasTrialTangent = false;
        return new RveResponse(Solver.Stress.Symmetric(), result);
    }

    /// <summary>
    /// The trial state is the committed one (a zero strain increment): nothing moves, so the committed
    /// stress is returned exactly.
    /// </summary>
    public void Unchanged()
    {
        Trial.CopyFrom(Committed);
        Solver.Restored();
        HasTrial = true;
        _hasTrialTangent = HasCommittedTangent;
        if (HasCommittedTangent)
        {
            _committedTangent.CopyTo(_trialTangent, 0);
        }
    }

    /// <summary>
    /// Relaxed (non-affine) tangent by forward finite differences of the RVE response, continued from the
    /// trial state: for each in-plane strain component J the trial packing is copied, loaded further by
    /// ±<paramref name="perturbation"/> in that component (sign of the increment, so the probe follows the
    /// loading direction) and relaxed; column J is (σ_J − σ_0)/δ, where σ_0 is a probe with the same number
    /// of steps and no deformation, so that the drift of a packing still settling (force chains buckling
    /// after the peak) does not enter the stiffness. Unlike eq. 7 it includes non-affine relaxation and
    /// sliding, at the cost of four short extra RVE runs. Writes the 4×4 plane-strain Voigt matrix (Pa per
    /// unit strain times <paramref name="scale"/>, engineering shear) with σ33 = f (σ11 + σ22).
    /// </summary>
    public void RelaxedTangent(Mat2 strain, Mat2 increment, double perturbation, double outOfPlaneFactor, double scale, Span<double> d)
    {
        _probe ??= Trial.Clone();
        _probeSolver ??= Specification.CreateSolver(_probe);
        var control = Specification.Loading;
        int steps = Math.Max(control.MinLoadSteps, (int)Math.Ceiling(perturbation / control.MaxStrainPerStep));
        _probe.CopyFrom(Trial);
        _probeSolver.Restored();
        QuasiStaticLoading.ApplyStrain(_probeSolver, strain, control, steps);
        var settled = _probeSolver.Stress.Symmetric();
        d[..16].Clear();
        ReadOnlySpan<int> column = [0, 1, 3];
        for (int c = 0; c < 3; c++)
        {
            double sign = (c == 0 ? increment.XX : c == 1 ? increment.YY : increment.XY) < 0 ? -1.0 : 1.0;
            double h = sign * perturbation;
            var delta = c == 0 ? new Mat2(h, 0, 0, 0) : c == 1 ? new Mat2(0, 0, 0, h) : new Mat2(0, 0.5 * h, 0.5 * h, 0);
            _probe.CopyFrom(Trial);
            _probeSolver.Restored();
            QuasiStaticLoading.ApplyStrain(_probeSolver, strain + delta, control, steps);
            var ds = _probeSolver.Stress.Symmetric() - settled;
            int j = column[c];
            d[0 * 4 + j] = scale * ds.XX / h;
            d[1 * 4 + j] = scale * ds.YY / h;
            d[3 * 4 + j] = scale * ds.XY / h;
            d[2 * 4 + j] = outOfPlaneFactor * (d[j] + d[4 + j]);
        }
    }

    /// <summary>The trial state (and its tangent) becomes the committed one.</summary>
    public void Commit()
    {
        if (HasTrial)
        {
            Committed.CopyFrom(Trial);
            HasCommittedTangent = _hasTrialTangent;
            _trialTangent.CopyTo(_committedTangent, 0);
            HasTrial = false;
        }

        HasStepTangent = false;
    }

    /// <summary>Forgets the trial state.</summary>
    public void Revert()
    {
        HasTrial = false;
        _hasTrialTangent = false;
        HasStepTangent = false;
    }

    /// <summary>Replaces the committed state and its tangent, if known (checkpoint load), and forgets any trial.</summary>
    public void Load(Packing packing, ReadOnlySpan<double> tangent)
    {
        Committed.CopyFrom(packing);
        HasCommittedTangent = tangent.Length == 16;
        if (HasCommittedTangent)
        {
            tangent.CopyTo(_committedTangent);
        }

        HasTrial = false;
        _hasTrialTangent = false;
        HasStepTangent = false;
    }
}
