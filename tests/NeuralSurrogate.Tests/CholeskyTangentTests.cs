using FemHost.MaterialSdk;
using FemHost.NeuralTrainer;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class CholeskyTangentTests
{
    private static readonly string[] Inputs = [.. Feature.DefaultInputs];
    private static readonly string[] Outputs = [.. Feature.DefaultTangentOutputs];
    private static readonly Feature[] OutputFeatures = Feature.ParseAll(Outputs);

    private static Architecture Nn2(TangentForm form) =>
        new(NetworkKind.Mlp, 5, 6, [8, 8], new NetworkConfig { TangentForm = form }) { OutputNames = Outputs };

    /// <summary>
    /// Truth: the map is D = c² L Lᵀ. For the isotropic plane-strain stiffness D(K, G) over (11, 22, 12), the raw
    /// output made of its Cholesky factor L/c (diagonal through the inverse softplus, ln(eˣ − 1)) gives D back to round-off.
    /// </summary>
    [Fact]
    public void MapReproducesAKnownStiffnessFromItsCholeskyFactor()
    {
        var d4 = new double[16];
        Elasticity.Isotropic(4e4, 2e4, d4, 4);
        int[] voigt = [0, 1, 3];
        var d = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                d[i, j] = d4[voigt[i] * 4 + voigt[j]];
            }
        }

        const double c = 300;
        var l = new double[3, 3];
        for (int p = 0; p < 3; p++)
        {
            for (int k = 0; k <= p; k++)
            {
                double s = d[p, k];
                for (int m = 0; m < k; m++)
                {
                    s -= l[p, m] * l[k, m];
                }

                l[p, k] = p == k ? Math.Sqrt(s) : s / l[k, k];
            }
        }

        var raw = new double[6];
        for (int p = 0; p < 3; p++)
        {
            for (int k = 0; k <= p; k++)
            {
                double v = l[p, k] / c;
                raw[CholeskyTangent.Index(p, k)] = p == k ? Math.Log(Math.Exp(v) - 1) : v;
            }
        }

        var map = new CholeskyTangent(OutputFeatures, c);
        var outputs = new double[6];
        map.Apply(raw, outputs, 1);
        for (int o = 0; o < 6; o++)
        {
            var (p, q) = map.Entry(o);
            Assert.Equal(d[p, q], outputs[o], 1e-9 * d[0, 0]);
        }
    }

    /// <summary>
    /// Truth (positive definite by construction): a random Cholesky network, evaluated far outside any training range,
    /// gives tangents whose leading principal minors are all positive (Sylvester's criterion), on 2 000 points.
    /// </summary>
    [Fact]
    public void RandomNetworkGivesPositiveDefiniteTangentsEverywhere()
    {
        var baseNet = PluginTestSupport.Nn2(seed: 3);
        var net = new SurrogateNetwork(baseNet.Mlp, baseNet.Inputs, baseNet.Outputs, baseNet.InputScaling, AffineScaling.Identity(6), new CholeskyTangent(OutputFeatures, 250));
        var rng = new Random(8);
        const int n = 2000;
        var x = Enumerable.Range(0, n * 5).Select(_ => 0.5 * (2 * rng.NextDouble() - 1)).ToArray();
        var y = new double[n * 6];
        net.Evaluate(x, y, n);
        for (int s = 0; s < n; s++)
        {
            var e = y.AsSpan(s * 6, 6); // D11, D12, D1s, D22, D2s, Dss
            double m1 = e[0], m2 = e[0] * e[3] - e[1] * e[1];
            double m3 = e[0] * (e[3] * e[5] - e[4] * e[4]) - e[1] * (e[1] * e[5] - e[4] * e[2]) + e[2] * (e[1] * e[4] - e[3] * e[2]);
            Assert.True(m1 > 0 && m2 > 0 && m3 > 0, $"point {s}: minors {m1:G3}, {m2:G3}, {m3:G3}");
        }
    }

    /// <summary>
    /// Truth: a Cholesky NN2 trained on the logged tangent of a hyperelastic law predicts it on unseen paths to within
    /// 10 % RMS, and the model file the trainer writes (format version 2) makes the plug-in's network give the
    /// trainer's predictions to round-off.
    /// </summary>
    [Fact]
    public void TrainedCholeskyNetworkLearnsTheTangentAndRoundTripsThroughItsModelFile()
    {
        var data = new HyperelasticLaw().Paths(16, 8, seed: 2);
        var table = SampleTable.FromDataset(data, Inputs, Outputs);
        var split = PathSplit.ByPath(table.PathIds, 0.7, 0.15, seed: 1);
        var test = table.Subset(split.Test);
        var options = new TrainingOptions { Epochs = 600, BatchSize = 64, LearningRate = 0.02, Patience = 600, Seed = 1 };
        var (model, _) = TransferLearning.Train(Nn2(TangentForm.Cholesky), table.Subset(split.Train), table.Subset(split.Validation), options);
        double rms = Math.Sqrt(test.Y.Average(v => v * v)), error = Math.Sqrt(model.Mse(test).Mean);
        Assert.True(error < 0.10 * rms, $"tangent RMS error {error:G3} kPa against RMS tangent {rms:G3}");

        var file = Path.Combine(Directory.CreateTempSubdirectory("nn2-chol-").FullName, "nn2.json");
        NeuralModelFile.From(model.ToNetwork(Inputs, Outputs), NetworkRole.Tangent, null).Save(file);
        var loaded = NeuralModelFile.Load(file);
        Assert.Equal(2, loaded.Version);
        var net = loaded.ToNetwork(file);
        var expected = Trainer.Predict(model.Module, test, model.InputScaling, model.OutputScaling);
        var actual = new double[expected.Length];
        net.Evaluate(test.X, actual, test.Count);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])), $"entry {i}: plug-in {actual[i]} vs trainer {expected[i]}");
        }
    }

    /// <summary>Bad input: incomplete triangles and transforms a stress network cannot have are clear errors.</summary>
    [Fact]
    public void BadCholeskyDefinitionsAreClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new CholeskyTangent(Feature.ParseAll(["D_11_11", "D_11_22", "D_22_22", "D_12_12"]), 100));
        Assert.Contains("complete upper triangle", e.Message);
        var folder = Directory.CreateTempSubdirectory("nn1-chol-").FullName;
        var file = Path.Combine(folder, "nn1.json");
        NeuralModelFile.From(PluginTestSupport.Nn1(seed: 1), NetworkRole.Stress, null).Save(file);
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"version\": 1", "\"version\": 2").Replace("\"layers\":", "\"output_transform\": {\"kind\": \"cholesky\", \"scale\": 300},\n  \"layers\":"));
        var m = Assert.Throws<ModelFileException>(() => NeuralModelFile.Load(file));
        Assert.Contains("'cholesky' is, for a tangent network", m.Message);
        var config = new TrainerConfig { Target = "x.csv", Role = NetworkRole.Stress, Network = new NetworkConfig { TangentForm = TangentForm.Cholesky } };
        var c = Assert.Throws<TrainerInputException>(() => config.Check("config.json"));
        Assert.Contains("tangent_form", c.Message);
    }
}
