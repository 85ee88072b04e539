using FemHost.MaterialSdk;
using FemHost.NeuralTrainer;
using Xunit;
using static TorchSharp.torch;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class TrainingTests
{
    private static readonly string[] Inputs = [.. Feature.DefaultInputs];
    private static readonly string[] Outputs = [.. Feature.DefaultStressOutputs];
    private static readonly Architecture Nn1 = new(NetworkKind.Mlp, 5, 3, [5, 5], new NetworkConfig());

    /// <summary>
    /// Truth: the plug-in's managed forward pass is the same arithmetic as libtorch's (float64), so the two
    /// agree to round-off: 1e-10 relative on 288 points, for NN1 [5-5-5-3] and NN2 [5-8-8-6].
    /// </summary>
    [Theory]
    [InlineData(new[] { 5, 5, 5, 3 })]
    [InlineData(new[] { 5, 8, 8, 6 })]
    public void ManagedInferenceEqualsTorchSharpForward(int[] sizes)
    {
        Trainer.ConfigureTorch();
        using var module = new MlpModule(sizes);
        module.InitializeParameters(new Random(17));
        var rng = new Random(2);
        var x = Enumerable.Range(0, 288 * sizes[0]).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
        double[] expected;
        using (NewDisposeScope())
        using (no_grad())
        {
            using var xt = tensor(x, dtype: float64).reshape(288, sizes[0]);
            using var yt = module.forward(xt);
            expected = yt.data<double>().ToArray();
        }

        var actual = new double[expected.Length];
        module.ToManaged().Forward(x, actual, 288);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-10 * Math.Max(1, Math.Abs(expected[i])), $"{actual[i]} vs {expected[i]}");
        }
    }

    /// <summary>
    /// Truth: Adam on a smooth target (tanh-saturated elasticity) lowers the validation loss by orders of
    /// magnitude, and a fixed seed reproduces the loss history and the weights (to 1e-12 relative: libtorch's
    /// vectorised reductions may differ in the last bit with memory alignment, observed in the loss value).
    /// </summary>
    [Fact]
    public void TrainingReducesLossAndIsReproducible()
    {
        var table = SampleTable.FromDataset(new SyntheticLaw().Paths(12, 20, seed: 1), Inputs, Outputs);
        var split = PathSplit.ByPath(table.PathIds, 0.7, 0.15, seed: 1);
        var options = new TrainingOptions { Epochs = 150, BatchSize = 32, LearningRate = 0.05, Patience = 150, Seed = 4 };
        var (ma, a) = TransferLearning.Train(Nn1, table.Subset(split.Train), table.Subset(split.Validation), options);
        var (mb, b) = TransferLearning.Train(Nn1, table.Subset(split.Train), table.Subset(split.Validation), options);
        Assert.True(a.BestValidationLoss < 0.02 * a.Epochs[0].ValidationLoss, $"validation loss {a.Epochs[0].ValidationLoss} -> {a.BestValidationLoss}");
        Assert.Equal(a.Epochs.Count, b.Epochs.Count);
        Assert.All(a.Epochs.Zip(b.Epochs), e => Assert.Equal(e.First.ValidationLoss, e.Second.ValidationLoss, 1e-12 * e.First.ValidationLoss));
        Assert.All(ma.Module.Snapshot().SelectMany(w => w).Zip(mb.Module.Snapshot().SelectMany(w => w)), w => Assert.Equal(w.First, w.Second, 1e-12 * Math.Max(1, Math.Abs(w.First))));
    }

    /// <summary>Truth: frozen layers have requires_grad off, so fine-tuning leaves them bit-identical while the rest moves.</summary>
    [Fact]
    public void FrozenLayersStayBitIdenticalDuringFineTuning()
    {
        var table = SampleTable.FromDataset(new SyntheticLaw().Paths(4, 10, seed: 2), Inputs, Outputs);
        var options = new TrainingOptions { Epochs = 30, BatchSize = 16, LearningRate = 0.01, Seed = 1 };
        var (base0, _) = TransferLearning.Train(Nn1, table, null, options with { Epochs = 5 });
        var before = base0.Module.Snapshot();
        var (tuned, _) = TransferLearning.Train(Nn1, SampleTable.FromDataset(new SyntheticLaw(S: 260).Paths(4, 10, seed: 3), Inputs, Outputs),
            null, options, base0, freezeLayers: 2);
        var after = tuned.Module.Snapshot();
        for (int p = 0; p < 4; p++)
        {
            Assert.Equal(before[p], after[p]); // weights and biases of layers 1 and 2
        }

        Assert.NotEqual(before[4], after[4]); // output layer was trained
    }

    /// <summary>
    /// Truth: early stopping of a fine-tuning returns the weights with the lowest validation loss among all it
    /// visited, the starting (pre-trained) weights included. Fine-tuning a model of law A on paths of a
    /// contradicting law B (200 kPa more initial pressure, a quarter of the saturation stress) while validating
    /// on A only makes the validation loss worse, so the result is the pre-trained model itself (best epoch 0,
    /// same weights), not the model after one epoch of fine-tuning. A committee member (no epoch 0) must keep
    /// weights it trained: its best epoch is at least 1.
    /// </summary>
    [Fact]
    public void FineTuningThatOnlyHurtsReturnsThePretrainedWeights()
    {
        var lawA = SampleTable.FromDataset(new SyntheticLaw().Paths(8, 10, seed: 4), Inputs, Outputs);
        var lawB = SampleTable.FromDataset(new SyntheticLaw(S: 50, P0: 300).Paths(4, 10, seed: 5), Inputs, Outputs);
        var options = new TrainingOptions { Epochs = 200, BatchSize = 16, LearningRate = 0.01, Patience = 10, Seed = 1 };
        var (pretrained, _) = TransferLearning.Train(Nn1, lawA, null, options);
        double baseLoss = pretrained.Mse(lawA).Mean;
        var (tuned, fit) = TransferLearning.Train(Nn1, lawB, lawA, options, pretrained, keepStartIfBest: true);
        var (member, memberFit) = TransferLearning.Train(Nn1, lawB, lawA, options, pretrained);

        Assert.Equal(0, fit.BestEpoch);
        Assert.True(fit.StoppedEarly);
        Assert.Equal(baseLoss, tuned.Mse(lawA).Mean, 1e-12 * baseLoss);
        Assert.Equal(pretrained.Module.Snapshot().SelectMany(w => w), tuned.Module.Snapshot().SelectMany(w => w));
        Assert.True(fit.Epochs[0].ValidationLoss > fit.BestValidationLoss);
        Assert.True(memberFit.BestEpoch >= 1);
        Assert.True(member.Mse(lawA).Mean > baseLoss);
    }

    /// <summary>
    /// Truth (paper Fig. 7 / Fig. 13, in a setting where it is certain): the target law is the source law
    /// with a 25 % higher saturation stress and 20 % stiffer; with only 2 target paths and the same budget
    /// (epochs, rate, seeds), fine-tuning the source model beats training from scratch on held-out target
    /// paths, averaged over three seeds.
    /// </summary>
    [Fact]
    public void TransferFromARelatedSourceBeatsScratchOnATinyTarget()
    {
        var source = SampleTable.FromDataset(new SyntheticLaw().Paths(30, 15, seed: 10), Inputs, Outputs);
        var targetLaw = new SyntheticLaw(E: 6e4, S: 250);
        var targetTrain = SampleTable.FromDataset(targetLaw.Paths(2, 15, seed: 11), Inputs, Outputs);
        var targetTest = SampleTable.FromDataset(targetLaw.Paths(10, 15, seed: 12), Inputs, Outputs);
        var pre = new TrainingOptions { Epochs = 400, BatchSize = 128, LearningRate = 0.02, Patience = 400, Seed = 1 };
        var (baseModel, _) = TransferLearning.Train(Nn1, source, null, pre);
        var fine = new TrainingOptions { Epochs = 150, BatchSize = 32, LearningRate = 0.005, Patience = 150 };
        double scratch = 0, transfer = 0;
        foreach (int seed in new[] { 1, 2, 3 })
        {
            scratch += TransferLearning.Train(Nn1, targetTrain, null, fine with { Seed = seed }).Model.Mse(targetTest).Mean;
            transfer += TransferLearning.Train(Nn1, targetTrain, null, fine with { Seed = seed }, baseModel).Model.Mse(targetTest).Mean;
        }

        Assert.True(transfer < 0.5 * scratch, $"test MSE (kPa²): transfer {transfer / 3:G4}, scratch {scratch / 3:G4}");
    }

    /// <summary>
    /// Truth (paper §3.2, Fig. 10: active learning prefers the boundary of the data space): on a 1-D pool of
    /// paths indexed by a confining-pressure-like parameter c ∈ [0, 1], with only the middle path labelled,
    /// the committee disagrees most where it must extrapolate furthest, so its picks are the two end paths
    /// (checked robust over seeds 1–6 when written).
    /// </summary>
    [Fact]
    public void ActiveLearningPicksABoundaryPathFirst()
    {
        int n = 9;
        var data = new SyntheticLaw().Paths(n, 10, seed: 1, endStrain: p => [-0.002 - 0.012 * p / (n - 1.0), 0.001, 0, 0]);
        var pool = SampleTable.FromDataset(data, ["eps_11", "phi_11"], ["sig_11", "sig_22"]);
        var arch = new Architecture(NetworkKind.Mlp, 2, 2, [8, 8], new NetworkConfig());
        var options = new TrainingOptions { Epochs = 60, BatchSize = 64, LearningRate = 0.02, Patience = 60, Seed = 3 };
        var picks = TransferLearning.SelectPaths(arch, pool, initial: [4], budget: 3, validation: null, options, baseModel: null,
            committee: 4, bootstrap: false, parallel: 2);
        Assert.Equal(4, picks[0].Path);
        Assert.Equal(new[] { 0, n - 1 }, picks.Skip(1).Select(p => p.Path).Order());
    }

    /// <summary>
    /// Truth: query by committee needs members that differ. Starting from one labelled path and a pre-trained
    /// model (all members start from its weights) with mini-batches larger than a path (full-batch Adam), a
    /// resample of the paths gives every member the same path; the sample resample keeps them apart, so the
    /// committee variance that picks the next path is far above round-off (1e-8 in normalised units; identical
    /// members give ~1e-30) and the picks are the same on one thread and on two.
    /// </summary>
    [Fact]
    public void CommitteeFromOnePretrainedPathStillDisagrees()
    {
        var source = SampleTable.FromDataset(new SyntheticLaw().Paths(6, 10, seed: 11), Inputs, Outputs);
        var pool = SampleTable.FromDataset(new SyntheticLaw(S: 260).Paths(6, 10, seed: 12), Inputs, Outputs);
        var options = new TrainingOptions { Epochs = 20, BatchSize = 64, LearningRate = 0.01, Patience = 20, Seed = 1 };
        var (pretrained, _) = TransferLearning.Train(Nn1, source, null, options);
        var one = TransferLearning.SelectPaths(Nn1, pool, [pool.PathIds[0]], 3, null, options, pretrained, committee: 3, bootstrap: true, parallel: 1);
        var two = TransferLearning.SelectPaths(Nn1, pool, [pool.PathIds[0]], 3, null, options, pretrained, committee: 3, bootstrap: true, parallel: 2);

        Assert.True(one[1].Disagreement > 1e-8, $"committee variance {one[1].Disagreement:G3}: the members are identical");
        Assert.Equal(one.Select(p => p.Path), two.Select(p => p.Path));
    }

    /// <summary>
    /// Truth: the whole pipeline — dataset files in the shared format, a JSON config, pre-training, fine-tuning,
    /// report and model file — produces a model the plug-in loads and whose stress at the virgin state is the
    /// law's initial stress (−100 kPa) within a few kPa.
    /// </summary>
    [Fact]
    public void TrainerJobWritesAModelThePluginRuns()
    {
        var folder = Directory.CreateTempSubdirectory("nn-job-").FullName;
        new SyntheticLaw().Paths(20, 12, seed: 5).Write(Path.Combine(folder, "source.csv"));
        new SyntheticLaw(S: 240).Paths(10, 12, seed: 6).Write(Path.Combine(folder, "target.csv"));
        File.WriteAllText(Path.Combine(folder, "job.json"), """
            {
              "role": "stress",
              "source": "source.csv",
              "target": "target.csv",
              "scheme": "fine-tune",
              "target_paths": 3,
              "training": { "epochs": 60, "batch_size": 16, "learning_rate": 0.01, "patience": 60, "seed": 1 },
              "pretraining": { "epochs": 200, "batch_size": 32, "learning_rate": 0.05, "patience": 200, "seed": 1 },
              "output": "out/nn1.json",
              "report": "out/report.json"
            }
            """);
        var log = new List<string>();
        var report = TrainingJob.Run(TrainerConfig.Load(Path.Combine(folder, "job.json")), log.Add);
        Assert.True(File.Exists(Path.Combine(folder, "out", "report.json")));
        Assert.Equal(3, report["target_paths_used"]!.AsArray().Count);
        Assert.NotNull(report["training"]!["mse"]!["test"]!["mean"]);
        Assert.Equal(64, report["datasets"]![0]!["sha256"]!.GetValue<string>().Length);

        var plugin = new NeuralSurrogatePlugin();
        using var model = plugin.Create(MaterialParameters.Validate(plugin.Metadata,
            new Dictionary<string, object?> { ["nn1_model"] = Path.Combine(folder, "out", "nn1.json") }), ModellingHypothesis.PlaneStrain);
        var (stress, _, _, status) = PluginTestSupport.Integrate(model, new double[4], new double[4], [-100, -100, -100, 0], new double[4], TangentKind.Consistent);
        Assert.True(status[0].IsOk);
        Assert.Equal(-100, stress[0], 0.5 * 10);
        Assert.Equal(-100, stress[1], 0.5 * 10);
    }

    /// <summary>Truth: a config mistake is reported with the file and the expected keys, not as a crash.</summary>
    [Fact]
    public void BadConfigNamesFileAndProblem()
    {
        var folder = Directory.CreateTempSubdirectory("nn-cfg-").FullName;
        var file = Path.Combine(folder, "bad.json");
        File.WriteAllText(file, """{ "target": "t.csv", "scheme": "fine-tune" }""");
        var e = Assert.Throws<TrainerInputException>(() => TrainerConfig.Load(file));
        Assert.Contains("set 'source'", e.Message);
        File.WriteAllText(file, """{ "target": "t.csv", "learning_rate": 0.1 }""");
        e = Assert.Throws<TrainerInputException>(() => TrainerConfig.Load(file));
        Assert.Contains(file, e.Message);
    }

    /// <summary>Truth: every example configuration shipped in experiments/neural is a valid trainer config.</summary>
    [Fact]
    public void ShippedExampleConfigsAreValid()
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "experiments", "neural")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("experiments/neural not found above the test folder");
        }

        var files = Directory.GetFiles(Path.Combine(dir, "experiments", "neural"), "*.json");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(string.IsNullOrEmpty(TrainerConfig.Load(f).Target)));
    }

    /// <summary>
    /// Truth: the GRU sequence model (paper Table 1, here with a 5-step window) trains on moving windows —
    /// the loss falls by an order of magnitude on the smooth synthetic law — and with its recurrent layer
    /// frozen ("freeze + fine tuning", §3.2) the GRU weights stay bit-identical while the dense layers move.
    /// </summary>
    [Fact]
    public void GruTrainsOnWindowsAndFreezesItsRecurrentLayer()
    {
        var arch = new Architecture(NetworkKind.Gru, 2, 2, [], new NetworkConfig { GruUnits = 8, DenseUnits = 6, Window = 5 });
        var data = new SyntheticLaw().Paths(6, 15, seed: 7);
        var table = arch.Samples(data, ["eps_11", "eps_22"], ["sig_11", "sig_22"]);
        var options = new TrainingOptions { Epochs = 60, BatchSize = 32, LearningRate = 0.01, Patience = 60, Seed = 2 };
        var (model, fit) = TransferLearning.Train(arch, table, null, options);
        Assert.True(fit.BestValidationLoss < 0.1 * fit.Epochs[0].ValidationLoss, $"loss {fit.Epochs[0].ValidationLoss} -> {fit.BestValidationLoss}");
        var gruBefore = model.Module.Snapshot();
        var (tuned, _) = TransferLearning.Train(arch, arch.Samples(new SyntheticLaw(S: 260).Paths(2, 15, seed: 8), ["eps_11", "eps_22"], ["sig_11", "sig_22"]),
            null, options with { Epochs = 10 }, model, freezeLayers: 1);
        var after = tuned.Module.Snapshot();
        int gruTensors = ((GruModule)tuned.Module).LayerParameters[0].Count;
        for (int p = 0; p < gruTensors; p++)
        {
            Assert.Equal(gruBefore[p], after[p]);
        }

        Assert.NotEqual(gruBefore[gruTensors], after[gruTensors]);
    }
}
