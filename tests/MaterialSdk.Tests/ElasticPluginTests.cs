using FemHost.Materials.Elastic;
using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Tests;

/// <summary>The sample Elastic plug-in against the tensor definition of isotropic elasticity.</summary>
public class ElasticPluginTests
{
    private const double E = 30000, Nu = 0.2;

    [Theory]
    [InlineData(ModellingHypothesis.PlaneStrain)]
    [InlineData(ModellingHypothesis.Tridimensional)]
    public void The_tangent_is_K_1x1_plus_2G_deviatoric_projector_in_engineering_voigt_form(ModellingHypothesis hypothesis)
    {
        // Truth: D_ijkl = K δ_ij δ_kl + 2G (½(δ_ik δ_jl + δ_il δ_jk) − ⅓ δ_ij δ_kl); with engineering shear
        // strain, Voigt D_ab = D_{ij kl} for a=(ij), b=(kl) (the factor ½ of γ = 2ε is absorbed by the symmetric pair).
        int n = Voigt.Size(hypothesis);
        var (stress, tangent) = Integrate(hypothesis, new double[n], new double[n]);
        double k = E / (3 * (1 - 2 * Nu)), g = E / (2 * (1 + Nu));
        (int, int)[] pairs = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                var (i, j) = pairs[a];
                var (kk, l) = pairs[b];
                double expected = k * D(i, j) * D(kk, l) + 2 * g * (0.5 * (D(i, kk) * D(j, l) + D(i, l) * D(j, kk)) - D(i, j) * D(kk, l) / 3);
                Assert.Equal(expected, tangent[a * n + b], 8);
            }
        }

        Assert.All(stress, s => Assert.Equal(0, s));
    }

    [Fact]
    public void Stress_is_the_old_stress_plus_D_times_the_increment_and_matches_finite_differences()
    {
        // Truth: σ_{n+1} = σ_n + D Δε; the consistent tangent equals central differences of σ(Δε).
        const int n = 6;
        double[] old = [-100, -80, -60, 5, 3, 1], dEps = [1e-4, -2e-4, 3e-4, 4e-4, -1e-4, 2e-4];
        var (stress, tangent) = Integrate(ModellingHypothesis.Tridimensional, dEps, old);
        var expected = new double[n];
        Elasticity.Multiply(tangent, dEps, expected);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(old[i] + expected[i], stress[i], 10);
        }

        const double h = 1e-6;
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])dEps.Clone();
            var minus = (double[])dEps.Clone();
            plus[j] += h;
            minus[j] -= h;
            var sp = Integrate(ModellingHypothesis.Tridimensional, plus, old).Stress;
            var sm = Integrate(ModellingHypothesis.Tridimensional, minus, old).Stress;
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(tangent[i * n + j], (sp[i] - sm[i]) / (2 * h), 4);
            }
        }
    }

    [Fact]
    public void Metadata_declares_E_required_and_nu_bounded()
    {
        var m = new ElasticPlugin().Metadata;
        Assert.True(m.FindParameter("E")!.IsRequired);
        Assert.Equal(0.499, m.FindParameter("nu")!.Maximum);
        Assert.Throws<MaterialParameterException>(() => MaterialParameters.Validate(m, new Dictionary<string, object?> { ["E"] = 1.0, ["nu"] = 0.5 }));
    }

    private static double D(int i, int j) => i == j ? 1 : 0;

    private static (double[] Stress, double[] Tangent) Integrate(ModellingHypothesis hypothesis, double[] dEps, double[] old)
    {
        var plugin = new ElasticPlugin();
        var parameters = MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?> { ["E"] = E, ["nu"] = Nu });
        using var model = plugin.Create(parameters, hypothesis);
        int n = Voigt.Size(hypothesis);
        var stress = new double[n];
        var tangent = new double[n * n];
        var status = new PointStatus[1];
        model.Integrate(new MaterialBatch(hypothesis, 1, 0, 0, 1, TangentKind.Consistent, new[] { 0 }, new double[MaterialBatch.Dimension(hypothesis)],
            new double[n], dEps, old, Array.Empty<double>(), stress, Array.Empty<double>(), tangent, status));
        Assert.True(status[0].IsOk);
        return (stress, tangent);
    }
}
