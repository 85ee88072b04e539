using FemHost.MaterialSdk;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class EnsembleTests
{
    private static readonly double[] Strain = [-0.004, 0.0015, 0, 0.002];
    private static readonly double[] Phi = [0.005, 0.002, 0, 0.003];
    private static readonly double[] Increment = [-0.0007, 0.0003, 0, -0.0004];
    private static readonly double[] StressOld = [-150, -90, -110, 12];

    /// <summary>Truth: the ensemble is the mean of its members, y = (1/K) Σ y_k, and its Jacobian the mean of theirs (the mean is linear).</summary>
    [Fact]
    public void EnsembleIsTheMeanOfItsMembersAndSoIsItsJacobian()
    {
        var members = new[] { PluginTestSupport.Nn1(seed: 3), PluginTestSupport.Nn1(seed: 4), PluginTestSupport.Nn1(seed: 5) };
        var ensemble = new SurrogateEnsemble(members);
        double[] x = [-0.01, 0.004, 0.002, 0.012, 0.006, 0.003, -0.002, 0.001, 0.004, 0.001];
        var y = new double[6];
        var j = new double[30];
        ensemble.EvaluateWithJacobian(x, y, j, 2);
        var mean = new double[6];
        var meanJ = new double[30];
        foreach (var m in members)
        {
            var ym = new double[6];
            var jm = new double[30];
            m.EvaluateWithJacobian(x, ym, jm, 2);
            for (int i = 0; i < 6; i++)
            {
                mean[i] += ym[i] / 3;
            }

            for (int i = 0; i < 30; i++)
            {
                meanJ[i] += jm[i] / 3;
            }
        }

        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(mean[i], y[i], 1e-9 * Math.Max(1, Math.Abs(mean[i])));
        }

        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(meanJ[i], j[i], 1e-9 * Math.Max(1, Math.Abs(meanJ[i])));
        }

        var plain = new double[6];
        ensemble.Evaluate(x, plain, 2);
        Assert.Equal(y, plain);
    }

    /// <summary>
    /// Truth: through an ensemble file the plug-in's consistent tangent is still the derivative of its own stress
    /// update (central differences over the in-plane components), and its stress is the members' mean.
    /// </summary>
    [Fact]
    public void PluginRunsAnEnsembleFileWithAConsistentTangent()
    {
        var folder = Directory.CreateTempSubdirectory("nn-ensemble-").FullName;
        var members = new[] { PluginTestSupport.Nn1(seed: 21), PluginTestSupport.Nn1(seed: 22) };
        for (int k = 0; k < members.Length; k++)
        {
            NeuralModelFile.From(members[k], NetworkRole.Stress, null).Save(Path.Combine(folder, $"m{k}.json"));
        }

        new NeuralEnsembleFile { Role = NetworkRole.Stress, Members = ["m0.json", "m1.json"] }.Save(Path.Combine(folder, "nn1.json"));
        using var model = Create(Path.Combine(folder, "nn1.json"));
        var (stress, _, d, status) = PluginTestSupport.Integrate(model, Strain, Increment, StressOld, Phi, TangentKind.Consistent);
        Assert.True(status[0].IsOk);
        for (int k = 0; k < 2; k++)
        {
            using var single = PluginTestSupport.CreateMaterial(members[k], null, out _);
            var s = PluginTestSupport.Integrate(single, Strain, Increment, StressOld, Phi, TangentKind.Consistent).Stress;
            for (int r = 0; r < 4; r++)
            {
                stress[r] -= 0.5 * s[r];
            }
        }

        Assert.All(stress, v => Assert.True(Math.Abs(v) < 1e-9, $"ensemble stress minus the members' mean: {v}"));
        PluginTestSupport.AssertTangentIsTheDerivativeOfTheUpdate(model, Strain, Increment, StressOld, Phi, d);
    }

    /// <summary>Bad ensembles are parameter errors naming the key and the file at fault.</summary>
    [Theory]
    [InlineData("missing-member", "file not found")]
    [InlineData("wrong-role", "but the ensemble")]
    [InlineData("empty", "'members' must list at least one model file")]
    [InlineData("different-columns", "every member must have the same columns")]
    [InlineData("tangent-ensemble-as-nn1", "needs stress networks")]
    public void BadEnsembleFilesGiveClearErrors(string corruption, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("nn-ensemble-bad-").FullName;
        NeuralModelFile.From(PluginTestSupport.Nn1(seed: 1), NetworkRole.Stress, null).Save(Path.Combine(folder, "a.json"));
        NeuralModelFile.From(PluginTestSupport.Nn2(seed: 2), NetworkRole.Tangent, null).Save(Path.Combine(folder, "t.json"));
        var narrow = PluginTestSupport.RandomNetwork(3, [4, 5, 3], ["eps_11", "eps_22", "eps_12", "phi_11"], [.. Feature.DefaultStressOutputs]);
        NeuralModelFile.From(narrow, NetworkRole.Stress, null).Save(Path.Combine(folder, "narrow.json"));
        var (role, members) = corruption switch
        {
            "missing-member" => (NetworkRole.Stress, new[] { "a.json", "absent.json" }),
            "wrong-role" => (NetworkRole.Stress, new[] { "a.json", "t.json" }),
            "empty" => (NetworkRole.Stress, Array.Empty<string>()),
            "different-columns" => (NetworkRole.Stress, new[] { "a.json", "narrow.json" }),
            _ => (NetworkRole.Tangent, new[] { "t.json" }),
        };
        string path = Path.Combine(folder, "nn1.json");
        new NeuralEnsembleFile { Role = role, Members = members }.Save(path);
        var e = Assert.Throws<MaterialParameterException>(() => Create(path));
        Assert.Equal("nn1_model", e.Key);
        Assert.Contains(expected, e.Message);
        Assert.Contains(folder, e.Message);
    }

    private static IMaterialModel Create(string nn1)
    {
        var plugin = new NeuralSurrogatePlugin();
        return plugin.Create(MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?> { ["nn1_model"] = nn1 }), ModellingHypothesis.PlaneStrain);
    }
}
