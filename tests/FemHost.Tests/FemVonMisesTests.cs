using FemHost.Materials.VonMises;
using FemHost.MaterialSdk;
using Xunit;

namespace FemHost.Tests;

/// <summary>Single-point checks of the J2 plug-in.</summary>
public sealed class FemVonMisesTests
{
    private static IMaterialModel Create(ModellingHypothesis h, double hardening)
    {
        var plugin = new VonMisesPlugin();
        var p = MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?>
        {
            ["E"] = 200e3,
            ["nu"] = 0.3,
            ["sigma_y"] = 250.0,
            ["H"] = hardening,
        });
        return plugin.Create(p, h);
    }

    /// <summary>Integrates one point from (ε_n, σ_n, state_n) over Δε; returns stress, state and tangent.</summary>
    private static (double[] Stress, double[] State, double[] Tangent, PointStatus Status) Step(
        IMaterialModel m, double[] strain, double[] stressOld, double[] stateOld, double[] de)
    {
        int n = de.Length;
        var stress = new double[n];
        var state = new double[1];
        var tangent = new double[n * n];
        var status = new PointStatus[1];
        var batch = new MaterialBatch(m.Hypothesis, 1, 1, 0, 1, TangentKind.Consistent, new[] { 0 },
            new double[MaterialBatch.Dimension(m.Hypothesis)], strain, de, stressOld, stateOld, stress, state, tangent, status);
        m.Integrate(batch);
        return (stress, state, tangent, status[0]);
    }

    /// <summary>
    /// Truth: the consistent tangent is the derivative of the return map, D_ij = ∂σ_i/∂Δε_j, so it matches
    /// central finite differences of the stress (to 1e-6 relative) from an elastic and a plastic state,
    /// perfectly plastic and hardening, in plane strain and in 3D.
    /// </summary>
    [Theory]
    [InlineData(ModellingHypothesis.PlaneStrain, 0.0)]
    [InlineData(ModellingHypothesis.PlaneStrain, 5000.0)]
    [InlineData(ModellingHypothesis.Tridimensional, 0.0)]
    [InlineData(ModellingHypothesis.Tridimensional, 5000.0)]
    public void ConsistentTangentMatchesFiniteDifferences(ModellingHypothesis h, double hardening)
    {
        using var m = Create(h, hardening);
        int n = Voigt.Size(h);
        double[] stressOld = n == 4 ? [50, -20, 10, 30] : [50, -20, 10, 30, -15, 8];
        double[] stateOld = [0.001];
        double[] de = n == 4 ? [2e-3, -1e-3, 0, 1.5e-3] : [2e-3, -1e-3, 0.5e-3, 1.5e-3, -0.7e-3, 0.4e-3];
        foreach (double scale in new[] { 1e-3, 1.0 })
        {
            var inc = de.Select(v => v * scale).ToArray();
            var (_, state, d, status) = Step(m, new double[n], stressOld, stateOld, inc);
            Assert.True(status.IsOk);
            double dmax = d.Max(Math.Abs);
            const double h0 = 1e-8;
            for (int j = 0; j < n; j++)
            {
                var plus = (double[])inc.Clone();
                var minus = (double[])inc.Clone();
                plus[j] += h0;
                minus[j] -= h0;
                var sp = Step(m, new double[n], stressOld, stateOld, plus).Stress;
                var sm = Step(m, new double[n], stressOld, stateOld, minus).Stress;
                for (int i = 0; i < n; i++)
                {
                    double fd = (sp[i] - sm[i]) / (2 * h0);
                    Assert.True(Math.Abs(fd - d[i * n + j]) <= 1e-6 * dmax, $"D[{i},{j}] = {d[i * n + j]} vs FD {fd} (scale {scale}, eqps {state[0]})");
                }
            }
        }
    }

    /// <summary>
    /// Truth: radial return puts a plastic state on the updated yield surface, q = σ_y0 + H ε̄p, keeps the
    /// mean stress of the elastic predictor, and in simple shear (plane strain, perfectly plastic) the shear
    /// stress saturates at σ_y/√3 whatever the imposed shear.
    /// </summary>
    [Fact]
    public void ReturnMapLandsOnYieldSurfaceAndShearSaturates()
    {
        using var m = Create(ModellingHypothesis.PlaneStrain, 2000);
        double[] de = [4e-3, -1e-3, 0, 6e-3];
        var (s, state, _, _) = Step(m, new double[4], new double[4], [0.0], de);
        double p = (s[0] + s[1] + s[2]) / 3;
        double q = Math.Sqrt(1.5 * (Math.Pow(s[0] - p, 2) + Math.Pow(s[1] - p, 2) + Math.Pow(s[2] - p, 2) + 2 * s[3] * s[3]));
        Assert.True(state[0] > 0);
        Assert.Equal(250 + 2000 * state[0], q, 8);
        double k = Elasticity.BulkModulus(200e3, 0.3);
        Assert.Equal(k * (de[0] + de[1]), p, 8);

        using var perfect = Create(ModellingHypothesis.PlaneStrain, 0);
        foreach (double gamma in new[] { 0.01, 0.1 })
        {
            var (tau, _, _, _) = Step(perfect, new double[4], new double[4], [0.0], [0, 0, 0, gamma]);
            Assert.Equal(250 / Math.Sqrt(3), tau[3], 8);
        }
    }
}
