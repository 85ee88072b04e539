using FemHost.Materials.DhModel;

namespace FemHost.Experiments.Calibration;

/// <summary>
/// The DH model's answer to a lab test: drained triaxial compression at the lab's σ3, driven through the
/// strain-driven return mapping of the plug-in (mixed control: ε_a prescribed, σ_r = σ3 held by a local
/// Newton iteration; <see cref="StrainControlledTriaxial"/>), sampled at the lab's axial strains. Each interval
/// between two lab rows is split into substeps of at most <see cref="MaxSubstep"/> axial strain, so the
/// comparison does not depend on the lab's recording interval.
/// </summary>
public static class DhTriaxialResponse
{
    /// <summary>Largest axial strain per DH step (backward-Euler error of the mixed-control path stays below 1e-3 of q).</summary>
    public const double MaxSubstep = 5e-4;

    /// <summary>
    /// q and ε_v of the DH model at every axial strain of <paramref name="lab"/>; rows the model could not reach
    /// (a failed step) are NaN.
    /// </summary>
    public static (double[] Q, double[] VolumetricStrain) At(DhConstants constants, LabCurve lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var strains = new List<double>();
        var sampleAt = new int[lab.Count];
        double previous = 0;
        sampleAt[0] = 0;
        for (int i = 1; i < lab.Count; i++)
        {
            double target = Math.Max(lab.AxialStrain[i], previous);
            int parts = Math.Max(1, (int)Math.Ceiling((target - previous) / MaxSubstep));
            for (int k = 1; k <= parts; k++)
            {
                strains.Add(previous + (target - previous) * k / parts);
            }

            previous = target;
            sampleAt[i] = strains.Count;
        }

        var path = new StrainControlledTriaxial(constants).Follow(lab.ConfiningPressure, strains);
        var q = new double[lab.Count];
        var ev = new double[lab.Count];
        for (int i = 0; i < lab.Count; i++)
        {
            int row = sampleAt[i];
            q[i] = row < path.Count ? path.Q[row] : double.NaN;
            ev[i] = row < path.Count ? path.VolumetricStrain[row] : double.NaN;
        }

        return (q, ev);
    }
}
