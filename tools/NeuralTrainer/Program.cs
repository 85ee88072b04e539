using System.Diagnostics;
using FemHost.Materials.NeuralSurrogate;
using FemHost.NeuralTrainer;

// femhost-train CONFIG.json: pre-train / fine-tune / freeze / active learning, as the config says;
// femhost-train sweep SWEEP.json: the same job for every scheme × budget × seed, with a table and a plot
// (docs/neural-surrogate.md). Exit codes: 0 ok, 1 user error (message on stderr), 2 usage.
const string Usage = "usage: femhost-train CONFIG.json\n  trains a NeuralSurrogate network (NN1/NN2 MLP or GRU) as configured\n" +
    "       femhost-train sweep SWEEP.json\n  runs the job for every scheme x target-path budget x seed; writes sweep.csv, summary.csv, sweep.png\n" +
    "  see docs/neural-surrogate.md and experiments/neural/*.json";
try
{
    switch (args)
    {
        case ["sweep", var sweepFile]:
            {
                var sweep = SweepConfig.Load(sweepFile);
                var result = SchemeSweep.Run(sweep, line => Console.Error.WriteLine(line));
                foreach (var s in result.Summary)
                {
                    Console.WriteLine($"{s.Scheme,-9} N={s.Budget,-3} test MSE {s.Mean:G4} ± {s.Std:G3} ({s.Runs} seeds)");
                }

                return 0;
            }

        case [var configFile] when configFile is not ("-h" or "--help" or "sweep"):
            {
                var config = TrainerConfig.Load(configFile);
                var report = TrainingJob.Run(config, line => Console.Error.WriteLine("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : 100)),
                    phase => new ProgressLine(phase));
                Console.WriteLine($"test MSE (physical units): {report["training"]!["mse"]!["test"]!["mean"]}; {report["seconds"]:F1} s");
                return 0;
            }

        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (Exception e) when (e is TrainerInputException or ModelFileException)
{
    Console.Error.WriteLine($"femhost-train: {e.Message}");
    return 1;
}

/// <summary>A live progress line on stderr, refreshed at most five times a second (every 2 s into a log file).</summary>
internal sealed class ProgressLine(string phase) : IProgress<EpochRecord>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _last = -1000;

    public void Report(EpochRecord value)
    {
        if (_clock.ElapsedMilliseconds - _last < (Console.IsErrorRedirected ? 2000 : 200))
        {
            return;
        }

        _last = _clock.ElapsedMilliseconds;
        var line = $"{phase}: epoch {value.Epoch}  train {value.TrainLoss:E3}  validation {value.ValidationLoss:E3}  lr {value.LearningRate:G3}  {_clock.Elapsed.TotalSeconds:F1} s";
        Console.Error.Write(Console.IsErrorRedirected ? line + "\n" : "\r" + line.PadRight(100));
    }
}
