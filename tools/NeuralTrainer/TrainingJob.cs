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
        var target = TargetData.Load(config);
        var report = new JsonObject
        {
            ["trainer"] = Versions(),
            ["config"] = JsonSerializer.SerializeToNode(config, TrainerConfig.JsonOptions),
            ["split"] = new JsonObject { ["train"] = Ids(target.Split.Train), ["validation"] = Ids(target.Split.Validation), ["test"] = Ids(target.Split.Test) },
        };
        var datasets = new JsonArray { Describe(config.Target, target.Dataset, "target") };

        Pretrained? pretrained = null;
        if (config.Scheme != TransferScheme.Scratch)
        {
            pretrained = Pretrain(config, target.Architecture, log, progress?.Invoke("pre-train"));
            datasets.Add(Describe(config.Source!, pretrained.Dataset, "source"));
            report["pretraining"] = Describe(pretrained.Result, pretrained.Model, pretrained.Train, pretrained.Validation, pretrained.Test);
        }

        var fit = FitTarget(config, target, pretrained?.Model, log, progress?.Invoke("train"));
        if (fit.Picks is not null)
        {
            report["active_learning"] = new JsonArray([.. fit.Picks.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["committee_variance"] = double.IsNaN(p.Disagreement) ? null : p.Disagreement,
            })]);
        }

        var final = fit.Model;
        report["training"] = Describe(fit.Result, final, fit.Train, target.Validation, target.Test);
        report["target_paths_used"] = Ids(fit.Chosen);
        report["parameters"] = final.Module.ParameterCount;
        report["seconds"] = clock.Elapsed.TotalSeconds;

        if (config.Output is not null && final.Module is MlpModule)
        {
            var net = final.ToNetwork(config.EffectiveInputs, config.EffectiveOutputs);
            var provenance = new JsonObject
            {
                ["trainer"] = Versions(),
                ["created_utc"] = DateTime.UtcNow.ToString("O"),
                ["datasets"] = datasets,
                ["scheme"] = config.Scheme.ToString(),
                ["target_paths_used"] = Ids(fit.Chosen),
                ["config"] = JsonSerializer.SerializeToNode(config, TrainerConfig.JsonOptions),
                ["test_mse"] = report["training"]!["mse"]!["test"]!.DeepClone(),
            };
            NeuralModelFile.From(net, config.Role, provenance).Save(config.Output);
            log($"model written to {config.Output}");
        }

        report["datasets"] = datasets.DeepClone();
        if (config.Report is not null)
        {
            WriteJson(config.Report, report);
            log($"report written to {config.Report}");
        }

        final.Module.Dispose();
        pretrained?.Model.Module.Dispose();
        return report;
    }

    /// <summary>
    /// Pre-training on the source's own by-path split (schemes fine-tune, freeze, active), with early stopping
    /// on its validation paths; the seed is that of <c>pretraining</c> (default: <c>training</c>).
    /// </summary>
    public static Pretrained Pretrain(TrainerConfig config, Architecture arch, Action<string> log, IProgress<EpochRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(log);
        var source = Read(config.Source ?? throw new TrainerInputException($"scheme '{config.Scheme}' pre-trains on a source: set 'source' to a dataset CSV"), "source");
        var table = arch.Samples(source, config.EffectiveInputs, config.EffectiveOutputs);
        var split = PathSplit.ByPath(table.PathIds, config.Split.Train, config.Split.Validation, config.Split.Seed);
        var options = config.Pretraining ?? config.Training;
        var train = table.Subset(split.Train);
        var validation = table.Subset(split.Validation);
        log($"pre-training on {split.Train.Length} source paths ({train.Count} samples), seed {options.Seed}");
        var (model, result) = TransferLearning.Train(arch, train, validation, options, progress: progress);
        return new Pretrained(source, model, result, train, validation, table.Subset(split.Test));
    }

    /// <summary>
    /// Chooses the target training paths and trains or fine-tunes on them: <see cref="ChooseTargetPaths"/>
    /// then <see cref="FitChosen"/>.
    /// </summary>
    public static TargetFit FitTarget(TrainerConfig config, TargetData target, TrainedModel? baseModel, Action<string> log, IProgress<EpochRecord>? progress = null) =>
        FitChosen(config, target, baseModel, ChooseTargetPaths(config, target, baseModel, log), log, progress);

    /// <summary>
    /// Chooses the target training paths: all, a random budget drawn with the selection seed, or by
    /// committee-based active learning from <paramref name="baseModel"/>. The test paths are never candidates:
    /// they are not in <see cref="TargetData.Split"/>'s training part. The choice for budget N is the first N
    /// paths of the choice for any larger budget with the same seed (the random order and the active-learning
    /// rounds do not depend on the budget), which lets a sweep run active learning once per seed.
    /// </summary>
    public static TargetChoice ChooseTargetPaths(TrainerConfig config, TargetData target, TrainedModel? baseModel, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(log);
        CheckBase(config, baseModel);
        var split = target.Split;
        int budget = Math.Min(config.TargetPaths ?? split.Train.Length, split.Train.Length);
        var rng = new Random(config.SelectionSeed ?? config.Split.Seed);
        if (config.Scheme == TransferScheme.Active)
        {
            var initial = split.Train.OrderBy(_ => rng.Next()).Take(Math.Min(config.Active.InitialPaths, budget)).ToArray();
            var picks = TransferLearning.SelectPaths(target.Architecture, target.Table.Subset(split.Train), initial, budget, target.Validation, config.Training,
                baseModel, config.Active.Committee, config.Active.Bootstrap, config.Parallel, log);
            return new TargetChoice([.. picks.Select(p => p.Path)], picks);
        }

        return new TargetChoice([.. split.Train.OrderBy(_ => rng.Next()).Take(budget)], null);
    }

    /// <summary>
    /// Trains (scheme scratch) or fine-tunes <paramref name="baseModel"/> (freezing layers for the freeze
    /// scheme) on the chosen target paths, with early stopping on the target's validation paths.
    /// </summary>
    public static TargetFit FitChosen(TrainerConfig config, TargetData target, TrainedModel? baseModel, TargetChoice choice, Action<string> log, IProgress<EpochRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(log);
        CheckBase(config, baseModel);
        var train = target.Table.Subset(choice.Chosen);
        int freeze = config.Scheme == TransferScheme.Freeze ? config.FreezeLayers : 0;
        log($"{(baseModel is null ? "training" : "fine-tuning")} on {choice.Chosen.Length} target paths ({train.Count} samples), scheme {config.Scheme}{(freeze > 0 ? $", {freeze} layer(s) frozen" : "")}, seed {config.Training.Seed}");
        // A fine-tuning that only makes the validation loss worse returns the pre-trained model (epoch 0).
        var start = config.Scheme == TransferScheme.Scratch ? null : baseModel;
        var (model, result) = TransferLearning.Train(target.Architecture, train, target.Validation, config.Training,
            start, freeze, progress, keepStartIfBest: start is not null);
        return new TargetFit(model, result, choice.Chosen, choice.Picks, train);
    }

    private static void CheckBase(TrainerConfig config, TrainedModel? baseModel)
    {
        if (config.Scheme != TransferScheme.Scratch && baseModel is null)
        {
            throw new ArgumentException($"scheme {config.Scheme} needs the pre-trained model", nameof(baseModel));
        }
    }

    /// <summary>Writes a JSON document atomically (a .tmp file renamed into place), creating the folder.</summary>
    public static void WriteJson(string file, JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full + ".tmp", document.ToJsonString(TrainerConfig.JsonOptions));
        File.Move(full + ".tmp", full, overwrite: true);
    }

    /// <summary>Reads a dataset; format problems become <see cref="TrainerInputException"/> naming its role.</summary>
    internal static PathDataset Read(string file, string role)
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

    internal static JsonObject Versions() => new()
    {
        ["name"] = "femhost-train",
        ["version"] = typeof(TrainingJob).Assembly.GetName().Version?.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = Environment.Version.ToString(),
    };

    internal static JsonObject Describe(string file, PathDataset data, string role)
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
            double tangent = model.TangentMse(t);
            return new JsonObject
            {
                ["mean"] = t.Count == 0 ? null : mean,
                ["consistent_tangent"] = double.IsNaN(tangent) ? null : tangent,
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

/// <summary>The target dataset of a job as samples for its architecture, split by path.</summary>
/// <param name="Architecture">The network architecture (fixes MLP rows or GRU windows).</param>
/// <param name="Dataset">The target dataset as read.</param>
/// <param name="Table">All its samples.</param>
/// <param name="Split">The by-path split (training candidates, validation, test).</param>
public sealed record TargetData(Architecture Architecture, PathDataset Dataset, SampleTable Table, PathSplit Split)
{
    /// <summary>Validation samples (early stopping).</summary>
    public SampleTable Validation { get; } = Table.Subset(Split.Validation);

    /// <summary>Held-out test samples (the unseen target paths).</summary>
    public SampleTable Test { get; } = Table.Subset(Split.Test);

    /// <summary>Reads the config's target and splits it by path with <c>split.seed</c>.</summary>
    public static TargetData Load(TrainerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Trainer.ConfigureTorch();
        string[] inputs = config.EffectiveInputs, outputs = config.EffectiveOutputs;
        var arch = new Architecture(config.Network.Kind, inputs.Length, outputs.Length, config.EffectiveHidden, config.Network) { OutputNames = outputs };
        var dataset = TrainingJob.Read(config.Target, "target");
        var table = arch.Samples(dataset, inputs, outputs);
        var split = PathSplit.ByPath(table.PathIds, config.Split.Train, config.Split.Validation, config.Split.Seed);
        return new TargetData(arch, dataset, table, split);
    }
}

/// <summary>A model pre-trained on the source with the source's splits.</summary>
/// <param name="Dataset">The source dataset.</param>
/// <param name="Model">The pre-trained network and its scalings.</param>
/// <param name="Result">Its training history.</param>
/// <param name="Train">Source training samples.</param>
/// <param name="Validation">Source validation samples.</param>
/// <param name="Test">Source test samples.</param>
public sealed record Pretrained(PathDataset Dataset, TrainedModel Model, TrainingResult Result, SampleTable Train, SampleTable Validation, SampleTable Test);

/// <summary>The network fitted to the target and the paths it was fitted on.</summary>
/// <param name="Model">The trained network and its scalings.</param>
/// <param name="Result">Its training history.</param>
/// <param name="Chosen">Target training paths used, in the order they were chosen.</param>
/// <param name="Picks">Active learning's picks with their committee variance (null for the other schemes).</param>
/// <param name="Train">The samples of the chosen paths.</param>
public sealed record TargetFit(TrainedModel Model, TrainingResult Result, int[] Chosen, List<ActivePick>? Picks, SampleTable Train);

/// <summary>The target training paths of one run, in the order chosen.</summary>
/// <param name="Chosen">Path ids.</param>
/// <param name="Picks">Active learning's picks with their committee variance (null for the other schemes).</param>
public sealed record TargetChoice(int[] Chosen, List<ActivePick>? Picks)
{
    /// <summary>The choice for a budget of <paramref name="n"/> paths: the first <paramref name="n"/> of this one.</summary>
    public TargetChoice First(int n)
    {
        if (n < 1 || n > Chosen.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"a choice of {Chosen.Length} paths has no prefix of {n}");
        }

        return new TargetChoice(Chosen[..n], Picks?.Take(n).ToList());
    }
}
