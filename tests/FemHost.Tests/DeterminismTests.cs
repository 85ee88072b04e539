using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Determinism (issue 7, item 4; issue 18, item 10). Truth checked: the same case gives byte-identical output
/// files across runs and across thread counts (1 and 2), with either solver: fields, curves, the Newton log
/// with every residual, and the Gauss-point log with every stress and tangent entry printed in full ("R").
/// Assembly scatters element colours in a fixed order; the managed solver sums the two halves of the
/// elimination tree in the same order whether one or two threads factorise them; MKL runs in its conditional
/// numerical reproducibility mode (MKL_CBWR_AUTO), which fixes PARDISO's reduction order.
/// </summary>
public class DeterminismTests
{
    [Theory]
    [InlineData("hill-cylinder.yaml")]   // von Mises, partly plastic: 10 load steps with Newton iterations
    [InlineData("lame-cylinder.yaml")]   // linear elastic
    public void Outputs_are_identical_across_runs_and_thread_counts(string caseName)
    {
        var serial = Run(caseName, threads: 1, "managed");
        var parallel = Run(caseName, threads: 2, "managed");
        var again = Run(caseName, threads: 2, "managed");
        AssertIdentical(parallel, again, "two runs at 2 threads");
        AssertIdentical(serial, parallel, "1 and 2 threads");
    }

    [PardisoFact]
    public void Pardiso_outputs_and_the_point_log_are_identical_across_thread_counts()
    {
        var serial = Run("hill-cylinder.yaml", threads: 1, "pardiso");
        var parallel = Run("hill-cylinder.yaml", threads: 2, "pardiso");
        AssertIdentical(serial, parallel, "1 and 2 PARDISO threads");
    }

    private static void AssertIdentical(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual, string what)
    {
        Assert.True(expected.Count >= 4, "expected curves, Newton log, point log and fields");
        Assert.Contains("points-ring.csv", expected.Keys);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs between {what}");
        }
    }

    /// <summary>Runs a verification case with the given solver and thread count and its point log; returns its text outputs.</summary>
    private static Dictionary<string, byte[]> Run(string caseName, int threads, string solver)
    {
        var source = Path.Combine(RepoPaths.Root, "cases", "verification", caseName);
        var folder = RepoPaths.TempFolder();
        var text = File.ReadAllText(source)
            .Replace("../../tests/assets/", Path.Combine(RepoPaths.Root, "tests", "assets") + "/", StringComparison.Ordinal)
            .Replace("  linear: auto\n", "", StringComparison.Ordinal)
            .Replace("\nsolver:\n", $"\nsolver:\n  threads: {threads}\n  linear: {solver}\n", StringComparison.Ordinal)
            .Replace("\noutput:\n", "\noutput:\n  point_log: true\n", StringComparison.Ordinal);
        Assert.Contains($"linear: {solver}", text, StringComparison.Ordinal);
        Assert.Contains("point_log: true", text, StringComparison.Ordinal);

        var copy = Path.Combine(folder, caseName);
        File.WriteAllText(copy, text);
        var (code, output, error) = FemhostCli.Run("run", copy, "--quiet", "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, error + output);
        var results = Directory.GetDirectories(Path.Combine(folder, "results")).Single();
        return Directory.GetFiles(results)
            .Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".vtu", StringComparison.Ordinal) || f.EndsWith(".pvd", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
    }
}
