using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FemHost.NeuralTrainer;

/// <summary>
/// A sweep of <c>femhost-train sweep SWEEP.json</c>: one trainer job (<see cref="Job"/>) repeated for every
/// scheme × target-path budget N × seed, the experiment of paper Fig. 7 / Fig. 13 (test error against the
/// number of target paths for scratch, freeze, fine-tune and active learning).
/// </summary>
public sealed record SweepConfig
{
    /// <summary>The trainer job every run starts from (all keys of a trainer config; its scheme, target_paths and output are overridden).</summary>
    public TrainerConfig Job { get; init; } = new();

    /// <summary>Schemes to compare (default: all four).</summary>
    public TransferScheme[] Schemes { get; init; } = [TransferScheme.Scratch, TransferScheme.Freeze, TransferScheme.FineTune, TransferScheme.Active];

    /// <summary>Budgets N of target training paths.</summary>
    public int[] Budgets { get; init; } = [];

    /// <summary>Seeds: each sets the pre-training seed, the training seed and the random choice of paths.</summary>
    public int[] Seeds { get; init; } = [1, 2, 3];

    /// <summary>Folder for sweep.csv, summary.csv, sweep.png and sweep.json (relative to the sweep file).</summary>
    public string Output { get; init; } = "sweep";

    /// <summary>Runs trained at once (one libtorch thread each); default: the number of cores.</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;

    /// <summary>Reads a sweep file; relative paths of the job and the output folder resolve against its folder.</summary>
    public static SweepConfig Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new TrainerInputException($"{file}: sweep configuration not found");
        }

        SweepConfig config;
        try
        {
            config = JsonSerializer.Deserialize<SweepConfig>(File.ReadAllText(file), TrainerConfig.JsonOptions)
                ?? throw new TrainerInputException($"{file}: the sweep configuration is empty");
        }
        catch (JsonException e)
        {
            throw new TrainerInputException($"{file}:{e.LineNumber + 1}: {e.Message} (a sweep has the keys job, schemes, budgets, seeds, output, parallel; see docs/neural-surrogate.md)", e);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string? Resolve(string? p) => p is null ? null : Path.GetFullPath(p, dir);
        var job = config.Job with { Target = Resolve(config.Job.Target)!, Source = Resolve(config.Job.Source), Output = null, Report = null };
        config = config with { Job = job, Output = Resolve(config.Output)! };
        config.Check(file);
        return config;
    }

    /// <summary>Checks the lists and the job (each scheme against the job's settings).</summary>
    public void Check(string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        if (Schemes.Length == 0 || Budgets.Length == 0 || Seeds.Length == 0)
        {
            throw new TrainerInputException($"{where}: 'schemes', 'budgets' and 'seeds' must each list at least one value");
        }

        if (Budgets.Any(n => n < 1) || Parallel < 1)
        {
            throw new TrainerInputException($"{where}: every budget and 'parallel' must be at least 1");
        }

        foreach (var scheme in Schemes.Distinct())
        {
            Job.With(scheme, Budgets[0], Seeds[0]).Check($"{where}: job with scheme '{scheme}'");
        }
    }
}

/// <summary>Extensions that turn the sweep's base job into one run.</summary>
public static class SweepJob
{
    /// <summary>The job for one run: the scheme, the budget N, and the seed for pre-training, training and path choice.</summary>
    public static TrainerConfig With(this TrainerConfig job, TransferScheme scheme, int budget, int seed)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job with
        {
            Scheme = scheme,
            TargetPaths = budget,
            SelectionSeed = seed,
            Training = job.Training with { Seed = seed },
            Pretraining = (job.Pretraining ?? job.Training) with { Seed = seed },
            Parallel = 1,
        };
    }
}

/// <summary>One row of the sweep table.</summary>
/// <param name="Scheme">Transfer scheme.</param>
/// <param name="Budget">Target training paths N.</param>
/// <param name="Seed">Seed.</param>
/// <param name="TestMse">Mean test MSE over the outputs, physical units (kPa² for stress), on the unseen target paths.</param>
/// <param name="ValidationMse">Same on the validation paths.</param>
/// <param name="TrainMse">Same on the chosen training paths.</param>
/// <param name="Epochs">Epochs run in the final training.</param>
/// <param name="Seconds">Wall time of the final training; for the active run that ran its seed's committee rounds (for the largest budget), those too.</param>
/// <param name="Selected">Chosen target paths, in order.</param>
/// <param name="TestPredicted">The model's predictions on the unseen test samples (physical units, sample-major, outputs in the job's order).</param>
public sealed record SweepRow(TransferScheme Scheme, int Budget, int Seed, double TestMse, double ValidationMse, double TrainMse, int Epochs, double Seconds, int[] Selected, double[] TestPredicted);

/// <summary>Mean and spread of the test MSE of one scheme at one budget over the seeds.</summary>
/// <param name="Scheme">Transfer scheme.</param>
/// <param name="Budget">Target training paths N.</param>
/// <param name="Runs">Seeds run.</param>
/// <param name="Mean">Mean test MSE.</param>
/// <param name="Std">Sample standard deviation (0 for one run).</param>
/// <param name="Min">Smallest.</param>
/// <param name="Max">Largest.</param>
public sealed record SweepSummary(TransferScheme Scheme, int Budget, int Runs, double Mean, double Std, double Min, double Max);

/// <summary>Result of a sweep: the table, its summary and the fixed by-path split every run shares.</summary>
/// <param name="Rows">One row per scheme × budget × seed, in that order.</param>
/// <param name="Summary">Mean ± std per scheme and budget.</param>
/// <param name="Split">The target split: no run's training paths are test paths.</param>
public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, IReadOnlyList<SweepSummary> Summary, PathSplit Split);

/// <summary>
/// Runs a <see cref="SweepConfig"/> with the single-run building blocks of <see cref="TrainingJob"/>: the
/// target is read and split once (split.seed), so every run is scored on the same unseen test paths; the
/// source is pre-trained once per seed and shared by the freeze, fine-tune and active runs of that seed; active
/// learning runs its committee rounds once per seed, to the largest budget, and each active run trains on the
/// first N picks; the runs then train in parallel, one libtorch thread each. Reproducible: every random choice
/// is seeded, and every row equals the single <c>femhost-train</c> job of the same scheme, budget and seed.
/// Besides the tables it writes every run's predictions on the test paths (<c>test-predictions.csv</c>).
/// </summary>
public static class SchemeSweep
{
    /// <summary>Runs the sweep and, when <paramref name="write"/>, writes its files to <see cref="SweepConfig.Output"/>.</summary>
    public static SweepResult Run(SweepConfig sweep, Action<string> log, bool write = true)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var target = TargetData.Load(sweep.Job);
        int available = target.Split.Train.Length;
        if (sweep.Budgets.Max() > available)
        {
            throw new TrainerInputException($"sweep budget {sweep.Budgets.Max()} exceeds the {available} training paths of the target's split " +
                $"({target.Table.PathIds.Length} paths, split {sweep.Job.Split.Train:0.##}/{sweep.Job.Split.Validation:0.##}/rest): use budgets up to {available}");
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = sweep.Parallel };
        var pretrained = new Dictionary<int, Pretrained>();
        if (sweep.Schemes.Any(s => s != TransferScheme.Scratch))
        {
            var models = new Pretrained[sweep.Seeds.Length];
            Parallel.For(0, sweep.Seeds.Length, options, i =>
            {
                var job = sweep.Job.With(TransferScheme.FineTune, sweep.Budgets[0], sweep.Seeds[i]);
                models[i] = TrainingJob.Pretrain(job, target.Architecture, log);
            });
            for (int i = 0; i < models.Length; i++)
            {
                pretrained[sweep.Seeds[i]] = models[i];
                log($"seed {sweep.Seeds[i]}: pre-trained, source test MSE {models[i].Model.Mse(models[i].Test).Mean:G4}");
            }
        }

        var runs = (from scheme in sweep.Schemes from n in sweep.Budgets from seed in sweep.Seeds select (scheme, n, seed)).ToArray();
        var rows = new SweepRow[runs.Length];
        int done = 0;
        // Active learning picks one path per round, and the rounds do not depend on the budget, so the picks for
        // budget N are the first N picks for the largest budget: run the committee rounds once per seed (the
        // sweep's main cost) and give every active run its prefix. Lazy: the first active run of a seed selects.
        int largest = sweep.Budgets.Max();
        var activeChoice = sweep.Seeds.Distinct().ToDictionary(seed => seed, seed => new Lazy<(TargetChoice Choice, double Seconds)>(() =>
        {
            var started = Stopwatch.StartNew();
            // Each round trains a whole committee: at full size the rounds are hours, so every one is reported.
            var choice = TrainingJob.ChooseTargetPaths(sweep.Job.With(TransferScheme.Active, largest, seed), target, pretrained[seed].Model,
                message => log($"seed {seed}: {message}; {largest - Math.Min(sweep.Job.Active.InitialPaths, largest)} rounds in all, {started.Elapsed.TotalSeconds:F0} s so far"));
            log($"seed {seed}: active learning picked {largest} paths in {started.Elapsed.TotalSeconds:F1} s: {string.Join(", ", choice.Chosen)}");
            return (choice, started.Elapsed.TotalSeconds);
        }));
        // Longest runs first (active learning, large budgets), one at a time per worker, so the cores stay busy
        // to the end; the table keeps the scheme × budget × seed order.
        var longestFirst = Enumerable.Range(0, runs.Length)
            .OrderBy(i => runs[i].scheme == TransferScheme.Active ? 0 : 1).ThenByDescending(i => runs[i].n).ToArray();
        Parallel.ForEach(Partitioner.Create(longestFirst, EnumerablePartitionerOptions.NoBuffering), options, i =>
        {
            var (scheme, n, seed) = runs[i];
            var job = sweep.Job.With(scheme, n, seed);
            var started = Stopwatch.StartNew();
            var baseModel = scheme == TransferScheme.Scratch ? null : pretrained[seed].Model;
            var choice = scheme == TransferScheme.Active ? activeChoice[seed].Value.Choice.First(n) : TrainingJob.ChooseTargetPaths(job, target, baseModel, _ => { });
            var fit = TrainingJob.FitChosen(job, target, baseModel, choice, _ => { });
            var predicted = Trainer.Predict(fit.Model.Module, target.Test, fit.Model.InputScaling, fit.Model.OutputScaling);
            rows[i] = new SweepRow(scheme, n, seed, fit.Model.Mse(target.Test).Mean, fit.Model.Mse(target.Validation).Mean, fit.Model.Mse(fit.Train).Mean,
                fit.Result.Epochs.Count, started.Elapsed.TotalSeconds, fit.Chosen, predicted);
            fit.Model.Module.Dispose();
            log($"[{Interlocked.Increment(ref done)}/{runs.Length}] {scheme} N={n} seed {seed}: test MSE {rows[i].TestMse:G4} ({rows[i].Seconds:F1} s)");
        });

        foreach (var p in pretrained.Values)
        {
            p.Model.Module.Dispose();
        }

        var result = new SweepResult(rows, Summarize(rows), target.Split);
        if (write)
        {
            Write(sweep, result, target, clock.Elapsed.TotalSeconds);
            log($"sweep written to {sweep.Output} ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        return result;
    }

    /// <summary>Mean, sample standard deviation, min and max of the test MSE per scheme and budget.</summary>
    public static IReadOnlyList<SweepSummary> Summarize(IEnumerable<SweepRow> rows) =>
        [.. rows.GroupBy(r => (r.Scheme, r.Budget)).Select(g =>
        {
            var v = g.Select(r => r.TestMse).ToArray();
            double mean = v.Average();
            double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
            return new SweepSummary(g.Key.Scheme, g.Key.Budget, v.Length, mean, std, v.Min(), v.Max());
        })];

    private static string Name(TransferScheme s) => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString());

    private static void Write(SweepConfig sweep, SweepResult result, TargetData target, double seconds)
    {
        Directory.CreateDirectory(sweep.Output);
        var inv = CultureInfo.InvariantCulture;
        var table = new StringBuilder("scheme,n,seed,test_mse,validation_mse,train_mse,epochs,seconds,selected_paths\n");
        foreach (var r in result.Rows)
        {
            table.Append(inv, $"{Name(r.Scheme)},{r.Budget},{r.Seed},{r.TestMse:R},{r.ValidationMse:R},{r.TrainMse:R},{r.Epochs},{r.Seconds:F2},{string.Join(';', r.Selected)}\n");
        }

        WriteText(Path.Combine(sweep.Output, "sweep.csv"), table.ToString());
        var summary = new StringBuilder("scheme,n,runs,test_mse_mean,test_mse_std,test_mse_min,test_mse_max\n");
        foreach (var s in result.Summary)
        {
            summary.Append(inv, $"{Name(s.Scheme)},{s.Budget},{s.Runs},{s.Mean:R},{s.Std:R},{s.Min:R},{s.Max:R}\n");
        }

        WriteText(Path.Combine(sweep.Output, "summary.csv"), summary.ToString());
        WriteText(Path.Combine(sweep.Output, "test-predictions.csv"), TestPredictions(result.Rows, target));
        var info = new JsonObject
        {
            ["trainer"] = TrainingJob.Versions(),
            ["sweep"] = JsonSerializer.SerializeToNode(sweep, TrainerConfig.JsonOptions),
            ["target"] = TrainingJob.Describe(sweep.Job.Target, target.Dataset, "target"),
            ["split"] = new JsonObject
            {
                ["train_candidates"] = new JsonArray([.. result.Split.Train.Select(i => (JsonNode)i)]),
                ["validation"] = new JsonArray([.. result.Split.Validation.Select(i => (JsonNode)i)]),
                ["test"] = new JsonArray([.. result.Split.Test.Select(i => (JsonNode)i)]),
            },
            ["test_mse_units"] = "squared units of the outputs (kPa² for stress), mean over outputs and test samples",
            ["seconds"] = seconds,
        };
        TrainingJob.WriteJson(Path.Combine(sweep.Output, "sweep.json"), info);
        File.WriteAllBytes(Path.Combine(sweep.Output, "sweep.png"), Plot(result.Summary, target.Table.Outputs));
    }

    /// <summary>
    /// Every run's predictions on the test samples against the data: one line per run and test sample, with the
    /// sample's path and its row within the path (a GRU sample is the window ending at that row).
    /// </summary>
    private static string TestPredictions(IReadOnlyList<SweepRow> rows, TargetData target)
    {
        var inv = CultureInfo.InvariantCulture;
        var test = target.Test;
        int nout = test.Outputs.Length;
        var rowInPath = new int[test.Count];
        var seen = new Dictionary<int, int>();
        for (int k = 0; k < test.Count; k++)
        {
            int path = test.PathOfSample[k];
            rowInPath[k] = seen.GetValueOrDefault(path);
            seen[path] = rowInPath[k] + 1;
        }

        var sb = new StringBuilder("scheme,n,seed,path,row");
        foreach (var o in test.Outputs)
        {
            sb.Append(inv, $",{o},{o}_predicted");
        }

        sb.Append('\n');
        foreach (var r in rows)
        {
            for (int k = 0; k < test.Count; k++)
            {
                sb.Append(inv, $"{Name(r.Scheme)},{r.Budget},{r.Seed},{test.PathOfSample[k]},{rowInPath[k]}");
                for (int o = 0; o < nout; o++)
                {
                    sb.Append(inv, $",{test.Y[(k * nout) + o]:R},{r.TestPredicted[(k * nout) + o]:R}");
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Test MSE against N per scheme: the mean over seeds as a line, min–max over the seeds as vertical bars, log scale.</summary>
    private static byte[] Plot(IReadOnlyList<SweepSummary> summary, string[] outputs)
    {
        var plot = new ScottPlot.Plot();
        foreach (var g in summary.GroupBy(s => s.Scheme))
        {
            var pts = g.OrderBy(s => s.Budget).ToArray();
            var xs = pts.Select(s => (double)s.Budget).ToArray();
            var mean = pts.Select(s => Math.Log10(s.Mean)).ToArray();
            var line = plot.Add.Scatter(xs, mean);
            line.LegendText = Name(g.Key);
            foreach (var s in pts)
            {
                var bar = plot.Add.Line(s.Budget, Math.Log10(s.Min), s.Budget, Math.Log10(s.Max));
                bar.Color = line.Color;
            }
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 1e-9 ? $"1e{v:0}" : "" };
        plot.Title("Test MSE on unseen target paths vs number of target training paths");
        plot.XLabel("target training paths N");
        plot.YLabel($"test MSE ({string.Join(", ", outputs)}), log scale; bars: min–max over seeds");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return plot.GetImageBytes(900, 560, ScottPlot.ImageFormat.Png);
    }

    private static void WriteText(string file, string text)
    {
        File.WriteAllText(file + ".tmp", text);
        File.Move(file + ".tmp", file, overwrite: true);
    }
}
