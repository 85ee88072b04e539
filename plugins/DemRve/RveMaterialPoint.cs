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

    // The host-side answer of the last deformed trial (strain increment in host Voigt order with engineering
    // shear, stress, state variables), kept so that a Newton iterate that barely moves this point can be
    // answered without running the RVE again (see DemRveMaterial, reuseStrain).
    private readonly double[] _trialIncrement = new double[4];
    private readonly double[] _trialStress = new double[4];
    private double[] _trialState = [];
    private bool _hasTrialAnswer;

    /// <summary>
    /// Keeps the answer given for the current trial (a deformed packing): its strain increment (Voigt, engineering
    /// shear), stress and state variables; the tangent is kept by <see cref="SetTrialTangent"/>.
    /// </summary>
    public void SetTrialAnswer(ReadOnlySpan<double> increment, ReadOnlySpan<double> stress, ReadOnlySpan<double> state)
    {
        increment[..4].CopyTo(_trialIncrement);
        stress[..4].CopyTo(_trialStress);
        if (_trialState.Length != state.Length)
        {
            _trialState = new double[state.Length];
        }

        state.CopyTo(_trialState);
        _hasTrialAnswer = _hasTrialTangent;
    }

    /// <summary>
    /// Whether the trial of this step was made for a strain increment within <paramref name="tolerance"/> of
    /// <paramref name="increment"/> in every in-plane tensor component (shear: γ/2), so that its answer can be reused.
    /// </summary>
    public bool CanReuseTrial(ReadOnlySpan<double> increment, double tolerance)
    {
        if (!_hasTrialAnswer || !HasTrial)
        {
            return false;
        }

        // Voigt order 11, 22, 33, 12; ε33 plays no part in a 2D RVE.
        return Math.Abs(increment[0] - _trialIncrement[0]) <= tolerance
            && Math.Abs(increment[1] - _trialIncrement[1]) <= tolerance
            && 0.5 * Math.Abs(increment[3] - _trialIncrement[3]) <= tolerance;
    }

    /// <summary>
    /// Writes the kept answer of the trial (valid when <see cref="CanReuseTrial"/> is true) and returns true, or
    /// writes nothing and returns false when the answer cannot stand. With <paramref name="linear"/> the stress is
    /// continued along the trial's tangent to <paramref name="increment"/>, σ = σ_trial + D_trial (Δε − Δε_trial),
    /// the first-order Taylor answer of the RVE around the run it made, so that within the reuse ball the material
    /// is a smooth (linear) function of the iterate and Newton–Raphson converges on it instead of on the RVE's
    /// roughness; otherwise the trial's stress is returned as it is.
    /// </summary>
    /// <remarks>
    /// A cohesionless packing carries no tension, but its tangent does not know that: at a nearly unloaded point
    /// (σ of a few kPa, D of tens of MPa) the Taylor answer of a stretching iterate 2·10⁻⁴ away is tens of kPa
    /// tensile. So a linear answer whose largest in-plane principal stress exceeds the trial's own (or zero,
    /// whichever is larger) is refused, and the caller runs the RVE, which answers with the packing losing contacts.
    /// </remarks>
    public bool ReuseTrial(ReadOnlySpan<double> increment, bool linear, Span<double> stress, Span<double> state, Span<double> tangent)
    {
        Span<double> answer = stackalloc double[4];
        _trialStress.CopyTo(answer);
        if (linear)
        {
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    answer[i] += _trialTangent[(4 * i) + j] * (increment[j] - _trialIncrement[j]);
                }
            }

            if (MajorPrincipal(answer) > Math.Max(0.0, MajorPrincipal(_trialStress)))
            {
                return false;
            }
        }

        answer.CopyTo(stress);
        _trialState.CopyTo(state);
        _trialTangent.CopyTo(tangent);
        return true;
    }

    /// <summary>Largest in-plane principal value of a Voigt stress (11, 22, 33, 12): ½(σ11 + σ22) + √(¼(σ11 − σ22)² + σ12²).</summary>
    private static double MajorPrincipal(ReadOnlySpan<double> s) =>
        (0.5 * (s[0] + s[1])) + Math.Sqrt((0.25 * (s[0] - s[1]) * (s[0] - s[1])) + (s[3] * s[3]));

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
        _hasTrialAnswer = false;
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
        _hasTrialAnswer = false;
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
    /// loading direction) and relaxed for <paramref name="relaxationSteps"/>; column J is (σ_J − σ_0)/δ, where σ_0 is a probe with the same number
    /// of steps and no deformation, so that the drift of a packing still settling (force chains buckling
    /// after the peak) does not enter the stiffness. Unlike eq. 7 it includes non-affine relaxation and
    /// sliding, at the cost of four short extra RVE runs. Writes the 4×4 plane-strain Voigt matrix (Pa per
    /// unit strain times <paramref name="scale"/>, engineering shear) with σ33 = f (σ11 + σ22).
    /// </summary>
    public void RelaxedTangent(Mat2 strain, Mat2 increment, double perturbation, int relaxationSteps, double outOfPlaneFactor, double scale, Span<double> d)
    {
        _probe ??= Trial.Clone();
        _probeSolver ??= Specification.CreateSolver(_probe);
        var control = Specification.Loading with { RelaxationSteps = relaxationSteps };
        int steps = QuasiStaticLoading.LoadSteps(perturbation, control);
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

        _hasTrialAnswer = false;
        HasStepTangent = false;
    }

    /// <summary>Forgets the trial state.</summary>
    public void Revert()
    {
        HasTrial = false;
        _hasTrialAnswer = false;
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
        _hasTrialAnswer = false;
        HasStepTangent = false;
    }
}
