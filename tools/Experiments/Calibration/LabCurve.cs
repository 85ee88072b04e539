using FemHost.MaterialData;

namespace FemHost.Experiments.Calibration;

/// <summary>
/// One drained element test (constant lateral stress σ3, axial direction 2) in geotechnical signs
/// (compression positive): axial strain ε_a = −ε22, deviatoric stress q = σ_a − σ_r = σ11 − σ22 (tension-positive
/// components), volumetric strain ε_v = −tr ε. Row 0 is the state before shearing.
/// </summary>
/// <param name="ConfiningPressure">σ3 in kPa.</param>
/// <param name="AxialStrain">ε_a per row.</param>
/// <param name="DeviatoricStress">q per row (kPa).</param>
/// <param name="VolumetricStrain">ε_v per row (compression positive: negative is dilation).</param>
public sealed record LabCurve(double ConfiningPressure, double[] AxialStrain, double[] DeviatoricStress, double[] VolumetricStrain)
{
    /// <summary>Number of rows.</summary>
    public int Count => AxialStrain.Length;

    /// <summary>
    /// Reads every path of a DEM virtual-lab dataset (plane strain, <c>demrve-bench lab</c>). σ3 is the median
    /// lateral stress −σ11 over the path (the lab's servo holds it to a fraction of a percent).
    /// </summary>
    public static IReadOnlyList<LabCurve> FromDataset(PathDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Info.Hypothesis != DatasetHypothesis.PlaneStrain)
        {
            throw new ExperimentException(
                $"the DEM lab dataset should be plane strain (columns eps_11, eps_22, eps_33, eps_12), got {dataset.Info.Hypothesis}.");
        }

        return [.. dataset.Paths.Select(FromPath)];
    }

    /// <summary>Converts one plane-strain path (Voigt 11, 22, 33, 12; tension positive) to geotechnical signs.</summary>
    public static LabCurve FromPath(DatasetPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rows = path.Rows;
        var lateral = rows.Select(r => -r.Stress[0]).Order().ToArray();
        return new LabCurve(
            lateral[lateral.Length / 2],
            [.. rows.Select(r => -r.Strain[1])],
            [.. rows.Select(r => r.Stress[0] - r.Stress[1])],
            [.. rows.Select(r => -(r.Strain[0] + r.Strain[1] + r.Strain[2]))]);
    }
}
