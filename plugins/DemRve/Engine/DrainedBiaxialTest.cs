namespace FemHost.Materials.DemRve.Engine;

/// <summary>One recorded state of a biaxial test (compression positive, as in soil mechanics).</summary>
/// <param name="AxialStrain">ε_a = −ε22.</param>
/// <param name="VolumetricStrain">ε_v = −(ε11 + ε22) (contraction positive).</param>
/// <param name="AxialStress">σ_a = −σ22 (Pa).</param>
/// <param name="LateralStress">σ_r = −σ11 (Pa).</param>
/// <param name="Coordination">Coordination number 2 N_c / N.</param>
/// <param name="Strain">Macroscopic strain (I + ε) = h h_ref⁻¹, tension positive.</param>
/// <param name="Stress">Symmetrised Love–Weber stress (Pa, tension positive).</param>
/// <param name="Fabric">Fabric tensor ⟨n⊗n⟩.</param>
public readonly record struct BiaxialRecord(double AxialStrain, double VolumetricStrain, double AxialStress, double LateralStress, double Coordination,
    Mat2 Strain, Mat2 Stress, Mat2 Fabric)
{
    /// <summary>Mobilised friction angle: sin φ_m = (σ_a − σ_r)/(σ_a + σ_r) (degrees).</summary>
    public double MobilisedFrictionAngle => Math.Asin(Math.Clamp((AxialStress - LateralStress) / (AxialStress + LateralStress), -1, 1)) * 180 / Math.PI;
}

/// <summary>
/// Drained biaxial compression of a periodic RVE: the axial (22) strain moves at a constant rate by
/// cell deformation while a servo keeps the lateral stress σ11 at the confining pressure (the periodic
/// counterpart of a test with a rigid top platen and flexible, stress-controlled side walls). The stress
/// path is that of a conventional drained test, σ_r constant and σ_a free; axial strain reversals give
/// cyclic loading.
/// </summary>
public static class DrainedBiaxialTest
{
    /// <summary>Monotonic compression from the current (consolidated) state; strains are measured from the reference cell.</summary>
    /// <param name="solver">Solver of the consolidated packing.</param>
    /// <param name="confiningPressure">Lateral stress to hold (Pa, compression positive).</param>
    /// <param name="finalAxialStrain">Axial strain at the end (e.g. 0.12).</param>
    /// <param name="strainPerStep">Axial strain per DEM step.</param>
    /// <param name="records">Number of recorded states (evenly spaced in axial strain).</param>
    /// <param name="servoGain">Lateral servo gain (fraction of the stress error corrected per step via the Voigt stiffness).</param>
    public static IReadOnlyList<BiaxialRecord> Run(DemSolver solver, double confiningPressure, double finalAxialStrain,
        double strainPerStep, int records, double servoGain = 0.5) =>
        Run(solver, confiningPressure, [finalAxialStrain], strainPerStep, records, servoGain);

    /// <summary>
    /// Axial strain driven through the targets in turn (compression positive, e.g. 0.01, 0.004, 0.02: load,
    /// unload, reload) at constant lateral stress.
    /// </summary>
    /// <param name="solver">Solver of the consolidated packing.</param>
    /// <param name="confiningPressure">Lateral stress to hold (Pa, compression positive).</param>
    /// <param name="axialTargets">Axial strains to reach one after the other.</param>
    /// <param name="strainPerStep">Axial strain change per DEM step.</param>
    /// <param name="records">Number of recorded states (evenly spaced in DEM steps, i.e. in accumulated axial strain).</param>
    /// <param name="servoGain">Lateral servo gain.</param>
    public static IReadOnlyList<BiaxialRecord> Run(DemSolver solver, double confiningPressure, IReadOnlyList<double> axialTargets,
        double strainPerStep, int records, double servoGain = 0.5)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(axialTargets);
        var p = solver.Packing;
        var reference = p.ReferenceCell;
        var legs = new long[axialTargets.Count];
        double start = -(p.Cell * reference.Inverse()).YY + 1.0;
        double previous = start;
        for (int k = 0; k < legs.Length; k++)
        {
            legs[k] = Math.Max(1, (long)Math.Ceiling(Math.Abs(axialTargets[k] - previous) / strainPerStep));
            previous = axialTargets[k];
        }

        long total = legs.Sum();
        long every = Math.Max(1, total / Math.Max(1, records));
        solver.Step(Mat2.Zero);
        var output = new List<BiaxialRecord>(records + 2) { Record(solver, reference) };
        Span<double> c = stackalloc double[16];
        double kx = 0, from = start;
        long s = 0;
        for (int k = 0; k < legs.Length; k++)
        {
            // Axial strain per step of this leg, relative to the reference height (compression positive).
            double rate = (axialTargets[k] - from) / legs[k];
            for (long m = 0; m < legs[k]; m++, s++)
            {
                if (s % 50 == 0)
                {
                    Homogenisation.ContactTangent(p, c);
                    kx = c[0];
                }

                var h = p.Cell;
                double error = -solver.Stress.XX - confiningPressure;
                double ex = kx > 0 ? Math.Clamp(servoGain * error / kx, -10 * strainPerStep, 10 * strainPerStep) : 0.0;
                double ey = -rate * reference.YY / h.YY;
                solver.Step(new Mat2(ex * h.XX, ex * h.XY, ey * h.YX, ey * h.YY));
                if ((s + 1) % every == 0 || (m == legs[k] - 1 && k == legs.Length - 1))
                {
                    output.Add(Record(solver, reference));
                }
            }

            from = axialTargets[k];
        }

        return output;
    }

    private static BiaxialRecord Record(DemSolver solver, Mat2 reference)
    {
        var p = solver.Packing;
        var strain = p.Cell * reference.Inverse() - Mat2.Identity;
        var s = solver.Stress;
        var fabric = Homogenisation.Fabric(p, out _);
        return new BiaxialRecord(-strain.YY, -(strain.XX + strain.YY), -s.YY, -s.XX, 2.0 * solver.ContactCount / p.Count,
            strain.Symmetric(), s.Symmetric(), fabric);
    }
}
