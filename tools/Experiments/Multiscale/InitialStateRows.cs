using FemHost.MaterialData;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// Completes a FEM Gauss-point log for training: the host logs every converged increment but not the initial state,
/// so each path gets a step-0 row with ε = 0, φ = 0 and the case's initial stress (isotropic −100 kPa, an exact
/// equilibrium state, paper §5.3), with the tangent and extra columns of the path's first logged row. Without it a
/// network trained on the log never sees the start of loading, and the stiffness of the first increment (the jump
/// from −100 kPa to the first logged stress) is unconstrained.
/// </summary>
public static class InitialStateRows
{
    /// <summary>Writes <paramref name="log"/> with a step-0 row prepended to every path into <paramref name="output"/> (and its sidecar).</summary>
    public static void Write(string log, string output, double initialPressure)
    {
        var data = PathDatasetReader.Read(log);
        var paths = data.Paths.Select(p =>
        {
            if (p.Rows.Count == 0 || p.Rows[0].Step == 0)
            {
                return p;
            }

            var first = p.Rows[0];
            var stress = new double[first.Stress.Length];
            for (int i = 0; i < Math.Min(3, stress.Length); i++)
            {
                stress[i] = -initialPressure;
            }

            var initial = new PathRow(0, 0, new double[first.Strain.Length], new double[first.Phi.Length], stress,
                first.Tangent is null ? null : (double[])first.Tangent.Clone(), (double[])first.Extras.Clone());
            return new DatasetPath(p.Id, [initial, .. p.Rows]);
        }).ToList();
        new PathDataset(data.Info, paths).Write(output);
    }
}
