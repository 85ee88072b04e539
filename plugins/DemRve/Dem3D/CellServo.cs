namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>How one normal direction of the periodic cell is driven: a strain increment per step, or a stress target.</summary>
/// <param name="StressControlled">Whether <paramref name="Value"/> is a stress target (else a strain increment per step).</param>
/// <param name="Value">Compressive normal stress target −σ_ii (Pa), or the strain increment Δε_ii per step (tension positive).</param>
public readonly record struct AxisControl(bool StressControlled, double Value)
{
    /// <summary>The direction is strained by <paramref name="incrementPerStep"/> each step (negative: compression).</summary>
    public static AxisControl Strain(double incrementPerStep) => new(false, incrementPerStep);

    /// <summary>The direction is servo-controlled to the compressive normal stress <paramref name="target"/> (Pa).</summary>
    public static AxisControl Stress(double target) => new(true, target);
}

/// <summary>
/// The stress/strain controller of the periodic cell (a "stress-controlled periodic cell" as YADE's
/// PeriTriaxController): each step, every stress-controlled normal direction gets the strain increment
/// Δε_ii = g (−σ_ii − target) / C_iiii, and every shear component Δε_ij = −g σ_(ij) / (C_ijij + C_ijji), so that
/// the shear stresses stay zero and the cell axes stay the principal axes; C is the Voigt stiffness
/// (<see cref="SphereHomogenisation.VoigtStiffness"/>), refreshed every few steps. As the Voigt stiffness
/// bounds the packing's stiffness from above, g is an upper bound of the fraction of the error corrected
/// per step, which keeps the loop stable whatever the packing; increments are capped at a maximum rate.
/// </summary>
public sealed class CellServo
{
    private readonly double[] _c = new double[81];
    private int _sinceStiffness;

    /// <summary>Creates a servo on <paramref name="solver"/>.</summary>
    /// <param name="solver">The solver whose cell is driven.</param>
    /// <param name="gain">g: fraction of the stress error corrected per step through the Voigt stiffness.</param>
    /// <param name="maxStrainPerStep">Cap on |Δε_ij| per step.</param>
    /// <param name="stiffnessInterval">Steps between refreshes of the Voigt stiffness.</param>
    public CellServo(SphereDemSolver solver, double gain = 0.02, double maxStrainPerStep = 2e-5, int stiffnessInterval = 50)
    {
        Solver = solver ?? throw new ArgumentNullException(nameof(solver));
        if (!(gain > 0 && gain <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "the servo gain must lie in (0, 1]");
        }

        Gain = gain;
        MaxStrainPerStep = maxStrainPerStep;
        StiffnessInterval = Math.Max(1, stiffnessInterval);
    }

    /// <summary>The solver whose cell is driven.</summary>
    public SphereDemSolver Solver { get; }

    /// <summary>Servo gain g.</summary>
    public double Gain { get; }

    /// <summary>Cap on |Δε_ij| per step.</summary>
    public double MaxStrainPerStep { get; }

    /// <summary>Steps between refreshes of the Voigt stiffness.</summary>
    public int StiffnessInterval { get; }

    /// <summary>One DEM step with the three normal directions driven as given and zero shear stress targeted.</summary>
    public void Step(AxisControl x1, AxisControl x2, AxisControl x3, bool measure = false)
    {
        if (_sinceStiffness++ % StiffnessInterval == 0)
        {
            SphereHomogenisation.VoigtStiffness(Solver.Packing, _c);
        }

        var s = Solver.Stress;
        double e11 = Normal(x1, -s.X11, C(0, 0, 0, 0));
        double e22 = Normal(x2, -s.X22, C(1, 1, 1, 1));
        double e33 = Normal(x3, -s.X33, C(2, 2, 2, 2));
        double e12 = Shear(0.5 * (s.X12 + s.X21), C(0, 1, 0, 1) + C(0, 1, 1, 0));
        double e13 = Shear(0.5 * (s.X13 + s.X31), C(0, 2, 0, 2) + C(0, 2, 2, 0));
        double e23 = Shear(0.5 * (s.X23 + s.X32), C(1, 2, 1, 2) + C(1, 2, 2, 1));
        var e = new Mat3(e11, e12, e13, e12, e22, e23, e13, e23, e33);
        Solver.Step(e * Solver.Packing.Cell, measure);
    }

    private double Normal(AxisControl control, double pressure, double stiffness)
    {
        if (!control.StressControlled)
        {
            return control.Value;
        }

        // Shrink (negative increment) while the compressive stress is below its target; without contacts
        // (a gas) compress at the largest rate.
        double rate = stiffness > 0 ? Gain * (pressure - control.Value) / stiffness : -MaxStrainPerStep;
        return Math.Clamp(rate, -MaxStrainPerStep, MaxStrainPerStep);
    }

    private double Shear(double stress, double stiffness) =>
        stiffness > 0 ? Math.Clamp(-Gain * stress / stiffness, -MaxStrainPerStep, MaxStrainPerStep) : 0.0;

    private double C(int i, int j, int k, int l) => _c[(((i * 3) + j) * 3 + k) * 3 + l];
}
