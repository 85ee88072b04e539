using FemHost.NeuralTrainer;

namespace FemHost.Experiments.Transfer;

/// <summary>The predictions of one scheme's model on the unseen test paths.</summary>
/// <param name="Scheme">Scheme name (scratch, freeze, fine-tune, active).</param>
/// <param name="TestMse">Its test MSE (physical units, mean over outputs), as the sweep computes it.</param>
/// <param name="Chosen">The target paths it trained on.</param>
/// <param name="Predicted">Per test path id: the predicted outputs per row (row-major, <see cref="TransferExperiment.Outputs"/>).</param>
public sealed record SchemePrediction(string Scheme, double TestMse, int[] Chosen, IReadOnlyDictionary<int, double[]> Predicted);

/// <summary>
/// Retrains the four schemes of one sweep cell (budget N, one seed) in process with the trainer's own building
/// blocks (<see cref="TrainingJob.Pretrain"/>, <see cref="TrainingJob.FitTarget"/>) and keeps the models'
/// predictions on the test paths, which the sweep does not write (paper Fig. 8–9 plot them for N = 6).
/// Every random choice of the trainer is seeded, so these are the sweep's own runs of that cell: the test MSE
/// equals the sweep's, which the transfer summary checks.
/// </summary>
public static class TransferPredictions
{
    /// <summary>Runs the cell (budget, seed) of the sweep file for every scheme of the sweep.</summary>
    public static IReadOnlyList<SchemePrediction> Run(string sweepFile, int budget, int seed, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        SweepConfig sweep;
        try
        {
            sweep = SweepConfig.Load(sweepFile);
        }
        catch (TrainerInputException e)
        {
            throw new ExperimentException($"the sweep file could not be read for the prediction runs: {e.Message}", e);
        }

        var target = TargetData.Load(sweep.Job);
        var pretrained = TrainingJob.Pretrain(sweep.Job.With(TransferScheme.FineTune, budget, seed), target.Architecture, log);
        var results = new SchemePrediction[sweep.Schemes.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = sweep.Parallel };
        Parallel.For(0, sweep.Schemes.Length, options, i =>
        {
            var scheme = sweep.Schemes[i];
            var fit = TrainingJob.FitTarget(sweep.Job.With(scheme, budget, seed), target,
                scheme == TransferScheme.Scratch ? null : pretrained.Model, _ => { });
            var y = Trainer.Predict(fit.Model.Module, target.Test, fit.Model.InputScaling, fit.Model.OutputScaling);
            int nout = target.Test.Outputs.Length;
            var byPath = target.Test.PathOfSample
                .Select((path, k) => (path, k))
                .GroupBy(x => x.path)
                .ToDictionary(g => g.Key, g => g.SelectMany(x => y.Skip(x.k * nout).Take(nout)).ToArray());
            string name = SweepTable.Schemes[SchemeIndex(scheme)];
            results[i] = new SchemePrediction(name, fit.Model.Mse(target.Test).Mean, fit.Chosen, byPath);
            fit.Model.Module.Dispose();
            log($"{name} N={budget} seed {seed}: test MSE {results[i].TestMse:G4}");
        });
        pretrained.Model.Module.Dispose();
        return results;
    }

    private static int SchemeIndex(TransferScheme scheme) => scheme switch
    {
        TransferScheme.Scratch => 0,
        TransferScheme.Freeze => 1,
        TransferScheme.FineTune => 2,
        TransferScheme.Active => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown transfer scheme"),
    };
}
