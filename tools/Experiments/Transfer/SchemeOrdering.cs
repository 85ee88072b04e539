namespace FemHost.Experiments.Transfer;

/// <summary>
/// Checks the paper's findings (§3.2.2, Fig. 7) on a sweep summary: (1) with few target paths every transfer
/// scheme beats training from scratch; (2) transfer + active learning is the best scheme. Each finding is
/// reported per budget N on the mean test MSE over seeds, so the summary can say exactly where it holds.
/// </summary>
public static class SchemeOrdering
{
    /// <summary>Budgets at which every transfer scheme has a lower mean test MSE than scratch.</summary>
    public static IReadOnlyList<int> TransferBeatsScratch(IReadOnlyList<SweepPoint> summary) =>
        [.. Budgets(summary).Where(n =>
        {
            var at = At(summary, n);
            return at.TryGetValue("scratch", out var s) && at.Where(kv => kv.Key != "scratch").All(kv => kv.Value.Mean < s.Mean) && at.Count > 1;
        })];

    /// <summary>The scheme with the lowest mean test MSE at each budget.</summary>
    public static IReadOnlyDictionary<int, string> BestScheme(IReadOnlyList<SweepPoint> summary) =>
        Budgets(summary).ToDictionary(n => n, n => At(summary, n).MinBy(kv => kv.Value.Mean).Key);

    /// <summary>Plain-language verdicts on the two findings, one line each.</summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<SweepPoint> summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var budgets = Budgets(summary);
        var beats = TransferBeatsScratch(summary);
        var best = BestScheme(summary);
        int smallest = budgets[0];
        string first = beats.Contains(smallest)
            ? $"Transfer beats scratch at small N: **holds** at N = {smallest} (every transfer scheme has a lower mean test MSE than scratch); it holds at N = {string.Join(", ", beats)} of {string.Join(", ", budgets)}."
            : $"Transfer beats scratch at small N: **does not hold** at N = {smallest} ({Describe(At(summary, smallest))}); every transfer scheme beats scratch only at N = {(beats.Count == 0 ? "none" : string.Join(", ", beats))}.";
        var activeBest = best.Where(kv => kv.Value == "active").Select(kv => kv.Key).ToList();
        string second = activeBest.Count == budgets.Count
            ? "Transfer + active learning is best: **holds** at every N."
            : activeBest.Count == 0
                ? $"Transfer + active learning is best: **does not hold** at any N (best per N: {string.Join(", ", best.Select(kv => $"N = {kv.Key}: {SweepTable.Label(kv.Value)}"))})."
                : $"Transfer + active learning is best: **holds partly**, at N = {string.Join(", ", activeBest)} (elsewhere: {string.Join(", ", best.Where(kv => kv.Value != "active").Select(kv => $"N = {kv.Key}: {SweepTable.Label(kv.Value)}"))}).";
        return [first, second];
    }

    private static List<int> Budgets(IReadOnlyList<SweepPoint> summary) => [.. summary.Select(p => p.Budget).Distinct().Order()];

    private static Dictionary<string, SweepPoint> At(IReadOnlyList<SweepPoint> summary, int n) =>
        summary.Where(p => p.Budget == n).ToDictionary(p => p.Scheme);

    private static string Describe(Dictionary<string, SweepPoint> at) =>
        string.Join(", ", at.OrderBy(kv => kv.Value.Mean).Select(kv => $"{SweepTable.Label(kv.Key)} {kv.Value.Mean:G3}"));
}
