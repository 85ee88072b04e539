using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace FemHost.NeuralBench;

/// <summary>
/// The NN-FEM benchmark: runs biaxial cases with the Release host as a user does
/// (<c>dotnet artifacts/femhost/femhost.dll run CASE</c>), takes the best wall time of a few repeats, reads the
/// Newton log (iterations per step) and compares the recorded curves with a reference run (the DH case the
/// surrogate stands in for): RMS difference over the steps, absolute and relative to the reference's largest
/// magnitude.
/// </summary>
internal static class NnFemRuns
{
    /// <summary>Runs every case <paramref name="repeats"/> times, its results in <paramref name="outDir"/>/CASE; returns one JSON object per case.</summary>
    public static JsonArray Run(string host, IReadOnlyList<string> cases, string outDir, string referenceCurves, int repeats)
    {
        var results = new JsonArray();
        var reference = ReadCsv(referenceCurves);
        foreach (var file in cases)
        {
            double best = double.PositiveInfinity, hostSeconds = double.NaN;
            string? completed = null;
            for (int r = 0; r < repeats; r++)
            {
                var (wall, output) = RunHost(host, file, OutputFolder(outDir, file));
                completed = output.Split('\n').LastOrDefault(l => l.StartsWith("completed:", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"{file}: the host did not complete:\n{output[Math.Max(0, output.Length - 2000)..]}");
                if (wall < best)
                {
                    best = wall;
                    hostSeconds = HostSeconds(completed);
                }
            }

            var folder = OutputFolder(outDir, file);
            var newton = ReadCsv(Path.Combine(folder, "newton.csv"));
            var curves = ReadCsv(Path.Combine(folder, "curves.csv"));
            var perStep = newton.Rows.GroupBy(row => row[newton.Index("step")]).Select(g => g.Count()).ToArray();
            var perIncrement = newton.Rows.GroupBy(row => row[newton.Index("increment")]).Select(g => g.Count()).ToArray();
            var comparison = new JsonObject();
            foreach (var column in curves.Columns.Where(c => c is not ("step" or "lambda") && reference.Columns.Contains(c)))
            {
                var (rms, rel) = RmsDifference(curves, reference, column);
                comparison[column] = new JsonObject { ["rms_difference"] = rms, ["relative_to_max"] = rel };
            }

            var entry = new JsonObject
            {
                ["case"] = file,
                ["wall_seconds_best"] = best,
                ["host_reported_seconds"] = hostSeconds,
                ["completed"] = completed,
                ["steps"] = perStep.Length,
                ["increments"] = perIncrement.Length,
                ["newton_iterations"] = newton.Rows.Count,
                ["iterations_per_step_mean"] = perStep.Average(),
                ["iterations_per_step_max"] = perStep.Max(),
                ["iterations_per_increment_mean"] = perIncrement.Average(),
                ["curves_vs_reference"] = comparison,
            };
            results.Add(entry);
            string differences = string.Join(", ", comparison.Select(kv => string.Create(CultureInfo.InvariantCulture,
                $"{kv.Key} RMS diff {kv.Value!["rms_difference"]!.GetValue<double>():G3} ({100 * kv.Value!["relative_to_max"]!.GetValue<double>():F1} %)")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(file)}: best wall {best:F2} s of {repeats} (host: {hostSeconds:F2} s), {perStep.Length} steps, {perIncrement.Length} increments, {newton.Rows.Count} Newton iterations ({perStep.Average():F1}/step, max {perStep.Max()}); {differences}"));
        }

        return results;
    }

    private static (double Wall, string Output) RunHost(string host, string caseFile, string outputFolder)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { host, "run", caseFile, "--output", outputFolder })
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"femhost run {caseFile} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        }

        return (wall, stdout + stderr.Result);
    }

    // "completed: ..., 242 equations, 18.2 s with MKL PARDISO ..." -> 18.2
    private static double HostSeconds(string completed)
    {
        var parts = completed.Split(' ');
        int i = Array.IndexOf(parts, "s");
        return i > 0 && double.TryParse(parts[i - 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
    }

    // Where a case's results go: a folder named after the case file in the output folder.
    private static string OutputFolder(string outDir, string caseFile) => Path.GetFullPath(Path.Combine(outDir, Path.GetFileNameWithoutExtension(caseFile)));

    private static (double Rms, double Relative) RmsDifference(Table run, Table reference, string column)
    {
        int c = run.Index(column), rc = reference.Index(column), s = run.Index("step"), rs = reference.Index("step");
        var byStep = reference.Rows.ToDictionary(r => r[rs], r => r[rc]);
        var pairs = run.Rows.Where(r => byStep.ContainsKey(r[s])).Select(r => (r[c], byStep[r[s]])).ToArray();
        if (pairs.Length == 0)
        {
            throw new InvalidOperationException($"no common steps with the reference for '{column}'");
        }

        double rms = Math.Sqrt(pairs.Average(p => (p.Item1 - p.Item2) * (p.Item1 - p.Item2)));
        return (rms, rms / reference.Rows.Max(r => Math.Abs(r[rc])));
    }

    private sealed record Table(string[] Columns, List<double[]> Rows)
    {
        public int Index(string column) => Array.IndexOf(Columns, column) is int i and >= 0 ? i : throw new InvalidOperationException($"column '{column}' missing");
    }

    private static Table ReadCsv(string file)
    {
        var lines = File.ReadAllLines(file);
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return new Table(lines[0].Split(','), rows);
    }
}
