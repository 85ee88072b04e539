using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FemHost.Experiments.Multiscale;

namespace FemHost.Experiments.Timings;

/// <summary>
/// The timings table of paper §5.3: FD-HMM wall time, training times of NN1 and NN2, neural FEM wall time and
/// Newton iterations per step with the NN2 tangent ("nn2") and the exact Jacobian of NN1 ("jacobian"), next to the
/// paper's 112 min (FD-HMM, 12 CPU processors), 16.4 / 23.9 min (training NN1 / NN2) and 3.71 min (neural FEM, Intel
/// Core i7-8700), naming the hardware on both sides. Reads <c>timings.json</c> (every stage's wall time) and the
/// multiscale experiment's <c>comparison.json</c>; writes <c>timings.md</c> (also as <c>summary.md</c>) and <c>timings-table.json</c>.
/// </summary>
public sealed class TimingsExperiment : IExperiment
{
    /// <summary>The paper's hardware for the FD-HMM run (§5.3).</summary>
    public const string PaperFdhmmHardware = "server with 12 identical CPU processors (paper §5.3)";

    /// <summary>The paper's hardware for training and neural FEM (§5.3).</summary>
    public const string PaperNeuralHardware = "Intel Core i7-8700 CPU 3.20 GHz ×12 (paper §5.3)";

    /// <inheritdoc/>
    public string Name => "timings";

    /// <inheritdoc/>
    public string Summary => "wall times of every stage and Newton iterations (nn2 vs jacobian) next to the paper's (§5.3)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string folder = ctx.FolderOf(Name);
        var stages = ctx.Timings.Read();
        var hardware = HardwareInfo.Current();
        string comparisonFile = Path.Combine(ctx.ResultsRoot, "multiscale", "comparison.json");
        var comparison = File.Exists(comparisonFile) ? JsonNode.Parse(File.ReadAllText(comparisonFile)) : null;
        var setup = ctx.Quick ? MultiscaleSetup.Quick : MultiscaleSetup.Full;
        string size = string.Create(CultureInfo.InvariantCulture,
            $"{setup.GaussPoints} RVEs × {setup.Particles} disks, {setup.Steps} steps to {100 * setup.FinalAxialStrain:0.##} %");

        double? Stage(string experiment, string stage) => stages.FirstOrDefault(s => s.Experiment == experiment && s.Stage == stage)?.Seconds;
        // With several seeds per network (MultiscaleSetup.StressSeeds/TangentSeeds) one training is seed 1's, the paper's unit.
        double? Train(string job) => Stage("multiscale", "train-" + job) ?? Stage("multiscale", "train-" + job + "-s1");
        JsonNode? Neural(string name) => comparison?["neural_fem"]?.AsArray().FirstOrDefault(r => (string?)r?["name"] == name);
        double? Iterations(string name) => Neural(name)?["newton_iterations_per_step"]?.GetValue<double>();
        string Steps(string name) => Neural(name) is { } r ? $"{r["steps_completed"]}/{r["steps"]} steps" : "not run";
        // An FD-HMM run made elsewhere (FEMHOST_FDHMM_M1/M2) has no stage here: say so rather than "not run".
        string Fdhmm(string preset) => Stage("multiscale", "fdhmm-" + preset.ToLowerInvariant()) is { } seconds ? Minutes(seconds)
            : comparison?["fdhmm"]?.AsArray().FirstOrDefault(r => (string?)r?["label"] == "FD-HMM " + preset) is { } run
                ? $"made outside the pipeline ({run["folder"]}); its wall time is not recorded here"
                : "not run";

        var rows = new List<(string Quantity, string Paper, string Ours, string Note)>
        {
            ("FD-HMM biaxial run, M2", "112 min", Fdhmm("M2"), $"ours: {size}"),
            ("FD-HMM biaxial run, M1", "—", Fdhmm("M1"), $"ours: {size}"),
            ("training NN1 [5-5-5-3], M2 from scratch", "16.4 min", Minutes(Train("nn1-scratch")), $"{setup.TargetPaths} M2 histories"),
            ("training NN1, transfer M1→M2 (pre-training + fine-tuning)", "—", Minutes(Train("nn1-transfer")), "paper gives one time per network"),
            ("training NN2 [5-8-8-6], M2 from scratch", "23.9 min", Minutes(Train("nn2-scratch")), $"{setup.TargetPaths} M2 histories"),
            ("training NN2, transfer M1→M2", "—", Minutes(Train("nn2-transfer")), ""),
            ("neural FEM run, nn2 tangent (transfer)", "3.71 min", Minutes(Stage("multiscale", "nnfem-transfer-nn2")), Steps("nnfem-transfer-nn2")),
            ("neural FEM run, jacobian tangent (transfer)", "—", Minutes(Stage("multiscale", "nnfem-transfer-jacobian")), Steps("nnfem-transfer-jacobian")),
            ("Newton iterations per step, nn2 tangent", "not given", Number(Iterations("nnfem-transfer-nn2")), "converged increments, transfer model"),
            ("Newton iterations per step, jacobian tangent", "not given", Number(Iterations("nnfem-transfer-jacobian")), "converged increments, transfer model"),
            ("Newton iterations per step, nn2 tangent (M2 only)", "not given", Number(Iterations("nnfem-scratch-nn2")), ""),
            ("Newton iterations per step, jacobian tangent (M2 only)", "not given", Number(Iterations("nnfem-scratch-jacobian")), ""),
        };
        foreach (var fdhmm in comparison?["fdhmm"]?.AsArray() ?? [])
        {
            rows.Add(($"Newton iterations per step, {fdhmm?["label"]} (relaxed RVE tangent)", "several to dozens",
                Number(fdhmm?["newton_iterations_per_step"]?.GetValue<double>()), "converged increments"));
        }

        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine($"# Timings ({ctx.Mode.ToString().ToLowerInvariant()} mode) next to the paper's (§5.3)");
        md.AppendLine();
        md.AppendLine($"- ours: {hardware.Describe()}; one-minute load average when this table was made: {hardware.LoadAverage.ToString("F1", c)} " +
            "(a load above the core count means other work shared the machine and inflated the wall times)");
        md.AppendLine($"- paper, FD-HMM: {PaperFdhmmHardware}; training and neural FEM: {PaperNeuralHardware}");
        md.AppendLine($"- paper sizes: 288 RVEs × 500 disks, 100 steps to 12 %; ours in this mode: {size}");
        md.AppendLine();
        md.AppendLine("| quantity | paper | ours | note |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var (quantity, paper, ours, note) in rows)
        {
            md.AppendLine($"| {quantity} | {paper} | {ours} | {note} |");
        }

        md.AppendLine();
        md.AppendLine("Every recorded stage (`timings.json`):");
        md.AppendLine();
        md.AppendLine("| experiment | stage | seconds | finished (UTC) |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var s in stages)
        {
            md.AppendLine(string.Create(c, $"| {s.Experiment} | {s.Stage} | {s.Seconds:F1} | {s.FinishedUtc:yyyy-MM-dd HH:mm} |"));
        }

        File.WriteAllText(Path.Combine(folder, "timings.md"), md.ToString());
        File.WriteAllText(Path.Combine(folder, "summary.md"), md.ToString());
        var table = new JsonObject
        {
            ["hardware"] = new JsonObject
            {
                ["cpu"] = hardware.Cpu,
                ["logical_cores"] = hardware.LogicalCores,
                ["memory_gib"] = double.IsFinite(hardware.MemoryGiB) ? hardware.MemoryGiB : null,
                ["load_average"] = double.IsFinite(hardware.LoadAverage) ? hardware.LoadAverage : null,
            },
            ["rows"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
            {
                ["quantity"] = r.Quantity,
                ["paper"] = r.Paper,
                ["ours"] = r.Ours,
                ["note"] = r.Note,
            })]),
        };
        File.WriteAllText(Path.Combine(folder, "timings-table.json"), table.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Minutes(double? seconds) => seconds is { } s
        ? s < 120 ? string.Create(CultureInfo.InvariantCulture, $"{s:F1} s") : string.Create(CultureInfo.InvariantCulture, $"{s / 60:F1} min")
        : "not run";

    private static string Number(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}
