using FemHost.MaterialData;
using FemHost.MaterialSdk;

namespace FemHost.NeuralBench;

/// <summary>
/// Synthetic "material-point logs" like those of the paper's biaxial BVP (288 Gauss points × 100 steps):
/// each path is a strain-driven plane-strain history of one material model (here the DH plug-in, driven
/// through the SDK like a host), from an isotropic 100 kPa initial stress. Increments per step:
/// Δε11 = −1.2e-3·a, Δε22 = 1.2e-3·a·r, Δγ12 = 1.2e-3·s with a ∈ [0.3, 1], r ∈ [−0.2, 0.6], s ∈ [−0.3, 0.3]
/// drawn per path (seeded). Paths with a failed point are dropped.
/// </summary>
internal static class GaussPointPaths
{
    public static PathDataset Generate(IMaterialPlugin plugin, int paths, int steps, int seed)
    {
        var model = plugin.Create(MaterialParameters.Defaults(plugin.Metadata), ModellingHypothesis.PlaneStrain);
        int m = plugin.Metadata.StateSize, n = 4;
        var rng = new Random(seed);
        var inc = new double[paths * n];
        for (int p = 0; p < paths; p++)
        {
            double a = 0.3 + 0.7 * rng.NextDouble(), r = -0.2 + 0.8 * rng.NextDouble(), s = -0.3 + 0.6 * rng.NextDouble();
            inc[p * n + 0] = -1.2e-3 * a;
            inc[p * n + 1] = 1.2e-3 * a * r;
            inc[p * n + 3] = 1.2e-3 * s;
        }

        var strain = new double[paths * n];
        var phi = new double[paths * n];
        var stress = Enumerable.Range(0, paths * n).Select(i => i % n == 3 ? 0.0 : -100.0).ToArray();
        var state = new double[paths * m];
        var ids = Enumerable.Range(0, paths).ToArray();
        model.Initialize(new MaterialInitialization(ids, new double[paths * 2], stress, state));
        var rows = Enumerable.Range(0, paths).Select(_ => new List<PathRow>()).ToArray();
        var failed = new bool[paths];
        var upper = new double[10];
        void Log(int step, double[] tangent)
        {
            for (int p = 0; p < paths; p++)
            {
                DatasetLayout.PackUpperTriangle(tangent.AsSpan(p * 16, 16), n, upper);
                rows[p].Add(new PathRow(step, step, strain[(p * n)..(p * n + n)], phi[(p * n)..(p * n + n)], stress[(p * n)..(p * n + n)], [.. upper], []));
            }
        }

        var newStress = new double[paths * n];
        var newState = new double[paths * m];
        var d = new double[paths * 16];
        var status = new PointStatus[paths];
        model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, paths, m, 0, 1, TangentKind.Consistent, ids, new double[paths * 2],
            strain, new double[paths * n], stress, state, newStress, newState, d, status));
        Log(0, d);
        for (int step = 1; step <= steps; step++)
        {
            model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, paths, m, step - 1, 1, TangentKind.Consistent, ids, new double[paths * 2],
                strain, inc, stress, state, newStress, newState, d, status));
            for (int p = 0; p < paths; p++)
            {
                failed[p] |= !status[p].IsOk;
            }

            for (int k = 0; k < paths * n; k++)
            {
                strain[k] += inc[k];
                phi[k] += Math.Abs(inc[k]);
            }

            newStress.CopyTo(stress, 0);
            newState.CopyTo(state, 0);
            Log(step, d);
        }

        var kept = Enumerable.Range(0, paths).Where(p => !failed[p]).Select(p => new DatasetPath(p, rows[p])).ToList();
        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.PlaneStrain,
            HasTangent = true,
            Source = new DatasetSource("femhost-neural-bench GaussPointPaths", plugin.Metadata.Name, new Dictionary<string, object> { ["paths"] = paths, ["steps"] = steps }, seed),
        };
        return new PathDataset(info, kept);
    }
}
