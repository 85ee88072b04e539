using FemHost.Materials.NeuralSurrogate;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>A network architecture that can be instantiated repeatedly (committee members, schemes).</summary>
/// <param name="Kind">MLP or GRU.</param>
/// <param name="Inputs">Inputs per step.</param>
/// <param name="Outputs">Outputs.</param>
/// <param name="Hidden">MLP hidden widths.</param>
/// <param name="Network">GRU sizes.</param>
public sealed record Architecture(NetworkKind Kind, int Inputs, int Outputs, int[] Hidden, NetworkConfig Network)
{
    /// <summary>Steps per sample.</summary>
    public int Window => Kind == NetworkKind.Gru ? Network.Window : 1;

    /// <summary>Output column names; needed for a Cholesky tangent network, which must know which output is which entry.</summary>
    public string[]? OutputNames { get; init; }

    /// <summary>
    /// A new module with weights initialised from <paramref name="seed"/>. A Cholesky tangent network gives normalised
    /// tangent entries like a direct one, so it takes the <paramref name="outputScaling"/> it is trained with.
    /// </summary>
    public SurrogateModule Create(int seed, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(outputScaling);
        CholeskyOutput? cholesky = null;
        if (Network.TangentForm == TangentForm.Cholesky)
        {
            var outputs = Feature.ParseAll(OutputNames ?? throw new InvalidOperationException("a Cholesky tangent architecture needs its output names"));
            cholesky = new CholeskyOutput(new CholeskyTangent(outputs, CholeskyTangent.ScaleFor(outputs, outputScaling)), outputScaling);
        }

        SurrogateModule m = Kind == NetworkKind.Mlp
            ? new MlpModule([Inputs, .. Hidden, Outputs], cholesky)
            : new GruModule(Inputs, Outputs, Network.GruUnits, Network.DenseUnits, Network.Window);
        m.InitializeParameters(new Random(seed));
        return m;
    }

    /// <summary>
    /// The input and output scalings fitted to a training table: column-wise mean and spread, except that the
    /// outputs of a Cholesky tangent network share one spread (the root mean of the column variances). Its entries
    /// are coupled through L, so a column that barely varies (the shear coupling of an isotropic response) must not
    /// get a tiny scale that would make its error dominate the loss.
    /// </summary>
    public (AffineScaling Input, AffineScaling Output) FitScalings(SampleTable train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (input, output) = train.FitScalings();
        if (Network.TangentForm != TangentForm.Cholesky)
        {
            return (input, output);
        }

        var y = train.Y;
        int width = output.Width, count = train.Count;
        double variance = 0;
        for (int s = 0; s < count; s++)
        {
            for (int c = 0; c < width; c++)
            {
                double d = y[s * width + c] - output.Mean[c];
                variance += d * d / ((double)count * width);
            }
        }

        double scale = variance > 0 ? Math.Sqrt(variance) : 1;
        return (input, new AffineScaling(output.Mean, [.. Enumerable.Repeat(scale, width)]));
    }

    /// <summary>The samples of a dataset for this architecture.</summary>
    public SampleTable Samples(FemHost.MaterialData.PathDataset data, string[] inputs, string[] outputs) =>
        Kind == NetworkKind.Mlp ? SampleTable.FromDataset(data, inputs, outputs) : SampleTable.Windows(data, inputs, outputs, Network.Window);
}

/// <summary>A trained network with the normalisation it was trained with.</summary>
/// <param name="Module">The network.</param>
/// <param name="InputScaling">Input normalisation.</param>
/// <param name="OutputScaling">Output normalisation.</param>
public sealed record TrainedModel(SurrogateModule Module, AffineScaling InputScaling, AffineScaling OutputScaling)
{
    /// <summary>
    /// The managed network for the plug-in: an MLP's weights with the scalings it was trained with; a Cholesky tangent
    /// network's MLP gives L, so it keeps the input scaling and maps its raw output with identity scaling and the map.
    /// </summary>
    public SurrogateNetwork ToNetwork(string[] inputs, string[] outputs)
    {
        var mlp = Module as MlpModule ?? throw new InvalidOperationException("only MLP models run in the plug-in");
        return mlp.Cholesky is { } c
            ? new SurrogateNetwork(mlp.ToManaged(), Feature.ParseAll(inputs), Feature.ParseAll(outputs), InputScaling, AffineScaling.Identity(outputs.Length), c.Map)
            : new SurrogateNetwork(mlp.ToManaged(), Feature.ParseAll(inputs), Feature.ParseAll(outputs), InputScaling, OutputScaling);
    }

    /// <summary>Physical-unit MSE per output on a table, and the mean.</summary>
    public (double[] PerOutput, double Mean) Mse(SampleTable table) => Trainer.PhysicalMse(Module, table, InputScaling, OutputScaling);

    /// <summary>MSE (kPa²) of the consistent tangent against the logged one (NaN where the table has no tangent).</summary>
    public double TangentMse(SampleTable table) => Trainer.TangentMse(Module, table, InputScaling, OutputScaling);
}

/// <summary>One pick of the active-learning loop.</summary>
/// <param name="Path">Selected path id.</param>
/// <param name="Disagreement">Committee variance on that path (normalised units).</param>
public sealed record ActivePick(int Path, double Disagreement);

/// <summary>
/// The transfer-learning schemes of the paper (§2, §3.2, §4.2): scratch, pre-train + full fine-tuning,
/// pre-train + freeze + fine-tune, and pre-train + committee-based active learning; building blocks used by
/// the CLI, the experiments and the tests.
/// </summary>
public static class TransferLearning
{
    /// <summary>
    /// Trains a new model from scratch (or continues from <paramref name="baseModel"/>'s weights and
    /// scalings), freezing the first <paramref name="freezeLayers"/> layers. With
    /// <paramref name="keepStartIfBest"/> early stopping may return the starting weights (see <see cref="Trainer.Fit"/>).
    /// </summary>
    public static (TrainedModel Model, TrainingResult Result) Train(Architecture arch, SampleTable train, SampleTable? validation,
        TrainingOptions options, TrainedModel? baseModel = null, int freezeLayers = 0, IProgress<EpochRecord>? progress = null,
        bool keepStartIfBest = false)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var (inScale, outScale) = baseModel is null ? arch.FitScalings(train) : (baseModel.InputScaling, baseModel.OutputScaling);
        var module = arch.Create(options.Seed, outScale);
        if (baseModel is not null)
        {
            module.Restore(baseModel.Module.Snapshot());
        }

        module.FreezeLeadingLayers(freezeLayers);
        using var t = new NormalizedSamples(train, inScale, outScale);
        using var v = validation is { Count: > 0 } ? new NormalizedSamples(validation, inScale, outScale) : null;
        using var matching = options.JacobianWeight > 0 ? Matching(arch, train, validation, inScale, outScale, options.JacobianWeight) : null;
        var result = Trainer.Fit(module, t, v, options, progress, keepStartIfBest, matching);
        return (new TrainedModel(module, inScale, outScale), result);
    }

    /// <summary>The Jacobian-matching loss of a training set, its entries scaled by their spread on that set; a clear error where it cannot apply.</summary>
    private static JacobianMatching Matching(Architecture arch, SampleTable train, SampleTable? validation, AffineScaling inScale, AffineScaling outScale, double weight)
    {
        if (arch.Kind != NetworkKind.Mlp || train.Tangent is null || validation is { Count: > 0, Tangent: null })
        {
            throw new TrainerInputException($"jacobian_weight {weight} matches the stress network's tangent to the logged one, which needs an MLP stress network "
                + "(outputs sig_ij, at least one eps_ij input) and datasets that log the tangent (has_tangent, D_ij_kl columns); set jacobian_weight to 0 otherwise");
        }

        return new JacobianMatching(train.Tangent, inScale, outScale, train.Tangent.EntryScale(), weight);
    }

    /// <summary>
    /// Committee-based active learning (Qu et al. 2023; paper §3.2): starting from
    /// <paramref name="initial"/> labelled paths, trains a committee of <paramref name="committee"/> models
    /// (each from the base weights, on a bootstrap resample of the labelled paths and then of their samples,
    /// with its own seed), then
    /// labels the pool path on which the committee disagrees most — the mean over the path's samples and
    /// outputs of the members' variance — and repeats until <paramref name="budget"/> paths are labelled.
    /// Members train in parallel on .NET threads with one libtorch thread each.
    /// </summary>
    public static List<ActivePick> SelectPaths(Architecture arch, SampleTable pool, IReadOnlyList<int> initial, int budget,
        SampleTable? validation, TrainingOptions options, TrainedModel? baseModel, int committee, bool bootstrap, int parallel,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(initial);
        var picks = initial.Select(p => new ActivePick(p, double.NaN)).ToList();
        var candidates = pool.PathIds.Except(initial).ToList();
        var (inScale, outScale) = baseModel is null ? arch.FitScalings(pool.Subset(initial)) : (baseModel.InputScaling, baseModel.OutputScaling);
        int round = 0;
        while (picks.Count < budget && candidates.Count > 0)
        {
            var labelled = picks.Select(p => p.Path).ToArray();
            var predictions = new double[committee][];
            var candidateTable = pool.Subset(candidates);
            Parallel.For(0, committee, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, k =>
            {
                int seed = options.Seed + 1000 * (round + 1) + k;
                var rng = new Random(seed);
                var paths = bootstrap ? Enumerable.Range(0, labelled.Length).Select(_ => labelled[rng.Next(labelled.Length)]).ToArray() : labelled;
                // Resampling the samples too keeps the members apart when the path resample cannot: with one
                // labelled path every member would get that path, and with full-batch training (a path has
                // fewer samples than a mini-batch) identical members disagree only by round-off, which would
                // then pick the next path.
                var train = bootstrap ? ResampleSamples(BootstrapTable(pool, paths), rng) : BootstrapTable(pool, paths);
                // From scratch the members still share one scaling, so their predictions are comparable.
                var memberBase = baseModel ?? new TrainedModel(arch.Create(seed, outScale), inScale, outScale);
                var (member, _) = Train(arch, train, validation, options with { Seed = seed }, memberBase);
                using var scope = NewDisposeScope();
                using var data = new NormalizedSamples(candidateTable, inScale, outScale);
                using var _ = no_grad();
                predictions[k] = member.Module.forward(data.X).contiguous().data<double>().ToArray();
                member.Module.Dispose();
            });

            var score = Disagreement(predictions, candidateTable);
            var best = score.MaxBy(kv => kv.Value);
            picks.Add(new ActivePick(best.Key, best.Value));
            candidates.Remove(best.Key);
            log?.Invoke($"active learning: round {++round}, picked path {best.Key} (committee variance {best.Value:G4})");
        }

        return picks;
    }

    /// <summary>Mean committee variance per path (normalised outputs, averaged over samples and outputs).</summary>
    public static Dictionary<int, double> Disagreement(double[][] predictions, SampleTable table)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(table);
        int nout = table.Outputs.Length, k = predictions.Length;
        var sum = new Dictionary<int, double>();
        var count = new Dictionary<int, int>();
        for (int s = 0; s < table.Count; s++)
        {
            double v = 0;
            for (int o = 0; o < nout; o++)
            {
                double mean = 0;
                for (int m = 0; m < k; m++)
                {
                    mean += predictions[m][s * nout + o] / k;
                }

                for (int m = 0; m < k; m++)
                {
                    double d = predictions[m][s * nout + o] - mean;
                    v += d * d / (k - 1);
                }
            }

            int path = table.PathOfSample[s];
            sum[path] = sum.GetValueOrDefault(path) + v / nout;
            count[path] = count.GetValueOrDefault(path) + 1;
        }

        return sum.ToDictionary(kv => kv.Key, kv => kv.Value / count[kv.Key]);
    }

    /// <summary>A bootstrap resample of a table's samples: as many as it holds, drawn with replacement.</summary>
    private static SampleTable ResampleSamples(SampleTable table, Random rng) =>
        table.Rows([.. Enumerable.Range(0, table.Count).Select(_ => rng.Next(table.Count))]);

    /// <summary>A table holding the samples of <paramref name="paths"/>, repeated as often as a path is listed.</summary>
    private static SampleTable BootstrapTable(SampleTable pool, int[] paths)
    {
        var rowsOf = Enumerable.Range(0, pool.Count).ToLookup(i => pool.PathOfSample[i]);
        return pool.Rows([.. paths.GroupBy(p => p).SelectMany(g => Enumerable.Repeat(rowsOf[g.Key], g.Count()).SelectMany(r => r))]);
    }
}
