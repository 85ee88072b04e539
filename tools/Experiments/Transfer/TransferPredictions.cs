using System.Globalization;

namespace FemHost.Experiments.Transfer;

/// <summary>The predictions of one scheme's model on the unseen test paths.</summary>
/// <param name="Scheme">Scheme name (scratch, freeze, fine-tune, active).</param>
/// <param name="TestMse">Its test MSE (physical units, mean over outputs), as the sweep computed it.</param>
/// <param name="Chosen">The target paths it trained on.</param>
/// <param name="Predicted">Per test path id: the predicted outputs per row (row-major, in the order the reader was given).</param>
public sealed record SchemePrediction(string Scheme, double TestMse, int[] Chosen, IReadOnlyDictionary<int, double[]> Predicted);

/// <summary>
/// The predictions of the sweep's own runs of one cell (budget N, one seed) on the test paths, read from the
/// <c>test-predictions.csv</c> that <c>femhost-train sweep</c> writes (paper Fig. 8–9 plot them for N = 6).
/// </summary>
public static class TransferPredictions
{
    /// <summary>The sweep file's name in the sweep's output folder.</summary>
    public const string File = "test-predictions.csv";

    /// <summary>
    /// Reads the cell (budget, seed) of every scheme from <paramref name="sweepFolder"/>: the predictions of
    /// <paramref name="outputs"/> per test path and row, with the run's test MSE and paths from <paramref name="runs"/>.
    /// </summary>
    public static IReadOnlyList<SchemePrediction> Read(string sweepFolder, IReadOnlyList<SweepRun> runs, IReadOnlyList<string> outputs, int budget, int seed)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(outputs);
        string file = Path.Combine(sweepFolder, File);
        if (!System.IO.File.Exists(file))
        {
            throw new ExperimentException($"the sweep's predictions '{file}' are missing: femhost-train sweep did not write them (see its log in the transfer folder).");
        }

        using var lines = System.IO.File.ReadLines(file).GetEnumerator();
        if (!lines.MoveNext())
        {
            throw new ExperimentException($"{file} is empty.");
        }

        var header = lines.Current.Split(',');
        int[] predictedColumn = [.. outputs.Select(o => Array.IndexOf(header, o + "_predicted"))];
        if (header.Length < 5 || header[0] != "scheme" || predictedColumn.Any(c => c < 0))
        {
            throw new ExperimentException($"{file}:1: expected the columns scheme,n,seed,path,row and {string.Join(", ", outputs.Select(o => o + "_predicted"))}; found {lines.Current}.");
        }

        var rows = new Dictionary<string, SortedDictionary<int, SortedDictionary<int, double[]>>>();
        for (int line = 2; lines.MoveNext(); line++)
        {
            var c = lines.Current.Split(',');
            if (c.Length != header.Length)
            {
                throw new ExperimentException($"{file}:{line}: expected {header.Length} columns, found {c.Length}.");
            }

            if (Int(c[1]) != budget || Int(c[2]) != seed)
            {
                continue;
            }

            var byPath = rows.TryGetValue(c[0], out var p) ? p : rows[c[0]] = [];
            var byRow = byPath.TryGetValue(Int(c[3]), out var r) ? r : byPath[Int(c[3])] = [];
            byRow[Int(c[4])] = [.. predictedColumn.Select(k => double.Parse(c[k], NumberStyles.Float, CultureInfo.InvariantCulture))];
        }

        var result = new List<SchemePrediction>();
        foreach (var scheme in SweepTable.Schemes.Where(rows.ContainsKey))
        {
            var run = runs.FirstOrDefault(r => r.Scheme == scheme && r.Budget == budget && r.Seed == seed)
                ?? throw new ExperimentException($"{file} has predictions for {scheme}, N = {budget}, seed {seed}, but the sweep table has no such run.");
            var predicted = rows[scheme].ToDictionary(kv => kv.Key, kv => kv.Value.Values.SelectMany(v => v).ToArray());
            result.Add(new SchemePrediction(scheme, run.TestMse, run.Selected, predicted));
        }

        if (result.Count == 0)
        {
            throw new ExperimentException($"{file} holds no run with N = {budget} and seed {seed}: the sweep's budgets must include N = {budget}.");
        }

        return result;
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
