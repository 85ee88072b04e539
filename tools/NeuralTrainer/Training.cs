using System.Diagnostics;
using FemHost.Materials.NeuralSurrogate;
using TorchSharp;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>Hyper-parameters of one training run (defaults: the paper's MLP settings, §5.3.1).</summary>
public sealed record TrainingOptions
{
    /// <summary>Maximum number of epochs.</summary>
    public int Epochs { get; init; } = 5000;

    /// <summary>Mini-batch size (samples); a batch larger than the data means full-batch Adam.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate (paper: 1e-3 for the MLPs, 1e-2 for the GRU).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Early stopping: epochs without a better validation loss before stopping.</summary>
    public int Patience { get; init; } = 200;

    /// <summary>Optional schedule: multiply the rate by this factor on a plateau (1 = constant rate).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>Epochs without improvement before the rate is decayed.</summary>
    public int DecayPatience { get; init; } = 50;

    /// <summary>Lower bound of the decayed rate.</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Seed of initialisation and mini-batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Weight w of the tangent term of Jacobian-matched training (<see cref="JacobianMatching"/>): 0, the paper's
    /// stress-only loss, by default; w &gt; 0 needs an MLP stress network and a dataset that logs the tangent.
    /// </summary>
    public double JacobianWeight { get; init; }
}

/// <summary>Losses of one epoch (mean squared error in normalised units).</summary>
/// <param name="Epoch">Epoch number from 1.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's mini-batches.</param>
/// <param name="ValidationLoss">Validation loss after the epoch (training loss when there is no validation set).</param>
/// <param name="LearningRate">Rate used in the epoch.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationLoss, double LearningRate);

/// <summary>Outcome of a training run; the module holds the weights of <see cref="BestEpoch"/>.</summary>
/// <param name="Epochs">Loss history.</param>
/// <param name="BestEpoch">Epoch with the lowest validation loss; 0 when no epoch improved on the starting weights (fine-tuning that only hurt).</param>
/// <param name="BestValidationLoss">That loss.</param>
/// <param name="StoppedEarly">Whether patience ran out before the epoch limit.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, double BestValidationLoss, bool StoppedEarly, double Seconds);

/// <summary>
/// Samples normalised for a network: X (count × window·inputs) and Y (count × outputs) as float64
/// tensors. Scalings are fitted once (on the training split of the data a model first sees) and then
/// travel with the model: fine-tuning on a target keeps the source's scaling, since the weights are
/// tied to it.
/// </summary>
public sealed class NormalizedSamples : IDisposable
{
    /// <summary>Normalises a table with given scalings.</summary>
    public NormalizedSamples(SampleTable table, AffineScaling inputScaling, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(table);
        var x = (double[])table.X.Clone();
        var y = (double[])table.Y.Clone();
        inputScaling.Normalize(x);
        outputScaling.Normalize(y);
        Count = table.Count;
        using var scope = NewDisposeScope();
        X = tensor(x, dtype: float64).reshape(Count, x.Length / Math.Max(1, Count)).DetachFromDisposeScope();
        Y = tensor(y, dtype: float64).reshape(Count, table.Outputs.Length).DetachFromDisposeScope();
        if (table.Tangent is { } t)
        {
            Direction = tensor(t.Direction, dtype: float64).reshape(Count, t.InputColumn.Length).DetachFromDisposeScope();
            Tangent = tensor(t.Target, dtype: float64).reshape(Count, t.Outputs, t.Columns).DetachFromDisposeScope();
        }
    }

    /// <summary>Loading direction m of every input (samples × inputs), when the table carries tangent targets.</summary>
    public Tensor? Direction { get; }

    /// <summary>Logged tangent in kPa (samples × outputs × columns), when the table carries tangent targets.</summary>
    public Tensor? Tangent { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Normalised inputs.</summary>
    public Tensor X { get; }

    /// <summary>Normalised outputs.</summary>
    public Tensor Y { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
        Direction?.Dispose();
        Tangent?.Dispose();
    }
}

/// <summary>Adam with mini-batches and early stopping on the validation loss (paper §3.2, §5.3.1).</summary>
public static class Trainer
{
    [ThreadStatic]
    private static bool _configured;

    /// <summary>
    /// One libtorch intra-op thread: for networks this small threading only adds overhead (shared
    /// PLATFORM.md); independent trainings run in parallel on .NET threads instead. The OpenMP thread count
    /// is a per-thread setting, so this runs once on every thread that trains; otherwise a worker thread
    /// would use all cores and a different reduction order, and results would not be reproducible.
    /// </summary>
    public static void ConfigureTorch()
    {
        if (!_configured)
        {
            torch.set_num_threads(1);
            _configured = true;
        }
    }

    /// <summary>
    /// Trains <paramref name="module"/>'s trainable parameters and leaves it holding the weights of the
    /// best validation epoch. With <paramref name="keepStartIfBest"/> the starting weights compete too
    /// ("epoch 0"): a model fine-tuned from pre-trained weights comes back unchanged when every epoch made the
    /// validation loss worse. <paramref name="progress"/> receives every epoch.
    /// </summary>
    public static TrainingResult Fit(SurrogateModule module, NormalizedSamples train, NormalizedSamples? validation,
        TrainingOptions options, IProgress<EpochRecord>? progress = null, bool keepStartIfBest = false, JacobianMatching? matching = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ConfigureTorch();
        if (train.Count == 0)
        {
            throw new TrainerInputException("there are no training samples");
        }

        if (matching is not null && (module is not MlpModule || train.Tangent is null || validation is { Count: > 0, Tangent: null }))
        {
            throw new ArgumentException("Jacobian matching needs an MLP and samples that carry tangent targets", nameof(matching));
        }

        var clock = Stopwatch.StartNew();
        var rng = new Random(options.Seed);
        var trainable = module.TrainableParameters.ToList();
        if (trainable.Count == 0)
        {
            throw new TrainerInputException("every layer is frozen: nothing to train");
        }

        using var optimizer = new AdamOptimizer(trainable, options.LearningRate);
        var history = new List<EpochRecord>();
        // Epoch 0: when fine-tuning a pre-trained model makes the validation loss only worse (a tiny or
        // unrepresentative target set), early stopping must return the pre-trained weights, not those after one
        // epoch of fine-tuning. Not for committee members of active learning: a member that kept the shared
        // starting weights would carry no disagreement.
        bool validated = validation is { Count: > 0 };
        double best = validated && keepStartIfBest ? Loss(module, validation!, matching) : double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, sinceDecay = 0;
        double[][] bestWeights = module.Snapshot();
        var order = Enumerable.Range(0, train.Count).ToArray();
        int batch = Math.Max(1, Math.Min(options.BatchSize, train.Count));
        bool stoppedEarly = false;
        module.train();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += batch)
            {
                using var scope = NewDisposeScope();
                int len = Math.Min(batch, order.Length - start);
                var idx = tensor(order.AsSpan(start, len).ToArray().Select(i => (long)i).ToArray(), dtype: int64);
                Tensor Batch(Tensor all) => len == train.Count ? all : all.index_select(0, idx);
                var xb = Batch(train.X);
                var yb = Batch(train.Y);
                optimizer.ZeroGrad();
                var loss = matching is null ? nn.functional.mse_loss(module.forward(xb), yb)
                    : matching.Loss((MlpModule)module, xb, yb, Batch(train.Direction!), Batch(train.Tangent!));
                loss.backward();
                optimizer.Step();
                sum += loss.item<double>();
                batches++;
            }

            double trainLoss = sum / batches;
            double valLoss = validated ? Loss(module, validation!, matching) : trainLoss;
            var record = new EpochRecord(epoch, trainLoss, valLoss, optimizer.LearningRate);
            history.Add(record);
            progress?.Report(record);
            if (valLoss < best)
            {
                (best, bestEpoch, sinceBest, sinceDecay) = (valLoss, epoch, 0, 0);
                bestWeights = module.Snapshot();
            }
            else
            {
                sinceBest++;
                sinceDecay++;
            }

            if (sinceBest >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }

            if (options.LearningRateDecay < 1 && sinceDecay >= options.DecayPatience && optimizer.LearningRate > options.MinLearningRate)
            {
                optimizer.LearningRate = Math.Max(options.MinLearningRate, optimizer.LearningRate * options.LearningRateDecay);
                sinceDecay = 0;
            }
        }

        module.Restore(bestWeights);
        module.eval();
        return new TrainingResult(history, bestEpoch, best, stoppedEarly, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loss of the module on normalised samples: the MSE, plus the tangent term under <paramref name="matching"/>.</summary>
    public static double Loss(SurrogateModule module, NormalizedSamples data, JacobianMatching? matching = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return matching is null ? nn.functional.mse_loss(module.forward(data.X), data.Y).item<double>()
            : matching.Loss((MlpModule)module, data.X, data.Y, data.Direction!, data.Tangent!).item<double>();
    }

    /// <summary>
    /// Mean squared error (kPa²) of the module's consistent tangent against the logged tangent of a table that
    /// carries tangent targets, over every entry; NaN for a table without them or a network that is not an MLP.
    /// </summary>
    public static double TangentMse(SurrogateModule module, SampleTable table, AffineScaling inputScaling, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (module is not MlpModule mlp || table.Tangent is null || table.Count == 0)
        {
            return double.NaN;
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var data = new NormalizedSamples(table, inputScaling, outputScaling);
        using var metric = new JacobianMatching(table.Tangent, inputScaling, outputScaling, [.. Enumerable.Repeat(1.0, table.Tangent.Outputs * table.Tangent.Columns)], 1);
        return HeldScalars.Squared(metric.Tangent(mlp, data.X, data.Direction!) - data.Tangent!).mean().item<double>();
    }

    /// <summary>Predictions in physical units for a table's inputs.</summary>
    public static double[] Predict(SurrogateModule module, SampleTable table, AffineScaling inputScaling, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var data = new NormalizedSamples(table, inputScaling, outputScaling);
        var y = module.forward(data.X).contiguous().data<double>().ToArray();
        outputScaling.Denormalize(y);
        return y;
    }

    /// <summary>Mean squared error per output column, in physical units (kPa² for stress), and their mean.</summary>
    public static (double[] PerOutput, double Mean) PhysicalMse(SurrogateModule module, SampleTable table, AffineScaling inputScaling, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(table);
        int nout = table.Outputs.Length;
        var per = new double[nout];
        if (table.Count == 0)
        {
            return (per, double.NaN);
        }

        var y = Predict(module, table, inputScaling, outputScaling);
        for (int i = 0; i < y.Length; i++)
        {
            double d = y[i] - table.Y[i];
            per[i % nout] += d * d / table.Count;
        }

        return (per, per.Average());
    }
}
