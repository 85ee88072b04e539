namespace FemHost.Materials.DemRve.Engine;

/// <summary>Settings of the servo-controlled isotropic consolidation.</summary>
/// <param name="TargetPressure">Target mean in-plane pressure p = −(σ11 + σ22)/2 (Pa, compression positive).</param>
/// <param name="PreparationFriction">
/// Friction coefficient during compaction: 0 (or small) gives a dense packing, the material's μ a loose one
/// (the usual DEM recipe, e.g. Thornton 2000; Guo and Zhao 2014 prepare dense RVEs this way).
/// </param>
/// <param name="MaterialFriction">Friction coefficient switched on once the target is reached.</param>
/// <param name="Tolerance">Relative tolerance on each normal stress |σ_ii + p|/p.</param>
/// <param name="ServoGain">Fraction of the stress error corrected per step through the Voigt stiffness estimate.</param>
/// <param name="MaxStrainPerStep">Largest strain rate per step of the servo (also the compaction rate of the gas).</param>
/// <param name="UnbalancedTolerance">Unbalanced force ratio required at the end.</param>
/// <param name="CheckInterval">Steps between checks (and stiffness updates).</param>
/// <param name="MaxSteps">Cap on the total number of steps.</param>
public sealed record ConsolidationControl(
    double TargetPressure,
    double PreparationFriction,
    double MaterialFriction,
    double Tolerance = 0.005,
    double ServoGain = 0.02,
    double MaxStrainPerStep = 2e-5,
    double UnbalancedTolerance = 2e-3,
    int CheckInterval = 50,
    long MaxSteps = 3_000_000);

/// <summary>
/// Servo-controlled isotropic consolidation of a periodic packing (a "stress-controlled periodic cell",
/// as in YADE's PeriTriaxController): each normal component of the cell strain rate is set from the
/// error between the measured and the target normal stress, through the current Voigt stiffness
/// C_iiii of eq. 7 (so the loop gain stays below one whatever the packing stiffness), until both normal
/// stresses are within the tolerance and the packing is in equilibrium; first with the preparation
/// friction, then with the material friction. The consolidated cell becomes the reference cell
/// (zero macroscopic strain).
/// </summary>
public static class Consolidation
{
    /// <summary>Runs the consolidation; returns the number of DEM steps used.</summary>
    public static long Run(DemSolver solver, ConsolidationControl control)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(control);
        if (!(control.TargetPressure > 0))
        {
            throw new ArgumentException($"the consolidation pressure must be positive (compression), got {control.TargetPressure} Pa");
        }

        long steps = 0;
        solver.Law = solver.Law.WithFriction(control.PreparationFriction);
        if (control.MaterialFriction != control.PreparationFriction)
        {
            // Compaction only needs to come close: a (nearly) frictionless packing near jamming is far
            // softer than its Voigt stiffness, so the servo creeps; the frictional stage then settles it.
            steps += Servo(solver, control with { Tolerance = 10 * control.Tolerance, UnbalancedTolerance = 10 * control.UnbalancedTolerance }, control.MaxSteps);
            solver.Law = solver.Law.WithFriction(control.MaterialFriction);
        }

        steps += Servo(solver, control, control.MaxSteps - steps);

        solver.Packing.ReferenceCell = solver.Packing.Cell;
        return steps;
    }

    private static long Servo(DemSolver solver, ConsolidationControl control, long cap)
    {
        var p = solver.Packing;
        double target = control.TargetPressure;
        Span<double> c = stackalloc double[16];
        double kx, ky, kxy;
        long steps = 0;
        while (true)
        {
            Homogenisation.ContactTangent(p, c);
            kx = c[0];
            ky = c[15];
            kxy = c[5];
            for (int s = 0; s < control.CheckInterval; s++)
            {
                var stress = solver.Stress;
                double ex = Rate(-stress.XX, target, kx, control);
                double ey = Rate(-stress.YY, target, ky, control);
                // Shear servo towards σ12 = 0, so that the consolidated state is isotropic.
                double exy = kxy > 0 ? Math.Clamp(-control.ServoGain * 0.5 * (stress.XY + stress.YX) / kxy, -control.MaxStrainPerStep, control.MaxStrainPerStep) : 0.0;
                var e = new Mat2(ex, exy, exy, ey);
                solver.Step(e * p.Cell, measure: s == control.CheckInterval - 1);
            }

            steps += control.CheckInterval;
            var sigma = solver.Stress;
            bool atTarget = Math.Abs(-sigma.XX - target) < control.Tolerance * target
                && Math.Abs(-sigma.YY - target) < control.Tolerance * target
                && Math.Abs(0.5 * (sigma.XY + sigma.YX)) < control.Tolerance * target;
            if (atTarget && solver.UnbalancedForceRatio < control.UnbalancedTolerance)
            {
                return steps;
            }

            if (steps >= cap)
            {
                throw new InvalidOperationException(
                    $"consolidation to {target:G4} Pa did not converge in {control.MaxSteps} steps " +
                    $"(σ11 = {sigma.XX:G4} Pa, σ22 = {sigma.YY:G4} Pa, unbalanced force ratio {solver.UnbalancedForceRatio:G3})");
            }
        }
    }

    /// <summary>Strain increment of one step: shrink (negative) while the pressure is below the target.</summary>
    private static double Rate(double pressure, double target, double stiffness, ConsolidationControl control)
    {
        double error = pressure - target;
        double rate = stiffness > 0 ? control.ServoGain * error / stiffness : -control.MaxStrainPerStep;
        return Math.Clamp(rate, -control.MaxStrainPerStep, control.MaxStrainPerStep);
    }
}
