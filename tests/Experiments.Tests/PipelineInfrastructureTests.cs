using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>The pipeline's plumbing: experiment order, missing inputs, stage timings, the command line.</summary>
public sealed class PipelineInfrastructureTests
{
    /// <summary>Truth: the experiments run in dependency order (calibrate before pretrain before transfer).</summary>
    [Fact]
    public void ExperimentsRunInDependencyOrder()
    {
        var names = ExperimentCatalog.All.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("calibrate") < names.IndexOf("pretrain") && names.IndexOf("pretrain") < names.IndexOf("transfer"), string.Join(", ", names));
        Assert.All(ExperimentCatalog.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Summary)));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    /// <summary>Truth: a missing input names the experiment that writes it and the command to run first.</summary>
    [Fact]
    public void MissingInputNamesTheExperimentToRunFirst()
    {
        string root = Path.Combine(Path.GetTempPath(), $"femhost-ctx-{Guid.NewGuid():N}");
        var ctx = new ExperimentContext(root, ExperimentMode.Full, root);
        var e = Assert.Throws<ExperimentException>(() => ctx.RequireInput("calibrate", "calibrated-dh.json"));
        Assert.Contains("'calibrate' experiment", e.Message, StringComparison.Ordinal);
        Assert.Contains("experiments/run.sh --full calibrate", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Truth: a stage run twice keeps one entry (the latest) and other stages are kept; the file reads back.</summary>
    [Fact]
    public void StageTimingsReplaceTheLatestRunOfAStage()
    {
        string file = Path.Combine(Path.GetTempPath(), $"femhost-timings-{Guid.NewGuid():N}.json");
        try
        {
            var t = new StageTimings(file);
            t.Record(new StageTiming("calibrate", "fit", 1.0, DateTime.UtcNow));
            t.Record(new StageTiming("transfer", "sweep", 5.0, DateTime.UtcNow));
            int value = t.Time("calibrate", "fit", () => 42);
            var all = new StageTimings(file).Read();
            Assert.Equal(42, value);
            Assert.Equal(2, all.Count);
            Assert.Equal(("calibrate", "fit"), (all[0].Experiment, all[0].Stage));
            Assert.True(all[0].Seconds < 1.0);
            Assert.Equal(5.0, all[1].Seconds);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Truth: usage errors exit with 2 and name what is expected; no experiment runs.</summary>
    [Fact]
    public void CommandLineRefusesUnknownNamesAndOptions()
    {
        var err = Console.Error;
        var capture = new StringWriter();
        Console.SetError(capture);
        try
        {
            Assert.Equal(2, ExperimentCli.Run(["--quick", "calibrat"]));
            Assert.Equal(2, ExperimentCli.Run(["--fast", "calibrate"]));
            Assert.Equal(2, ExperimentCli.Run([]));
        }
        finally
        {
            Console.SetError(err);
        }

        string text = capture.ToString();
        Assert.Contains("unknown experiment 'calibrat'; expected one of calibrate, pretrain, transfer", text, StringComparison.Ordinal);
        Assert.Contains("unknown option '--fast'", text, StringComparison.Ordinal);
    }
}
