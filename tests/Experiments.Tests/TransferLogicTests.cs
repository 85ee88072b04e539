using FemHost.Experiments.Transfer;
using FemHost.MaterialData;
using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>The transfer study's own logic: target columns, sweep tables, the verdicts on the paper's ordering, sizes.</summary>
public sealed class TransferLogicTests
{
    /// <summary>
    /// Truth: for a biaxial state σ11 = −100, σ22 = −300 kPa, ε11 = +0.004, ε22 = −0.010 (tension positive), the
    /// geotechnical columns are σ3 = 100, p = (300 + 100)/2 = 200, q = 200, ε_v = 0.006, ε_q = |0.010 + 0.004| = 0.014;
    /// the DEM columns are kept, and the file reads back through the shared format.
    /// </summary>
    [Fact]
    public void GeotechnicalColumnsOfABiaxialState()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"femhost-geo-{Guid.NewGuid():N}");
        try
        {
            var info = new DatasetInfo
            {
                Hypothesis = DatasetHypothesis.PlaneStrain,
                ExtraColumns = ["coordination"],
                Source = new DatasetSource("test", "DemRve", new Dictionary<string, object>()),
            };
            var rows = new List<PathRow>
            {
                new(0, 0, [0, 0, 0, 0], [0, 0, 0, 0], [-100, -100, -100, 0], null, [4.0]),
                new(1, 0.01, [0.004, -0.010, 0, 0], [0.004, 0.010, 0, 0], [-100, -300, -200, 0], null, [3.5]),
            };
            var lab = new PathDataset(info, [new DatasetPath(7, rows)]);
            string file = Path.Combine(dir, "target.csv");
            Directory.CreateDirectory(dir);
            GeotechnicalTarget.Write(lab, file);
            var back = PathDatasetReader.Read(file);
            Assert.Equal(["coordination", "confining", "p", "q", "eps_v", "eps_q"], back.Info.ExtraColumns);
            var r = back.Paths.Single().Rows[1];
            Assert.Equal(7, back.Paths.Single().Id);
            Assert.Equal([3.5, 100, 200, 200, 0.006, 0.014], r.Extras.Select(x => Math.Round(x, 12)));
            Assert.Equal([-100, -300, -200, 0], r.Stress);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Truth: a table where every transfer scheme beats scratch at every N and active is lowest holds both findings.</summary>
    [Fact]
    public void VerdictsHoldOnThePapersOrdering()
    {
        var summary = Table((2, 100, 40, 30, 20), (6, 50, 25, 20, 10));
        Assert.Equal([2, 6], SchemeOrdering.TransferBeatsScratch(summary));
        var v = SchemeOrdering.Verdicts(summary);
        Assert.StartsWith("Transfer beats scratch at small N: **holds** at N = 2", v[0], StringComparison.Ordinal);
        Assert.Equal("Transfer + active learning is best: **holds** at every N.", v[1]);
    }

    /// <summary>Truth: when scratch wins at the smallest N and fine-tune is best there, the verdicts say so and name where.</summary>
    [Fact]
    public void VerdictsSayWhereTheOrderingFails()
    {
        var summary = Table((2, 10, 40, 5, 20), (6, 50, 25, 20, 10));
        Assert.Equal([6], SchemeOrdering.TransferBeatsScratch(summary));
        Assert.Equal("fine-tune", SchemeOrdering.BestScheme(summary)[2]);
        var v = SchemeOrdering.Verdicts(summary);
        Assert.Contains("**does not hold** at N = 2", v[0], StringComparison.Ordinal);
        Assert.Contains("only at N = 6", v[0], StringComparison.Ordinal);
        Assert.Contains("**holds partly**, at N = 6", v[1], StringComparison.Ordinal);
        Assert.Contains("N = 2: full fine-tune", v[1], StringComparison.Ordinal);
    }

    /// <summary>Truth: the sweep tables are read column by column as the trainer writes them; a short line is located.</summary>
    [Fact]
    public void ReadsTheTrainersSweepTables()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"femhost-sweep-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string runs = Path.Combine(dir, "sweep.csv"), summary = Path.Combine(dir, "summary.csv");
            File.WriteAllText(runs, "scheme,n,seed,test_mse,validation_mse,train_mse,epochs,seconds,selected_paths\nactive,3,2,1.5E+04,1,2,40,3.10,5;0;11\nscratch,1,1,7,1,2,40,3.10,4\n");
            File.WriteAllText(summary, "scheme,n,runs,test_mse_mean,test_mse_std,test_mse_min,test_mse_max\nfreeze,6,3,12.5,1,11,14\n");
            var r = SweepTable.ReadRuns(runs);
            Assert.Equal(new[] { 5, 0, 11 }, r[0].Selected);
            Assert.Equal(("active", 3, 2, 1.5e4), (r[0].Scheme, r[0].Budget, r[0].Seed, r[0].TestMse));
            Assert.Equal(new SweepPoint("freeze", 6, 3, 12.5, 1, 11, 14), SweepTable.ReadSummary(summary).Single());
            File.WriteAllText(summary, "header\nfreeze,6,3\n");
            var e = Assert.Throws<ExperimentException>(() => SweepTable.ReadSummary(summary));
            Assert.Contains("summary.csv:2", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Truth (paper §3.2.2): full mode uses the paper's 40 paths at 25, 50, …, 1000 kPa and N up to 20; every
    /// budget fits in the 60 % training share of the split; source and target rows share one axial strain step.
    /// </summary>
    [Fact]
    public void FullSizesAreThePapersAndBudgetsFitTheSplit()
    {
        var full = TransferSizes.Of(ExperimentMode.Full);
        Assert.Equal(Enumerable.Range(1, 40).Select(k => 25.0 * k), full.Pressures.Select(p => Math.Round(p, 9)));
        Assert.Equal(20, full.Budgets.Max());
        Assert.Equal(450, full.SyntheticCurves);
        foreach (var s in new[] { full, TransferSizes.Of(ExperimentMode.Quick) })
        {
            Assert.True(s.Budgets.Max() <= (int)(0.6 * s.Paths), $"budget {s.Budgets.Max()} of {s.Paths} paths");
            Assert.Contains(TransferSizes.PlottedBudget, s.Budgets);
            Assert.Equal(TransferSizes.FinalAxialStrain, s.AxialStep * s.Records, 12);
        }
    }

    private static List<SweepPoint> Table(params (int N, double Scratch, double Freeze, double FineTune, double Active)[] rows) =>
        [.. rows.SelectMany(r => new[]
        {
            new SweepPoint("scratch", r.N, 2, r.Scratch, 0, r.Scratch, r.Scratch),
            new SweepPoint("freeze", r.N, 2, r.Freeze, 0, r.Freeze, r.Freeze),
            new SweepPoint("fine-tune", r.N, 2, r.FineTune, 0, r.FineTune, r.FineTune),
            new SweepPoint("active", r.N, 2, r.Active, 0, r.Active, r.Active),
        })];
}
