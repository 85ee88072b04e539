using FemHost.MaterialData;
using FemHost.MaterialSdk;

namespace FemHost.Materials.NeuralSurrogate.Tests;

/// <summary>
/// A smooth, saturating, path-independent plane-strain law used as ground truth:
/// σ = −p0·(1, 1, 1, 0) + S · tanh(D ε / S) component-wise, D the isotropic elastic stiffness (E, ν).
/// Small strains give σ ≈ σ0 + D ε; large ones saturate at ±S like a hardening soil.
/// </summary>
internal sealed record SyntheticLaw(double E = 5e4, double Nu = 0.3, double S = 200, double P0 = 100)
{
    public double[] Stress(ReadOnlySpan<double> eps)
    {
        var d = new double[16];
        Elasticity.Isotropic(Elasticity.BulkModulus(E, Nu), Elasticity.ShearModulus(E, Nu), d, 4);
        var lin = new double[4];
        Elasticity.Multiply(d, eps, lin);
        return [.. lin.Select((v, i) => (i < 3 ? -P0 : 0) + S * Math.Tanh(v / S))];
    }

    /// <summary>
    /// Monotonic proportional strain paths ε(t) = t/steps · ε_end with ε_end drawn per path (seeded): ε11 in
    /// [−1.5 %, −0.2 %], ε22 in [−0.3 %, 0.6 %], γ12 in [−0.5 %, 0.5 %]; φ = Σ|Δε| along the path (eq. 5).
    /// </summary>
    public PathDataset Paths(int count, int steps, int seed, Func<int, double[]>? endStrain = null)
    {
        var rng = new Random(seed);
        var paths = new List<DatasetPath>();
        for (int p = 0; p < count; p++)
        {
            var end = endStrain?.Invoke(p) ?? [-0.002 - 0.013 * rng.NextDouble(), -0.003 + 0.009 * rng.NextDouble(), 0, -0.005 + 0.01 * rng.NextDouble()];
            var rows = new List<PathRow>();
            var phi = new double[4];
            var prev = new double[4];
            for (int t = 0; t <= steps; t++)
            {
                var eps = end.Select(e => e * t / steps).ToArray();
                for (int j = 0; j < 4; j++)
                {
                    phi[j] += Math.Abs(eps[j] - prev[j]);
                }

                rows.Add(new PathRow(t, t, eps, [.. phi], Stress(eps), null, []));
                prev = eps;
            }

            paths.Add(new DatasetPath(p, rows));
        }

        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.PlaneStrain,
            Source = new DatasetSource("SyntheticLaw (tests)", "tanh-saturated elasticity",
                new Dictionary<string, object> { ["E"] = E, ["nu"] = Nu, ["S"] = S, ["p0"] = P0 }, seed),
        };
        return new PathDataset(info, paths);
    }
}
