using FemHost.MaterialSdk;

namespace FemHost.Materials.NeuralSurrogate.Tests;

internal static class PluginTestSupport
{
    /// <summary>A random network [5-5-5-3] (or other sizes) with physical scalings typical of soil data.</summary>
    public static SurrogateNetwork RandomNetwork(int seed, int[] sizes, string[] inputs, string[] outputs)
    {
        var rng = new Random(seed);
        var layers = new List<DenseLayer>();
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            layers.Add(new DenseLayer(sizes[l], sizes[l + 1],
                [.. Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => 2 * rng.NextDouble() - 1)],
                [.. Enumerable.Range(0, sizes[l + 1]).Select(_ => rng.NextDouble() - 0.5)]));
        }

        var inScale = new AffineScaling([.. inputs.Select(_ => 0.001 * rng.NextDouble())], [.. inputs.Select(_ => 0.005 + 0.01 * rng.NextDouble())]);
        var outScale = new AffineScaling([.. outputs.Select(_ => -100 + 20 * rng.NextDouble())], [.. outputs.Select(_ => 50 + 100 * rng.NextDouble())]);
        return new SurrogateNetwork(new Mlp(layers), Feature.ParseAll(inputs), Feature.ParseAll(outputs), inScale, outScale);
    }

    public static SurrogateNetwork Nn1(int seed) => RandomNetwork(seed, [5, 5, 5, 3], [.. Feature.DefaultInputs], [.. Feature.DefaultStressOutputs]);

    public static SurrogateNetwork Nn2(int seed) => RandomNetwork(seed, [5, 8, 8, 6], [.. Feature.DefaultInputs], [.. Feature.DefaultTangentOutputs]);

    /// <summary>Writes model files for NN1 (and NN2) into a fresh temporary folder and creates the material.</summary>
    public static IMaterialModel CreateMaterial(SurrogateNetwork nn1, SurrogateNetwork? nn2, out string folder, double phiSmoothing = 0)
    {
        folder = Directory.CreateTempSubdirectory("nn-plugin-").FullName;
        var nn1Path = Path.Combine(folder, "nn1.json");
        NeuralModelFile.From(nn1, NetworkRole.Stress, null).Save(nn1Path);
        var raw = new Dictionary<string, object?> { ["nn1_model"] = nn1Path, ["phi_smoothing"] = phiSmoothing };
        if (nn2 is not null)
        {
            var nn2Path = Path.Combine(folder, "nn2.json");
            NeuralModelFile.From(nn2, NetworkRole.Tangent, null).Save(nn2Path);
            raw["nn2_model"] = nn2Path;
        }

        var plugin = new NeuralSurrogatePlugin();
        return plugin.Create(MaterialParameters.Validate(plugin.Metadata, raw), ModellingHypothesis.PlaneStrain);
    }

    /// <summary>
    /// Asserts that the Consistent tangent <paramref name="d"/> of the update at (ε_n, Δε) equals central differences of
    /// the model's own stress with respect to Δε over the in-plane components (11, 22, 12), to 1e-6 of its largest entry.
    /// </summary>
    public static void AssertTangentIsTheDerivativeOfTheUpdate(IMaterialModel model, double[] strain, double[] increment, double[] stressOld, double[] phi, double[] d)
    {
        double scale = d.Max(Math.Abs);
        foreach (int c in new[] { 0, 1, 3 })
        {
            double h = 1e-8;
            var up = (double[])increment.Clone();
            var dn = (double[])increment.Clone();
            up[c] += h;
            dn[c] -= h;
            var sp = Integrate(model, strain, up, stressOld, phi, TangentKind.Consistent).Stress;
            var sm = Integrate(model, strain, dn, stressOld, phi, TangentKind.Consistent).Stress;
            foreach (int r in new[] { 0, 1, 3 })
            {
                double fd = (sp[r] - sm[r]) / (2 * h);
                Xunit.Assert.True(Math.Abs(fd - d[r * 4 + c]) <= 1e-6 * scale, $"D[{r},{c}] = {d[r * 4 + c]} vs FD {fd}");
            }
        }
    }

    /// <summary>
    /// One host-style call: integrates every point from (ε_n, σ_n, φ_n) over Δε (stress offsets zero, as
    /// without anchoring); returns the outputs, the state with 8 values per point (φ, then offsets).
    /// </summary>
    public static (double[] Stress, double[] State, double[] Tangent, PointStatus[] Status) Integrate(IMaterialModel model,
        double[] strain, double[] dstrain, double[] stressOld, double[] phiOld, TangentKind tangent)
    {
        int count = strain.Length / 4;
        var stateOld = new double[count * 8];
        for (int p = 0; p < count; p++)
        {
            phiOld.AsSpan(p * 4, 4).CopyTo(stateOld.AsSpan(p * 8, 4));
        }

        var stress = new double[count * 4];
        var state = new double[count * 8];
        var d = new double[count * 16];
        var status = new PointStatus[count];
        var batch = new MaterialBatch(ModellingHypothesis.PlaneStrain, count, 8, 0, 1, tangent,
            Enumerable.Range(0, count).ToArray(), new double[count * 2], strain, dstrain, stressOld, stateOld, stress, state, d, status);
        model.Integrate(batch);
        return (stress, state, d, status);
    }
}
