using System.Globalization;
using FemHost.NeuralTrainer;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class SweepTests
{
    /// <summary>
    /// Truths of the four-scheme sweep on a tiny synthetic source/target pair: (1) the table has one row per
    /// scheme × budget × seed and each row trained on exactly N distinct paths; (2) those paths are always
    /// training candidates of the one by-path split, never a test (or validation) path, so the test MSE is
    /// measured on unseen histories; (3) one code path: a single <c>femhost-train</c> job with the same scheme,
    /// budget and seed reproduces the sweep's row (same chosen paths, same test MSE); (4) the files are written.
    /// </summary>
    [Fact]
    public void SweepTableHasEveryRunAndNeverTrainsOnTestPaths()
    {
        var folder = Directory.CreateTempSubdirectory("nn-sweep-").FullName;
        new SyntheticLaw().Paths(12, 8, seed: 21).Write(Path.Combine(folder, "source.csv"));
        new SyntheticLaw(S: 240).Paths(14, 8, seed: 22).Write(Path.Combine(folder, "target.csv"));
        File.WriteAllText(Path.Combine(folder, "sweep.json"), """
            {
              // the job every run starts from
              "job": {
                "source": "source.csv",
                "target": "target.csv",
                "training": { "epochs": 15, "batch_size": 32, "learning_rate": 0.01, "patience": 15 },
                "pretraining": { "epochs": 30, "batch_size": 64, "learning_rate": 0.02, "patience": 30 },
                "active": { "committee": 2, "initial_paths": 1 }
              },
              "budgets": [1, 3],
              "seeds": [1, 2],
              "output": "out",
              "parallel": 2
            }
            """);
        var sweep = SweepConfig.Load(Path.Combine(folder, "sweep.json"));
        var result = SchemeSweep.Run(sweep, _ => { });

        Assert.Equal(4 * 2 * 2, result.Rows.Count);
        Assert.Equal(4 * 2, result.Summary.Count);
        Assert.All(result.Rows, r =>
        {
            Assert.Equal(r.Budget, r.Selected.Distinct().Count());
            Assert.Subset(result.Split.Train.ToHashSet(), r.Selected.ToHashSet());
            Assert.Empty(r.Selected.Intersect(result.Split.Test));
            Assert.Empty(r.Selected.Intersect(result.Split.Validation));
            Assert.True(double.IsFinite(r.TestMse) && r.TestMse > 0);
        });
        Assert.NotEmpty(result.Split.Test);

        foreach (var scheme in new[] { TransferScheme.Scratch, TransferScheme.FineTune })
        {
            var row = result.Rows.Single(r => r.Scheme == scheme && r.Budget == 3 && r.Seed == 2);
            var report = TrainingJob.Run(sweep.Job.With(scheme, 3, 2), _ => { });
            Assert.Equal(row.Selected, report["target_paths_used"]!.AsArray().Select(n => n!.GetValue<int>()));
            Assert.Equal(row.TestMse, report["training"]!["mse"]!["test"]!["mean"]!.GetValue<double>(), 1e-9 * row.TestMse);
        }

        var csv = File.ReadAllLines(Path.Combine(folder, "out", "sweep.csv"));
        Assert.Equal("scheme,n,seed,test_mse,validation_mse,train_mse,epochs,seconds,selected_paths", csv[0]);
        Assert.Equal(17, csv.Length);
        Assert.Contains(csv, l => l.StartsWith("active,3,", StringComparison.Ordinal) && l.Split(',')[^1].Split(';').Length == 3);
        var summary = File.ReadAllLines(Path.Combine(folder, "out", "summary.csv"));
        Assert.Equal(9, summary.Length);
        Assert.All(summary.Skip(1), l => Assert.True(double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture) > 0));
        var png = File.ReadAllBytes(Path.Combine(folder, "out", "sweep.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    /// <summary>Truth: a budget larger than the split's training paths is a user error that says how many there are.</summary>
    [Fact]
    public void SweepBudgetBeyondTheTrainingPathsIsRefused()
    {
        var folder = Directory.CreateTempSubdirectory("nn-sweep-").FullName;
        new SyntheticLaw().Paths(10, 5, seed: 23).Write(Path.Combine(folder, "target.csv"));
        File.WriteAllText(Path.Combine(folder, "sweep.json"), """
            { "job": { "target": "target.csv" }, "schemes": ["scratch"], "budgets": [50], "seeds": [1] }
            """);
        var e = Assert.Throws<TrainerInputException>(() => SchemeSweep.Run(SweepConfig.Load(Path.Combine(folder, "sweep.json")), _ => { }, write: false));
        Assert.Contains("use budgets up to 6", e.Message);
    }

    /// <summary>Truth: every sweep file shipped in experiments/neural/sweeps is a valid sweep (each scheme's job checks).</summary>
    [Fact]
    public void ShippedSweepConfigsAreValid()
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "experiments", "neural", "sweeps")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("experiments/neural/sweeps not found above the test folder");
        }

        var files = Directory.GetFiles(Path.Combine(dir, "experiments", "neural", "sweeps"), "*.json");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.NotEmpty(SweepConfig.Load(f).Budgets));
    }
}
