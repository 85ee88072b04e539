using FemHost.Experiments.Calibration;
using FemHost.MaterialData;

namespace FemHost.Experiments.Transfer;

/// <summary>
/// Adds the geotechnical columns of the DH sequences (<c>x_confining, x_p, x_q, x_eps_v, x_eps_q</c>, compression
/// positive) to a DEM virtual-lab dataset, so that source (DH) and target (DEM) name the same quantities for the
/// sequence model. For the 2D biaxial RVE: q = σ_a − σ_r, p = (σ_a + σ_r)/2 (the in-plane mean stress the RVE
/// was consolidated to), ε_v = −(ε11 + ε22) (ε33 = 0), ε_q = |ε_a − ε_r| (paper eq. 12 in 2D,
/// √(2 e:e) with e = ε − ½ tr ε 1). The DEM columns (strain, φ, stress, fabric) are kept.
/// </summary>
public static class GeotechnicalTarget
{
    /// <summary>The added extra columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["confining", "p", "q", "eps_v", "eps_q"];

    /// <summary>Writes <paramref name="outputCsv"/> (+ sidecar) from a plane-strain lab dataset.</summary>
    public static void Write(PathDataset lab, string outputCsv)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var info = lab.Info with
        {
            ExtraColumns = [.. lab.Info.ExtraColumns, .. Columns],
            Source = lab.Info.Source with { Generator = lab.Info.Source.Generator + " + femhost-experiments geotechnical columns" },
            CreatedUtc = DateTime.UtcNow,
        };
        using var writer = new PathDatasetWriter(outputCsv, info);
        var extras = new double[info.ExtraColumns.Count];
        int own = lab.Info.ExtraColumns.Count;
        foreach (var path in lab.Paths)
        {
            double sigma3 = LabCurve.FromPath(path).ConfiningPressure;
            foreach (var r in path.Rows)
            {
                r.Extras.CopyTo(extras, 0);
                double sa = -r.Stress[1], sr = -r.Stress[0], ea = -r.Strain[1], er = -r.Strain[0];
                extras[own] = sigma3;
                extras[own + 1] = 0.5 * (sa + sr);
                extras[own + 2] = sa - sr;
                extras[own + 3] = ea + er;
                extras[own + 4] = Math.Abs(ea - er);
                writer.WriteRow(path.Id, r.Step, r.Time, r.Strain, r.Phi, r.Stress, r.Tangent ?? [], extras);
            }
        }

        writer.Complete();
    }
}
