using System.Text.Json;
using System.Text.Json.Nodes;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// The four trainings of the comparison (paper §5.2–5.3, Cases 2 and 3): NN1 (stress, [5-5-5-3]) and NN2 (tangent,
/// [5-8-8-6]) on the M2 Gauss-point log, each from scratch and with knowledge transferred from M1 (pre-trained on the
/// whole M1 log, then every layer fine-tuned: the paper's "full model fine-tuning"). Both schemes see the same small
/// budget of M2 histories (the same split seed and path budget), so the only difference is the pre-training.
/// Writes one <c>femhost-train</c> config per training; the trainer's report holds its test MSE and time.
/// </summary>
public static class SurrogateTraining
{
    /// <summary>The trainings: (file stem, role, scheme).</summary>
    public static IReadOnlyList<(string Name, string Role, string Scheme)> Jobs { get; } =
    [
        ("nn1-transfer", "stress", "fine-tune"),
        ("nn2-transfer", "tangent", "fine-tune"),
        ("nn1-scratch", "stress", "scratch"),
        ("nn2-scratch", "tangent", "scratch"),
    ];

    /// <summary>Seeds a job is trained with (1…K, K from the set-up for its role).</summary>
    public static int SeedsOf((string Name, string Role, string Scheme) job, MultiscaleSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return job.Role == "stress" ? setup.StressSeeds : setup.TangentSeeds;
    }

    /// <summary>File stem of one seed's network: the job's name for a single seed, <c>NAME-sSEED</c> when there are several.</summary>
    public static string MemberName(string job, int seed, int seeds) => seeds == 1 ? job : $"{job}-s{seed}";

    /// <summary>
    /// Writes the config of one job and seed into <paramref name="folder"/> (model <c>MemberName.json</c>, report
    /// <c>MemberName-report.json</c>); returns its path. The seed sets the initialisation and batch order of the
    /// training and of the pre-training; the split and the chosen histories stay those of split seed 1. Dataset paths are
    /// made relative to the folder.
    /// </summary>
    public static string WriteConfig(string folder, (string Name, string Role, string Scheme) job, string m1Log, string m2Log, MultiscaleSetup setup, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var training = new JsonObject
        {
            ["epochs"] = setup.Epochs,
            ["batch_size"] = setup.BatchSize,
            ["learning_rate"] = 0.01,
            ["patience"] = setup.Patience,
            ["learning_rate_decay"] = 0.5,
            ["decay_patience"] = setup.Patience / 3,
            ["min_learning_rate"] = 1e-4,
            ["seed"] = seed,
        };
        string member = MemberName(job.Name, seed, SeedsOf(job, setup));
        if (job.Role == "stress" && setup.JacobianWeight > 0)
        {
            training["jacobian_weight"] = setup.JacobianWeight;
        }

        var config = new JsonObject
        {
            ["role"] = job.Role,
            ["target"] = Path.GetRelativePath(folder, m2Log),
            ["scheme"] = job.Scheme,
            ["target_paths"] = setup.TargetPaths,
            ["split"] = new JsonObject { ["train"] = 0.70, ["validation"] = 0.15, ["seed"] = 1 },
            ["training"] = training,
            ["parallel"] = 1,
            ["output"] = member + ".json",
            ["report"] = member + "-report.json",
        };
        if (job.Role == "tangent" && setup.TangentForm != "direct")
        {
            config["network"] = new JsonObject { ["tangent_form"] = setup.TangentForm };
        }

        if (job.Scheme != "scratch")
        {
            config["source"] = Path.GetRelativePath(folder, m1Log);
            config["pretraining"] = training.DeepClone();
        }

        string path = Path.Combine(folder, member + "-config.json");
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>Test MSE (mean over outputs, physical units) and training seconds from a trainer report.</summary>
    public static (double TestMse, double Seconds) ReadReport(string reportFile)
    {
        var report = JsonNode.Parse(File.ReadAllText(reportFile))
            ?? throw new ExperimentException($"trainer report '{reportFile}' is empty");
        double mse = report["training"]?["mse"]?["test"]?["mean"]?.GetValue<double>() ?? double.NaN;
        double seconds = report["seconds"]?.GetValue<double>() ?? double.NaN;
        return (mse, seconds);
    }
}
