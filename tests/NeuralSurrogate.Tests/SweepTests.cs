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
    /// budget and seed reproduces the sweep's row (same chosen paths, same test MSE), also for active learning,
    /// whose committee rounds the sweep runs once per seed for the largest budget (N = 3) and whose N = 2 run
    /// trains on the first two of those picks; (4) the files are written, and the test predictions in
    /// test-predictions.csv are the ones scored: their MSE against the data is the row's test MSE.
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
              "budgets": [2, 3],
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

        foreach (var (scheme, n) in new[] { (TransferScheme.Scratch, 3), (TransferScheme.FineTune, 3), (TransferScheme.Active, 3), (TransferScheme.Active, 2) })
        {
            var row = result.Rows.Single(r => r.Scheme == scheme && r.Budget == n && r.Seed == 2);
            var report = TrainingJob.Run(sweep.Job.With(scheme, n, 2), _ => { });
            Assert.Equal(row.Selected, report["target_paths_used"]!.AsArray().Select(n => n!.GetValue<int>()));
            Assert.Equal(row.TestMse, report["training"]!["mse"]!["test"]!["mean"]!.GetValue<double>(), 1e-9 * row.TestMse);
        }

        var csv = File.ReadAllLines(Path.Combine(folder, "out", "sweep.csv"));
        Assert.Equal("scheme,n,seed,test_mse,validation_mse,train_mse,epochs,seconds,selected_paths", csv[0]);
        Assert.Equal(17, csv.Length);
        Assert.Contains(csv, l => l.StartsWith("active,3,", StringComparison.Ordinal) && l.Split(',')[^1].Split(';').Length == 3);
        Assert.Equal(result.Rows.Single(r => r.Scheme == TransferScheme.Active && r.Budget == 3 && r.Seed == 1).Selected[..2],
            result.Rows.Single(r => r.Scheme == TransferScheme.Active && r.Budget == 2 && r.Seed == 1).Selected);
        var predictions = File.ReadAllLines(Path.Combine(folder, "out", "test-predictions.csv"));
        Assert.StartsWith("scheme,n,seed,path,row,", predictions[0], StringComparison.Ordinal);
        var activeRow = result.Rows.Single(r => r.Scheme == TransferScheme.Active && r.Budget == 2 && r.Seed == 1);
        var cells = predictions.Skip(1).Select(l => l.Split(',')).Where(c => c[0] == "active" && c[1] == "2" && c[2] == "1").ToList();
        Assert.Equal(activeRow.TestPredicted.Length / ((cells[0].Length - 5) / 2), cells.Count);
        Assert.All(cells, c => Assert.Contains(int.Parse(c[3], CultureInfo.InvariantCulture), result.Split.Test));
        int nout = (cells[0].Length - 5) / 2;
        double mse = Enumerable.Range(0, nout).Average(o => cells.Average(c =>
            Math.Pow(double.Parse(c[5 + (2 * o) + 1], CultureInfo.InvariantCulture) - double.Parse(c[5 + (2 * o)], CultureInfo.InvariantCulture), 2)));
        Assert.Equal(activeRow.TestMse, mse, 1e-9 * activeRow.TestMse);
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
