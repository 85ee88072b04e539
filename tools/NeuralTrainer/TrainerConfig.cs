using System.Text.Json;
using System.Text.Json.Serialization;
using FemHost.Materials.NeuralSurrogate;

namespace FemHost.NeuralTrainer;

/// <summary>How knowledge from the source dataset reaches the target model (paper §2, §3.2).</summary>
public enum TransferScheme
{
    /// <summary>No transfer: train on the target data alone.</summary>
    Scratch,

    /// <summary>Pre-train on the source, then fine-tune every layer on the target ("full model fine-tuning").</summary>
    FineTune,

    /// <summary>Pre-train, freeze the first layers (the GRU, or early MLP layers), fine-tune the rest.</summary>
    Freeze,

    /// <summary>Pre-train, then pick target paths by committee disagreement and fine-tune on them.</summary>
    Active,
}

/// <summary>Network kind.</summary>
public enum NetworkKind
{
    /// <summary>MLP on (ε, φ): NN1/NN2 of §5.2; runs in the plug-in.</summary>
    Mlp,

    /// <summary>GRU sequence model of §3.2 (Table 1); trainer only.</summary>
    Gru,
}

/// <summary>Architecture of the network to train.</summary>
public sealed record NetworkConfig
{
    /// <summary>MLP or GRU.</summary>
    public NetworkKind Kind { get; init; } = NetworkKind.Mlp;

    /// <summary>MLP hidden widths; default [5, 5] for stress (NN1 [5-5-5-3]) and [8, 8] for tangent (NN2 [5-8-8-6]).</summary>
    public int[]? Hidden { get; init; }

    /// <summary>GRU units (Table 1: 40).</summary>
    public int GruUnits { get; init; } = 40;

    /// <summary>Dense units after the GRU (Table 1: 20).</summary>
    public int DenseUnits { get; init; } = 20;

    /// <summary>Moving window in steps (Table 1: 20).</summary>
    public int Window { get; init; } = 20;

    /// <summary>How a tangent network (NN2) gives D: its outputs directly (the paper), or through a Cholesky factor, positive definite by construction.</summary>
    public TangentForm TangentForm { get; init; } = TangentForm.Direct;
}

/// <summary>Output form of a tangent network.</summary>
public enum TangentForm
{
    /// <summary>The outputs are the tangent entries (paper eq. 9).</summary>
    Direct,

    /// <summary>The outputs are a lower-triangular factor L and D = c² L Lᵀ (<see cref="CholeskyTangent"/>).</summary>
    Cholesky,
}

/// <summary>Committee-based active learning settings.</summary>
public sealed record ActiveLearningConfig
{
    /// <summary>Committee size K.</summary>
    public int Committee { get; init; } = 5;

    /// <summary>Labelled paths to start from (picked at random, seeded).</summary>
    public int InitialPaths { get; init; } = 1;

    /// <summary>Whether each member trains on a bootstrap resample of the labelled paths and then of their samples (else on all, differing by seed only).</summary>
    public bool Bootstrap { get; init; } = true;
}

/// <summary>Path-wise split fractions (default 70/15/15) and their seed.</summary>
public sealed record SplitConfig
{
    /// <summary>Fraction of paths for training.</summary>
    public double Train { get; init; } = 0.70;

    /// <summary>Fraction of paths for validation (early stopping); the rest is the test set.</summary>
    public double Validation { get; init; } = 0.15;

    /// <summary>Shuffle seed.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// A training job of <c>femhost-train</c>, read from JSON (snake_case keys; see docs/neural-surrogate.md
/// and experiments/neural/*.json). Relative file names are resolved against the config file's folder.
/// </summary>
public sealed record TrainerConfig
{
    /// <summary>Stress network NN1 or tangent network NN2 (fixes the default outputs and hidden sizes).</summary>
    public NetworkRole Role { get; init; } = NetworkRole.Stress;

    /// <summary>Architecture.</summary>
    public NetworkConfig Network { get; init; } = new();

    /// <summary>Input columns; default ε11, ε22, γ12, φ11, φ22.</summary>
    public string[]? Inputs { get; init; }

    /// <summary>Output columns; default σ11, σ22, σ12 (stress) or the six in-plane tangent entries.</summary>
    public string[]? Outputs { get; init; }

    /// <summary>Target dataset (CSV of the shared format).</summary>
    public string Target { get; init; } = "";

    /// <summary>Source dataset for pre-training (required unless the scheme is scratch).</summary>
    public string? Source { get; init; }

    /// <summary>Transfer scheme.</summary>
    public TransferScheme Scheme { get; init; } = TransferScheme.Scratch;

    /// <summary>Layers frozen by the freeze scheme, from the input side (the GRU counts as one layer).</summary>
    public int FreezeLayers { get; init; } = 1;

    /// <summary>Budget: how many target training paths are used (all when null); random, or chosen by active learning.</summary>
    public int? TargetPaths { get; init; }

    /// <summary>Seed of the random choice of target paths (and of active learning's initial paths); default: <c>split.seed</c>.</summary>
    public int? SelectionSeed { get; init; }

    /// <summary>Target split.</summary>
    public SplitConfig Split { get; init; } = new();

    /// <summary>Fine-tuning (or scratch) hyper-parameters.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Pre-training hyper-parameters (default: those of <see cref="Training"/>).</summary>
    public TrainingOptions? Pretraining { get; init; }

    /// <summary>Active learning settings.</summary>
    public ActiveLearningConfig Active { get; init; } = new();

    /// <summary>How many independent trainings (committee members) run at once; default: the number of cores.</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;

    /// <summary>Model file to write (MLP only).</summary>
    public string? Output { get; init; }

    /// <summary>JSON report to write.</summary>
    public string? Report { get; init; }

    /// <summary>Effective input columns.</summary>
    public string[] EffectiveInputs => Inputs ?? [.. Feature.DefaultInputs];

    /// <summary>Effective output columns.</summary>
    public string[] EffectiveOutputs => Outputs ?? [.. (Role == NetworkRole.Stress ? Feature.DefaultStressOutputs : Feature.DefaultTangentOutputs)];

    /// <summary>Effective MLP hidden widths.</summary>
    public int[] EffectiveHidden => Network.Hidden ?? (Role == NetworkRole.Stress ? [5, 5] : [8, 8]);

    /// <summary>Serializer settings shared by config, report and tests.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Reads a config file; problems become <see cref="TrainerInputException"/> naming file and line.</summary>
    public static TrainerConfig Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new TrainerInputException($"{file}: trainer configuration not found");
        }

        TrainerConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TrainerConfig>(File.ReadAllText(file), JsonOptions)
                ?? throw new TrainerInputException($"{file}: the configuration is empty");
        }
        catch (JsonException e)
        {
            throw new TrainerInputException($"{file}:{e.LineNumber + 1}: {e.Message} (keys are snake_case, e.g. target, source, scheme, training.learning_rate; see docs/neural-surrogate.md)", e);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string? Resolve(string? p) => p is null ? null : Path.GetFullPath(p, dir);
        config = config with { Target = Resolve(config.Target)!, Source = Resolve(config.Source), Output = Resolve(config.Output), Report = Resolve(config.Report) };
        config.Check(file);
        return config;
    }

    /// <summary>Checks combinations a run depends on.</summary>
    public void Check(string where)
    {
        void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new TrainerInputException($"{where}: {what}");
            }
        }

        Require(!string.IsNullOrEmpty(Target), "'target' (the target dataset CSV) is required");
        Require(Scheme == TransferScheme.Scratch || Source is not null, $"scheme '{Scheme}' pre-trains on a source: set 'source' to a dataset CSV");
        Require(TargetPaths is null or >= 1, "'target_paths' must be at least 1");
        Require(Scheme != TransferScheme.Active || TargetPaths is not null, "the active scheme needs 'target_paths' (the labelling budget)");
        Require(Active.Committee >= 2, "'active.committee' needs at least 2 members to disagree");
        Require(Active.InitialPaths >= 1, "'active.initial_paths' must be at least 1");
        Require(Training.Epochs >= 1 && Training.BatchSize >= 1 && Training.LearningRate > 0 && Training.Patience >= 1,
            "training needs epochs, batch_size, patience ≥ 1 and learning_rate > 0");
        Require(Output is null || Network.Kind == NetworkKind.Mlp, "only MLP models can be written as plug-in model files; remove 'output' for a GRU run");
        Require(FreezeLayers >= 1, "'freeze_layers' must be at least 1");
        Require(Network.TangentForm == TangentForm.Direct || (Role == NetworkRole.Tangent && Network.Kind == NetworkKind.Mlp),
            "'network.tangent_form: cholesky' applies to an MLP tangent network (role tangent, network kind mlp)");
        Require(Training.JacobianWeight >= 0 && (Pretraining?.JacobianWeight ?? 0) >= 0 && double.IsFinite(Training.JacobianWeight),
            "'jacobian_weight' must be 0 (stress-only loss) or positive");
        Require(Training.JacobianWeight == 0 && (Pretraining?.JacobianWeight ?? 0) == 0 || (Role == NetworkRole.Stress && Network.Kind == NetworkKind.Mlp),
            "'jacobian_weight' matches the tangent of an MLP stress network (role stress, network kind mlp); it does not apply to this network");
    }
}
