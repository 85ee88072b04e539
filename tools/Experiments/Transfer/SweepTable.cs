using System.Globalization;

namespace FemHost.Experiments.Transfer;

/// <summary>One run of a <c>femhost-train sweep</c> (a line of its <c>sweep.csv</c>).</summary>
/// <param name="Scheme">Scheme name (scratch, freeze, fine-tune, active).</param>
/// <param name="Budget">Target training paths N.</param>
/// <param name="Seed">Seed.</param>
/// <param name="TestMse">Test MSE on the unseen target paths (physical units, mean over outputs).</param>
/// <param name="Selected">Target paths used for training, in the order chosen.</param>
public sealed record SweepRun(string Scheme, int Budget, int Seed, double TestMse, int[] Selected);

/// <summary>Mean and spread over seeds of one scheme at one budget (a line of <c>summary.csv</c>).</summary>
/// <param name="Scheme">Scheme name.</param>
/// <param name="Budget">N.</param>
/// <param name="Runs">Seeds.</param>
/// <param name="Mean">Mean test MSE.</param>
/// <param name="Std">Sample standard deviation.</param>
/// <param name="Min">Smallest.</param>
/// <param name="Max">Largest.</param>
public sealed record SweepPoint(string Scheme, int Budget, int Runs, double Mean, double Std, double Min, double Max);

/// <summary>Reads the tables a <c>femhost-train sweep</c> writes (docs/neural-surrogate.md).</summary>
public static class SweepTable
{
    /// <summary>The scheme names in the paper's order (Fig. 7 legend).</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["scratch", "freeze", "fine-tune", "active"];

    /// <summary>Human-readable names of the schemes, as the paper labels them.</summary>
    public static string Label(string scheme) => scheme switch
    {
        "scratch" => "no transfer",
        "freeze" => "freeze + fine-tune",
        "fine-tune" => "full fine-tune",
        "active" => "transfer + active learning",
        _ => scheme,
    };

    /// <summary>Reads <c>summary.csv</c> (scheme,n,runs,test_mse_mean,test_mse_std,test_mse_min,test_mse_max).</summary>
    public static IReadOnlyList<SweepPoint> ReadSummary(string file) => [.. Rows(file, 7).Select(c =>
        new SweepPoint(c[0], Int(c[1]), Int(c[2]), Num(c[3]), Num(c[4]), Num(c[5]), Num(c[6])))];

    /// <summary>Reads <c>sweep.csv</c> (scheme,n,seed,test_mse,validation_mse,train_mse,epochs,seconds,selected_paths).</summary>
    public static IReadOnlyList<SweepRun> ReadRuns(string file) => [.. Rows(file, 9).Select(c =>
        new SweepRun(c[0], Int(c[1]), Int(c[2]), Num(c[3]), c[8].Length == 0 ? [] : [.. c[8].Split(';').Select(Int)]))];

    private static IEnumerable<string[]> Rows(string file, int columns)
    {
        if (!File.Exists(file))
        {
            throw new ExperimentException($"the sweep table '{file}' is missing: femhost-train sweep did not write it (see its log in the transfer folder).");
        }

        foreach (var (line, i) in File.ReadLines(file).Select((l, i) => (l, i)).Skip(1))
        {
            var c = line.Split(',');
            if (c.Length < columns)
            {
                throw new ExperimentException($"{file}:{i + 1}: expected {columns} comma-separated columns, found {c.Length}.");
            }

            yield return c;
        }
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Num(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
