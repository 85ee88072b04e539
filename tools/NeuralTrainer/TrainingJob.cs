using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FemHost.MaterialData;
using FemHost.Materials.NeuralSurrogate;

namespace FemHost.NeuralTrainer;

/// <summary>
/// Runs one <see cref="TrainerConfig"/>: loads the datasets, splits the target by path, pre-trains on the
/// source when the scheme transfers, selects the target training paths (all, a random budget, or by
/// committee-based active learning), fine-tunes, evaluates every split in physical units and writes the
/// model file and the JSON report.
/// </summary>
public static class TrainingJob
{
    /// <summary>Runs the job; <paramref name="log"/> gets one line per phase, <paramref name="progress"/> every epoch.</summary>
    public static JsonObject Run(TrainerConfig config, Action<string> log, Func<string, IProgress<EpochRecord>?>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        Trainer.ConfigureTorch();
        string[] inputs = config.EffectiveInputs, outputs = config.EffectiveOutputs;
        var arch = new Architecture(config.Network.Kind, inputs.Length, outputs.Length, config.EffectiveHidden, config.Network);
        var target = Read(config.Target, "target");
        var targetTable = arch.Samples(target, inputs, outputs);
        var split = PathSplit.ByPath(targetTable.PathIds, config.Split.Train, config.Split.Validation, config.Split.Seed);
        var validation = targetTable.Subset(split.Validation);
        var report = new JsonObject
        {
            ["trainer"] = Versions(),
            ["config"] = JsonSerializer.SerializeToNode(config, TrainerConfig.JsonOptions),
            ["split"] = new JsonObject { ["train"] = Ids(split.Train), ["validation"] = Ids(split.Validation), ["test"] = Ids(split.Test) },
        };
        var datasets = new JsonArray { Describe(config.Target, target, "target") };

        TrainedModel? baseModel = null;
        SampleTable? sourceTest = null;
        if (config.Scheme != TransferScheme.Scratch)
        {
            var source = Read(config.Source!, "source");
            datasets.Add(Describe(config.Source!, source, "source"));
            var sourceTable = arch.Samples(source, inputs, outputs);
            var ss = PathSplit.ByPath(sourceTable.PathIds, config.Split.Train, config.Split.Validation, config.Split.Seed);
            var options = config.Pretraining ?? config.Training;
            log($"pre-training on {ss.Train.Length} source paths ({sourceTable.Subset(ss.Train).Count} samples)");
            var (model, result) = TransferLearning.Train(arch, sourceTable.Subset(ss.Train), sourceTable.Subset(ss.Validation), options, progress: progress?.Invoke("pre-train"));
            baseModel = model;
            sourceTest = sourceTable.Subset(ss.Test);
            report["pretraining"] = Describe(result, model, sourceTable.Subset(ss.Train), sourceTable.Subset(ss.Validation), sourceTest);
        }

        int budget = Math.Min(config.TargetPaths ?? split.Train.Length, split.Train.Length);
        int[] chosen;
        if (config.Scheme == TransferScheme.Active)
        {
            var rng = new Random(config.Split.Seed);
            var initial = split.Train.OrderBy(_ => rng.Next()).Take(Math.Min(config.Active.InitialPaths, budget)).ToArray();
            var picks = TransferLearning.SelectPaths(arch, targetTable.Subset(split.Train), initial, budget, validation, config.Training,
                baseModel, config.Active.Committee, config.Active.Bootstrap, config.Parallel, log);
            chosen = [.. picks.Select(p => p.Path)];
            report["active_learning"] = new JsonArray([.. picks.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["committee_variance"] = double.IsNaN(p.Disagreement) ? null : p.Disagreement,
            })]);
        }
        else
        {
            var rng = new Random(config.Split.Seed);
            chosen = [.. split.Train.OrderBy(_ => rng.Next()).Take(budget)];
        }

        var train = targetTable.Subset(chosen);
        int freeze = config.Scheme == TransferScheme.Freeze ? config.FreezeLayers : 0;
        log($"{(baseModel is null ? "training" : "fine-tuning")} on {chosen.Length} target paths ({train.Count} samples), scheme {config.Scheme}{(freeze > 0 ? $", {freeze} layer(s) frozen" : "")}");
        var (final, fit) = TransferLearning.Train(arch, train, validation, config.Training, baseModel, freeze, progress?.Invoke("train"));
        var test = targetTable.Subset(split.Test);
        report["training"] = Describe(fit, final, train, validation, test);
        report["target_paths_used"] = Ids(chosen);
        report["parameters"] = final.Module.ParameterCount;
        report["seconds"] = clock.Elapsed.TotalSeconds;

        if (config.Output is not null && final.Module is MlpModule mlp)
        {
            var net = new SurrogateNetwork(mlp.ToManaged(), Feature.ParseAll(inputs), Feature.ParseAll(outputs), final.InputScaling, final.OutputScaling);
            var provenance = new JsonObject
            {
                ["trainer"] = Versions(),
                ["created_utc"] = DateTime.UtcNow.ToString("O"),
                ["datasets"] = datasets,
                ["scheme"] = config.Scheme.ToString(),
                ["target_paths_used"] = Ids(chosen),
                ["config"] = JsonSerializer.SerializeToNode(config, TrainerConfig.JsonOptions),
                ["test_mse"] = report["training"]!["mse"]!["test"]!.DeepClone(),
            };
            NeuralModelFile.From(net, config.Role, provenance).Save(config.Output);
            log($"model written to {config.Output}");
        }

        report["datasets"] = datasets.DeepClone();
        if (config.Report is not null)
        {
            var full = Path.GetFullPath(config.Report);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full + ".tmp", report.ToJsonString(TrainerConfig.JsonOptions));
            File.Move(full + ".tmp", full, overwrite: true);
            log($"report written to {config.Report}");
        }

        final.Module.Dispose();
        baseModel?.Module.Dispose();
        return report;
    }

    private static PathDataset Read(string file, string role)
    {
        try
        {
            return PathDatasetReader.Read(file);
        }
        catch (PathDatasetFormatException e)
        {
            throw new TrainerInputException($"{role} dataset: {e.Message}", e);
        }
    }

    private static JsonArray Ids(IEnumerable<int> ids) => new([.. ids.Select(i => (JsonNode)i)]);

    private static JsonObject Versions() => new()
    {
        ["name"] = "femhost-train",
        ["version"] = typeof(TrainingJob).Assembly.GetName().Version?.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = Environment.Version.ToString(),
    };

    private static JsonObject Describe(string file, PathDataset data, string role)
    {
        using var stream = File.OpenRead(file);
        return new JsonObject
        {
            ["role"] = role,
            ["file"] = Path.GetFileName(file),
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(stream)),
            ["paths"] = data.Paths.Count,
            ["rows"] = data.RowCount,
            ["generator"] = data.Info.Source.Generator,
            ["material"] = data.Info.Source.Material,
        };
    }

    private static JsonObject Describe(TrainingResult result, TrainedModel model, SampleTable train, SampleTable validation, SampleTable test)
    {
        JsonNode Mse(SampleTable t)
        {
            var (per, mean) = model.Mse(t);
            return new JsonObject
            {
                ["mean"] = t.Count == 0 ? null : mean,
                ["per_output"] = new JsonObject([.. t.Outputs.Zip(per, (n, v) => KeyValuePair.Create(n, (JsonNode?)(t.Count == 0 ? null : v)))]),
                ["samples"] = t.Count,
            };
        }

        return new JsonObject
        {
            ["best_epoch"] = result.BestEpoch,
            ["epochs_run"] = result.Epochs.Count,
            ["stopped_early"] = result.StoppedEarly,
            ["seconds"] = result.Seconds,
            ["mse"] = new JsonObject { ["train"] = Mse(train), ["validation"] = Mse(validation), ["test"] = Mse(test) },
            ["epochs"] = new JsonArray([.. result.Epochs.Select(e => (JsonNode)new JsonArray(e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate))]),
            ["epochs_columns"] = new JsonArray("epoch", "train_loss", "validation_loss", "learning_rate"),
        };
    }
}
