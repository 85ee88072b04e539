using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// Isotropic consolidation of a periodic sphere packing with the <see cref="CellServo"/>: all three normal
/// stresses servo-controlled to the target pressure and the shear stresses to zero, first with the
/// preparation friction (low: dense packing), then with the material friction, until every stress component
/// is within the tolerance and the packing is in equilibrium. The same recipe and settings
/// (<see cref="ConsolidationControl"/>) as the 2D <see cref="Consolidation"/>; the consolidated cell becomes
/// the reference cell.
/// </summary>
public static class SphereConsolidation
{
    /// <summary>Runs the consolidation; returns the number of DEM steps used.</summary>
    public static long Run(SphereDemSolver solver, ConsolidationControl control)
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
            // Compaction only needs to come close: a (nearly) frictionless packing near jamming is far softer
            // than its Voigt stiffness, so the servo creeps; the frictional stage then settles it.
            steps += Servo(solver, control with { Tolerance = 10 * control.Tolerance, UnbalancedTolerance = 10 * control.UnbalancedTolerance }, control.MaxSteps);
            solver.Law = solver.Law.WithFriction(control.MaterialFriction);
        }

        steps += Servo(solver, control, control.MaxSteps - steps);
        solver.Packing.ReferenceCell = solver.Packing.Cell;
        return steps;
    }

    private static long Servo(SphereDemSolver solver, ConsolidationControl control, long cap)
    {
        var servo = new CellServo(solver, control.ServoGain, control.MaxStrainPerStep, control.CheckInterval);
        var target = AxisControl.Stress(control.TargetPressure);
        double p = control.TargetPressure, tol = control.Tolerance * p;
        long steps = 0;
        while (true)
        {
            for (int s = 0; s < control.CheckInterval; s++)
            {
                servo.Step(target, target, target, measure: s == control.CheckInterval - 1);
            }

            steps += control.CheckInterval;
            var sigma = solver.Stress;
            var shear = sigma.Symmetric();
            bool atTarget = Math.Abs(-sigma.X11 - p) < tol && Math.Abs(-sigma.X22 - p) < tol && Math.Abs(-sigma.X33 - p) < tol
                && Math.Abs(shear.X12) < tol && Math.Abs(shear.X13) < tol && Math.Abs(shear.X23) < tol;
            if (atTarget && solver.UnbalancedForceRatio < control.UnbalancedTolerance)
            {
                return steps;
            }

            if (steps >= cap)
            {
                throw new InvalidOperationException(
                    $"consolidation to {p:G4} Pa did not converge in {control.MaxSteps} steps (σ11 = {sigma.X11:G4}, σ22 = {sigma.X22:G4}, " +
                    $"σ33 = {sigma.X33:G4} Pa, unbalanced force ratio {solver.UnbalancedForceRatio:G3})");
            }
        }
    }
}
