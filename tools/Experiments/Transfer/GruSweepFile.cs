using System.Text.Json.Nodes;

namespace FemHost.Experiments.Transfer;

/// <summary>
/// The sweep file of <c>femhost-train sweep</c> that both transfer studies (paper §3.2.2 and §4.2) use: the paper's
/// GRU (Table 1: GRU 40 + Dense 20, window 20, lr 0.01, batch 128, early stopping with patience 30), a fixed 60/15/25
/// split of the target by path (seed 1) so that every run is scored on the same unseen paths, the GRU layer frozen by
/// the freeze scheme, and a committee of 5 bootstrap members for active learning starting from one path.
/// </summary>
public static class GruSweepFile
{
    /// <summary>The sweep's JSON for the given columns, datasets, schemes, budgets, seeds and epochs.</summary>
    public static JsonObject Build(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string source, string target,
        IEnumerable<string> schemes, IEnumerable<int> budgets, IEnumerable<int> seeds, int epochs)
    {
        JsonArray Strings(IEnumerable<string> s) => new([.. s.Select(x => (JsonNode)x)]);
        JsonArray Ints(IEnumerable<int> s) => new([.. s.Select(x => (JsonNode)x)]);
        return new JsonObject
        {
            ["job"] = new JsonObject
            {
                ["network"] = new JsonObject { ["kind"] = "gru", ["gru_units"] = 40, ["dense_units"] = 20, ["window"] = 20 },
                ["inputs"] = Strings(inputs),
                ["outputs"] = Strings(outputs),
                ["source"] = source,
                ["target"] = target,
                ["freeze_layers"] = 1,
                ["split"] = new JsonObject { ["train"] = 0.60, ["validation"] = 0.15, ["seed"] = 1 },
                ["training"] = new JsonObject { ["epochs"] = epochs, ["batch_size"] = 128, ["learning_rate"] = 0.01, ["patience"] = 30 },
                ["active"] = new JsonObject { ["committee"] = 5, ["initial_paths"] = 1, ["bootstrap"] = true },
            },
            ["schemes"] = Strings(schemes),
            ["budgets"] = Ints(budgets),
            ["seeds"] = Ints(seeds),
            ["output"] = "sweep",
            ["parallel"] = Math.Max(1, Environment.ProcessorCount),
        };
    }
}
