using FemHost.Experiments.Reporting;
using SkiaSharp;
using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>Figures, figure grids, CSV output and the child-process runner's error for an unbuilt tool.</summary>
public sealed class ReportingTests
{
    /// <summary>Truth: a 2-column grid of three 300 × 200 panels is one 600 × 400 PNG; a logarithmic figure renders.</summary>
    [Fact]
    public void FigureGridLaysPanelsOutRowByRow()
    {
        string file = Path.Combine(Path.GetTempPath(), $"femhost-grid-{Guid.NewGuid():N}.png");
        try
        {
            var panels = Enumerable.Range(0, 3).Select(i => new Figure($"panel {i}", "x", "y", logY: i == 2)
                .Line([1, 2, 3], [1, 10, 100], i, "data")).ToList();
            FigureGrid.Save(file, panels, 2, 300, 200);
            using var bitmap = SKBitmap.Decode(file);
            Assert.Equal((600, 400), (bitmap.Width, bitmap.Height));
            // The empty fourth cell stays white.
            Assert.Equal(SKColors.White, bitmap.GetPixel(450, 300));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Truth: CSV numbers are written in round-trip invariant form, so they read back bit for bit.</summary>
    [Fact]
    public void CsvNumbersRoundTrip()
    {
        string file = Path.Combine(Path.GetTempPath(), $"femhost-csv-{Guid.NewGuid():N}.csv");
        try
        {
            double x = 0.1 + 0.2, y = -1.234567890123456e-7;
            TextFile.WriteCsv(file, ["a", "b"], [[x, y]]);
            var lines = File.ReadAllLines(file);
            Assert.Equal("a,b", lines[0]);
            var back = lines[1].Split(',').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(x, back[0]);
            Assert.Equal(y, back[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Truth: running a tool that is not built fails before starting it, naming the project that builds it.</summary>
    [Fact]
    public void UnbuiltToolIsAClearError()
    {
        var tool = new ToolPath("femhost-train", "tools/NeuralTrainer/NeuralTrainer.csproj", "/nonexistent/femhost-train.dll");
        var e = Assert.Throws<ExperimentException>(() => ToolRunner.Run(tool, [], Path.GetTempPath(), Path.Combine(Path.GetTempPath(), "x.log")));
        Assert.Contains("dotnet build -c Release tools/NeuralTrainer/NeuralTrainer.csproj", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Truth: a tool that exits with a non-zero code becomes one error naming the exit code, the command, its
    /// error line (the first it wrote to stderr, however long the usage text after it) and the last lines of its
    /// output, and its whole output is in the log file (the tool here: femhost-experiments
    /// itself with an unknown option, which exits with 2).
    /// </summary>
    [Fact]
    public void FailingToolQuotesItsExitCodeAndLastLines()
    {
        string log = Path.Combine(Path.GetTempPath(), $"femhost-runner-{Guid.NewGuid():N}.log");
        try
        {
            var tool = new ToolPath("femhost-experiments", "tools/Experiments/Experiments.csproj", typeof(ExperimentCli).Assembly.Location);
            var e = Assert.Throws<ExperimentException>(() => ToolRunner.Run(tool, ["--bogus", "calibrate"], Path.GetTempPath(), log));
            Assert.Contains("exited with code 2", e.Message, StringComparison.Ordinal);
            Assert.Contains("unknown option '--bogus'", e.Message, StringComparison.Ordinal);
            Assert.Contains("unknown option '--bogus'", File.ReadAllText(log), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
