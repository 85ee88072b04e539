namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>The two true triaxial stress paths of Qu et al. (2023) §4.1.</summary>
public enum TrueTriaxialMode
{
    /// <summary>Constant mean stress p = (σ1 + σ2 + σ3)/3 and constant b (Material 1: p = 1, 2, 4 MPa).</summary>
    ConstantMeanStress,

    /// <summary>Constant minor principal stress σ3 and constant b (Material 2: σ3 = 1, 2, 4 MPa).</summary>
    ConstantMinorStress,
}

/// <summary>
/// A true triaxial stress path (principal stresses compression positive, σ1 ≥ σ2 ≥ σ3): the major principal
/// stress σ1 follows from a prescribed axial strain, and the other two are prescribed from it through the
/// intermediate principal stress coefficient b = (σ2 − σ3)/(σ1 − σ3) and either the mean stress p or σ3.
/// </summary>
/// <param name="Mode">Which stress is held constant besides b.</param>
/// <param name="Stress">p (<see cref="TrueTriaxialMode.ConstantMeanStress"/>) or σ3 (<see cref="TrueTriaxialMode.ConstantMinorStress"/>), in Pa.</param>
/// <param name="B">b in [0, 1] (0: triaxial compression, σ2 = σ3; 1: triaxial extension, σ2 = σ1).</param>
public sealed record TrueTriaxialPath(TrueTriaxialMode Mode, double Stress, double B)
{
    /// <summary>
    /// σ2 and σ3 for the current σ1: with σ2 = σ3 + b (σ1 − σ3), constant p gives
    /// σ1 + 2σ3 + b(σ1 − σ3) = 3p, i.e. σ3 = (3p − (1 + b) σ1)/(2 − b); constant σ3 gives it directly.
    /// </summary>
    public (double S2, double S3) LateralStresses(double s1)
    {
        double s3 = Mode == TrueTriaxialMode.ConstantMeanStress ? (3 * Stress - (1 + B) * s1) / (2 - B) : Stress;
        return (s3 + B * (s1 - s3), s3);
    }
}

/// <summary>One recorded state of a true triaxial test (compression positive; strains from the reference cell).</summary>
/// <param name="AxialStrain">ε1 = 1 − h11/h11,ref.</param>
/// <param name="VolumetricStrain">ε_v = 1 − V/V_ref (contraction positive).</param>
/// <param name="S1">σ1 = −σ_11 (Pa).</param>
/// <param name="S2">σ2 = −σ_22 (Pa).</param>
/// <param name="S3">σ3 = −σ_33 (Pa).</param>
/// <param name="UnbalancedForceRatio">Unbalanced force ratio at the record.</param>
/// <param name="Strain">Small-strain tensor ε = sym(h h_ref⁻¹) − I (tension positive; ε11 = −ε1 while the cell stays rectangular).</param>
/// <param name="Stress">Symmetrised Love–Weber stress tensor (Pa, tension positive).</param>
/// <param name="Coordination">Coordination number (contacts per sphere).</param>
public sealed record TrueTriaxialState(
    double AxialStrain, double VolumetricStrain, double S1, double S2, double S3, double UnbalancedForceRatio, Mat3 Strain, Mat3 Stress, double Coordination)
{
    /// <summary>Mean stress p = (σ1 + σ2 + σ3)/3.</summary>
    public double MeanStress => (S1 + S2 + S3) / 3;

    /// <summary>Deviator stress q = √(½[(σ1 − σ2)² + (σ2 − σ3)² + (σ3 − σ1)²]).</summary>
    public double DeviatorStress => Math.Sqrt(0.5 * ((S1 - S2) * (S1 - S2) + (S2 - S3) * (S2 - S3) + (S3 - S1) * (S3 - S1)));

    /// <summary>b = (σ2 − σ3)/(σ1 − σ3) (NaN while σ1 = σ3).</summary>
    public double B => S1 == S3 ? double.NaN : (S2 - S3) / (S1 - S3);
}

/// <summary>
/// Drained true triaxial test on a consolidated periodic packing: the cell is compressed along x1 at a
/// constant strain rate, x2 and x3 are servo-controlled (<see cref="CellServo"/>) to the lateral stresses the
/// path prescribes for the current σ1 (σ1 along x1, σ2 along x2, σ3 along x3), shear stresses held at zero.
/// </summary>
public static class TrueTriaxialTest
{
    /// <summary>Runs the test to <paramref name="finalAxialStrain"/>; returns the initial state, the states recorded every <paramref name="recordInterval"/> steps and the final one.</summary>
    /// <param name="solver">Solver on a consolidated packing (its reference cell is the zero of strain).</param>
    /// <param name="path">The stress path.</param>
    /// <param name="axialStrainPerStep">Axial compression per step (positive; e.g. 1e-6).</param>
    /// <param name="finalAxialStrain">Axial strain at the end (e.g. 0.2).</param>
    /// <param name="recordInterval">Steps between records.</param>
    /// <param name="gain">
    /// Servo gain (see <see cref="CellServo"/>). The Voigt stiffness overestimates a random packing's stiffness
    /// several times (non-affine relaxation), so the error actually corrected per step is a few times smaller
    /// than g; a proportional servo lags a moving target by about its rate divided by that fraction, and
    /// g = 0.25 keeps the lag of p, σ3 and b small (measured: below 0.5 % of the held stress at 4·10⁻⁶ axial
    /// strain per step, Material 1 at 1 MPa) while staying stable.
    /// </param>
    public static List<TrueTriaxialState> Run(
        SphereDemSolver solver, TrueTriaxialPath path, double axialStrainPerStep, double finalAxialStrain, int recordInterval, double gain = 0.25)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(path);
        if (!(axialStrainPerStep > 0) || !(finalAxialStrain > 0))
        {
            throw new ArgumentException("the axial strain rate and the final axial strain must be positive (compression)");
        }

        if (!(path.B >= 0 && path.B <= 1) || !(path.Stress > 0))
        {
            throw new ArgumentException($"a true triaxial path needs 0 ≤ b ≤ 1 and a positive stress (b = {path.B}, stress = {path.Stress} Pa)", nameof(path));
        }

        var servo = new CellServo(solver, gain, Math.Max(20 * axialStrainPerStep, 2e-5));
        var p = solver.Packing;
        var records = new List<TrueTriaxialState> { Record(solver) };
        var axial = AxisControl.Strain(-axialStrainPerStep);
        long step = 0;
        while (AxialStrain(p) < finalAxialStrain)
        {
            var (s2, s3) = path.LateralStresses(-solver.Stress.X11);
            bool record = ++step % recordInterval == 0;
            servo.Step(axial, AxisControl.Stress(s2), AxisControl.Stress(s3), measure: record);
            if (record)
            {
                records.Add(Record(solver));
            }
        }

        if (step % recordInterval != 0)
        {
            // The final state, measured by one more step without loading (the stress of a step belongs to its start).
            servo.Step(AxisControl.Strain(0), AxisControl.Strain(0), AxisControl.Strain(0), measure: true);
            records.Add(Record(solver));
        }

        return records;
    }

    private static double AxialStrain(SpherePacking p) => 1 - p.Cell.X11 / p.ReferenceCell.X11;

    private static TrueTriaxialState Record(SphereDemSolver solver)
    {
        var p = solver.Packing;
        var s = solver.Stress;
        double ev = 1 - p.Volume / Math.Abs(p.ReferenceCell.Determinant);
        var strain = (p.Cell * p.ReferenceCell.Inverse()).Symmetric() - Mat3.Identity;
        return new TrueTriaxialState(AxialStrain(p), ev, -s.X11, -s.X22, -s.X33, solver.UnbalancedForceRatio, strain, s.Symmetric(),
            SphereHomogenisation.CoordinationNumber(p));
    }
}
