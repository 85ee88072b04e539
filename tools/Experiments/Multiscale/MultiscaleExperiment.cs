using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FemHost.Materials.NeuralSurrogate;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// Paper §5.3, cross-material multiscale modelling: FD-HMM biaxial shear runs with M1 and M2 (Case 1, logs of every
/// Gauss point), NN1/NN2 trained on a small budget of M2 histories from scratch (Case 3) and with knowledge
/// transferred from M1 (Case 2), neural FEM runs of both with the Jacobian of NN1 and with NN2 as tangent, and the
/// comparison with FD-HMM: Fig. 17–20 as PNG, the RMS error of each curve, <c>comparison.json</c> and <c>summary.md</c>.
/// The FD-HMM runs are the expensive part and can be made elsewhere: set <c>FEMHOST_FDHMM_M1</c> /
/// <c>FEMHOST_FDHMM_M2</c> to their result folders, or leave a finished run in <c>fdhmm-m1/</c>, <c>fdhmm-m2/</c>
/// (reused while its case is unchanged).
/// </summary>
public sealed class MultiscaleExperiment : IExperiment
{
    /// <summary>Environment variable naming an existing FD-HMM result folder of M1 to use instead of running it.</summary>
    public const string M1FolderVariable = "FEMHOST_FDHMM_M1";

    /// <summary>Environment variable naming an existing FD-HMM result folder of M2 to use instead of running it.</summary>
    public const string M2FolderVariable = "FEMHOST_FDHMM_M2";

    private const string CompletedMarker = "case-completed.yaml";


    /// <inheritdoc/>
    public string Name => "multiscale";

    /// <inheritdoc/>
    public string Summary => "FD-HMM (M1, M2) vs neural FEM trained on M2 with/without transfer from M1 (paper §5.3, Fig. 17-20)";

    /// <summary>The neural FEM runs: (folder, NN file stem, tangent kind of the case, label).</summary>
    public static IReadOnlyList<(string Name, string Models, string Tangent, string Label)> NeuralRuns { get; } =
    [
        ("nnfem-transfer-jacobian", "transfer", "consistent", "NN transfer, jacobian"),
        ("nnfem-transfer-nn2", "transfer", "approximate", "NN transfer, nn2"),
        ("nnfem-scratch-jacobian", "scratch", "consistent", "NN M2 only, jacobian"),
        ("nnfem-scratch-nn2", "scratch", "approximate", "NN M2 only, nn2"),
    ];

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var setup = ctx.Quick ? MultiscaleSetup.Quick : MultiscaleSetup.Full;
        string folder = ctx.FolderOf(Name);
        string cases = Path.Combine(folder, "cases");

        var m1 = Fdhmm(ctx, setup, folder, cases, "M1", M1FolderVariable);
        var m2 = Fdhmm(ctx, setup, folder, cases, "M2", M2FolderVariable);
        foreach (var run in new[] { m1, m2 })
        {
            if (run.StepsCompleted < 2 || !File.Exists(run.PointLog))
            {
                throw new ExperimentException($"the FD-HMM run '{run.Label}' in '{run.Folder}' completed {run.StepsCompleted} step(s) and " +
                    $"{(File.Exists(run.PointLog) ? "has" : "has no")} Gauss-point log; at least 2 steps and points-all.csv are needed to train and compare (see its logs).");
            }
        }

        string models = Path.Combine(folder, "models");
        Directory.CreateDirectory(models);
        string m1Data = Path.Combine(models, "m1-points.csv"), m2Data = Path.Combine(models, "m2-points.csv");
        InitialStateRows.Write(m1.PointLog, m1Data, 100);
        InitialStateRows.Write(m2.PointLog, m2Data, 100);
        var training = new Dictionary<string, (double TestMse, double Seconds)>();
        foreach (var job in SurrogateTraining.Jobs)
        {
            int seeds = SurrogateTraining.SeedsOf(job, setup);
            double mse = 0, seconds = 0;
            for (int seed = 1; seed <= seeds; seed++)
            {
                string member = SurrogateTraining.MemberName(job.Name, seed, seeds);
                string config = SurrogateTraining.WriteConfig(models, job, m1Data, m2Data, setup, seed);
                ctx.Timings.Time(Name, "train-" + member, () => ctx.RunTool(ctx.Trainer, [config], folder, "train-" + member));
                var report = SurrogateTraining.ReadReport(Path.Combine(models, member + "-report.json"));
                training[member] = report;
                (mse, seconds) = (mse + report.TestMse / seeds, seconds + report.Seconds);
            }

            if (seeds > 1)
            {
                training[job.Name + $" ({seeds} seeds: mean test MSE, total seconds)"] = (mse, seconds);
            }
        }

        // The neural runs cover the strain range the FD-HMM M2 reference reached, with its step size.
        var reached = setup with
        {
            Steps = Math.Max(1, m2.StepsCompleted),
            FinalAxialStrain = m2.AxialStrain[^1],
        };
        var screening = new List<(string Member, int Steps, bool Selected)>();
        foreach (var stem in new[] { "transfer", "scratch" })
        {
            screening.AddRange(ScreenSeeds(ctx, folder, cases, models, stem, NetworkRole.Stress, reached, setup));
            screening.AddRange(ScreenSeeds(ctx, folder, cases, models, stem, NetworkRole.Tangent, reached, setup));
        }

        var neural = new List<(FemRun Run, double Seconds)>();
        foreach (var (name, stem, tangent, label) in NeuralRuns)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            RunNeuralCase(ctx, folder, cases, name, $"nn1-{stem}", $"nn2-{stem}", tangent, reached, setup);
            double seconds = watch.Elapsed.TotalSeconds;
            ctx.Timings.Record(new StageTiming(Name, name, seconds, DateTime.UtcNow));
            neural.Add((FemRun.Read(label, Path.Combine(folder, name), reached.Steps, reached.FinalAxialStrain, required: false), seconds));
        }

        ctx.Timings.Time(Name, "figures", () => Report(folder, setup, m1, m2, neural, training, screening));
    }

    /// <summary>
    /// Writes and runs the neural FEM case NAME with the networks <c>models/NN1.json</c> and <c>models/NN2.json</c>: the same
    /// BVP and tolerances as the FD-HMM M2 reference, with the set-up's method for the tangent kind.
    /// </summary>
    private static void RunNeuralCase(ExperimentContext ctx, string folder, string cases, string name, string nn1, string nn2, string tangent,
        MultiscaleSetup reached, MultiscaleSetup setup)
    {
        string casePath = Path.Combine(cases, name + ".yaml");
        string material = BiaxialCase.NeuralMaterial($"../models/{nn1}.json", $"../models/{nn2}.json", tangent, setup);
        BiaxialCase.Write(casePath, name, reached, material, setup.ToleranceOf("M2"), setup.MethodFor(tangent));
        RunCase(ctx, casePath, folder, name);
    }

    /// <summary>
    /// With several seeds of a network, screens each seed on the BVP itself (the case's own tolerances; no reference data
    /// is used) and writes <c>nn1-STEM.json</c> or <c>nn2-STEM.json</c>, the ensemble of the seeds whose run completes every
    /// step, or of all seeds when none does (said on the console and in the summary). NN1 seeds run alone with their exact
    /// Jacobian as the tangent (NN2 is not evaluated then; seed 1's file fills the case); NN2 seeds run with the screened
    /// NN1 ensemble and NN2 as the tangent, as in the nn2 runs, so NN1 is screened first.
    /// </summary>
    private static List<(string Member, int Steps, bool Selected)> ScreenSeeds(ExperimentContext ctx, string folder, string cases, string models,
        string stem, NetworkRole role, MultiscaleSetup reached, MultiscaleSetup setup)
    {
        bool stress = role == NetworkRole.Stress;
        string network = stress ? "nn1" : "nn2";
        int seeds = stress ? setup.StressSeeds : setup.TangentSeeds;
        var rows = new List<(string Member, int Steps, bool Selected)>();
        if (seeds == 1)
        {
            return rows;
        }

        for (int seed = 1; seed <= seeds; seed++)
        {
            string member = SurrogateTraining.MemberName($"{network}-{stem}", seed, seeds);
            string name = $"screen-{member}";
            string nn1 = stress ? member : $"nn1-{stem}";
            string nn2 = stress ? SurrogateTraining.MemberName($"nn2-{stem}", 1, setup.TangentSeeds) : member;
            RunNeuralCase(ctx, folder, cases, name, nn1, nn2, stress ? "consistent" : "approximate", reached, setup);
            var run = FemRun.Read(member, Path.Combine(folder, name), reached.Steps, reached.FinalAxialStrain, required: false);
            rows.Add((member, run.StepsCompleted, run.StepsCompleted == reached.Steps));
        }

        if (!rows.Any(r => r.Selected))
        {
            Console.Error.WriteLine($"  {network}-{stem}: no seed completes the BVP; the neural runs use the mean of all {seeds} seeds");
            rows = [.. rows.Select(r => r with { Selected = true })];
        }

        new NeuralEnsembleFile { Role = role, Members = [.. rows.Where(r => r.Selected).Select(r => r.Member + ".json")] }
            .Save(Path.Combine(models, $"{network}-{stem}.json"));
        return rows;
    }

    /// <summary>Runs (or reuses) the FD-HMM case of one preset and reads its folder; only a run made here records its wall time (stage fdhmm-m1/-m2).</summary>
    private static FemRun Fdhmm(ExperimentContext ctx, MultiscaleSetup setup, string folder, string cases, string preset, string variable)
    {
        string label = $"FD-HMM {preset}";
        string? given = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            Console.Error.WriteLine($"  using the FD-HMM {preset} results in '{given}' ({variable})");
            return FemRun.Read(label, Path.GetFullPath(given), setup.Steps, setup.FinalAxialStrain);
        }

        string name = "fdhmm-" + preset.ToLowerInvariant();
        string casePath = Path.Combine(cases, name + ".yaml");
        string output = Path.Combine(folder, name);
        BiaxialCase.Write(casePath, name, setup, BiaxialCase.DemMaterial(preset, setup), setup.ToleranceOf(preset));
        string marker = Path.Combine(output, CompletedMarker);
        if (File.Exists(marker) && File.ReadAllText(marker) == File.ReadAllText(casePath))
        {
            Console.Error.WriteLine($"  reusing the FD-HMM {preset} run in '{output}' (same case; delete the folder to run it again)");
        }
        else
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            ctx.Timings.Time("multiscale", name, () => RunCase(ctx, casePath, folder, name));
            File.Copy(casePath, marker, overwrite: true);
        }

        return FemRun.Read(label, output, setup.Steps, setup.FinalAxialStrain);
    }

    /// <summary>
    /// Runs <c>femhost run CASE</c>. A run that stops early (an increment failed after every cut-back, exit code 3)
    /// keeps its completed steps and is compared over them; the summary says so.
    /// </summary>
    private static void RunCase(ExperimentContext ctx, string casePath, string folder, string name)
    {
        try
        {
            ctx.RunTool(ctx.FemHost, ["run", casePath, "--output", Path.Combine(folder, name), "--quiet"], folder, name);
        }
        catch (ExperimentException e) when (e.Message.Contains("exited with code 3", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"  {name}: stopped before the last step (an increment failed after every cut-back); comparing the steps it completed");
        }
    }

    /// <summary>Figures, comparison.json and summary.md.</summary>
    private static void Report(string folder, MultiscaleSetup setup, FemRun m1, FemRun m2, List<(FemRun Run, double Seconds)> neural,
        Dictionary<string, (double TestMse, double Seconds)> training, List<(string Member, int Steps, bool Selected)> screening)
    {
        var jacobian = neural.Where(n => n.Run.Folder.EndsWith("jacobian", StringComparison.Ordinal) && n.Run.StepsCompleted > 0).Select(n => n.Run).ToList();
        MultiscaleFigures.Responses(Path.Combine(folder, "fig19-responses.png"), [m2, m1, .. neural.Select(n => n.Run)]);
        var strains = setup.ContourStrains.Where(e => e <= m2.AxialStrain[^1] + 1e-9).DefaultIfEmpty(m2.AxialStrain[^1]).ToList();
        MultiscaleFigures.Contours(Path.Combine(folder, "fig17-deviatoric-strain.png"), [m2, .. jacobian], "eps_q", "ε_q", strains);
        MultiscaleFigures.Contours(Path.Combine(folder, "fig18-stress-norm.png"), [m2, .. jacobian], "stress_norm", "√(σ:σ) (kPa)", [m2.AxialStrain[^1]]);
        MultiscaleFigures.PrincipalPaths(Path.Combine(folder, "fig20-principal-paths.png"), [m2, .. jacobian], setup.TracedPoints);

        double peak = m2.TopForce.Where(double.IsFinite).Max();
        var c = CultureInfo.InvariantCulture;
        var runs = new JsonArray();
        foreach (var (run, seconds) in neural)
        {
            var (forceRms, forcePoints) = CurveComparison.RmsError(m2.AxialStrain[1..], m2.TopForce[1..], run.AxialStrain[1..], run.TopForce[1..]);
            var (volumeRms, _) = CurveComparison.RmsError(m2.AxialStrain[1..], m2.VolumetricStrain[1..], run.AxialStrain[1..], run.VolumetricStrain[1..]);
            runs.Add(new JsonObject
            {
                ["name"] = Path.GetFileName(run.Folder),
                ["label"] = run.Label,
                ["steps"] = run.StepCount,
                ["steps_completed"] = run.StepsCompleted,
                ["final_axial_strain"] = run.AxialStrain[^1],
                ["force_rms_kN_per_m"] = Finite(forceRms),
                ["force_rms_relative_to_peak"] = Finite(forceRms / peak),
                ["force_points_compared"] = forcePoints,
                ["volumetric_strain_rms"] = Finite(volumeRms),
                ["newton_iterations_per_step"] = Finite(run.NewtonPerStep.Count == 0 ? double.NaN : run.NewtonPerStep.Average(s => s.Iterations)),
                ["seconds"] = seconds,
            });
        }

        var comparison = new JsonObject
        {
            ["mode_setup"] = JsonSerializer.SerializeToNode(setup),
            ["fdhmm"] = new JsonArray([.. new[] { m1, m2 }.Select(r => (JsonNode)new JsonObject
            {
                ["label"] = r.Label,
                ["folder"] = r.Folder,
                ["steps"] = r.StepCount,
                ["steps_completed"] = r.StepsCompleted,
                ["final_axial_strain"] = r.AxialStrain[^1],
                ["peak_force_kN_per_m"] = r.TopForce.Where(double.IsFinite).Max(),
                ["peak_axial_strain"] = r.AxialStrain[Array.IndexOf(r.TopForce, r.TopForce.Where(double.IsFinite).Max())],
                ["final_force_kN_per_m"] = r.TopForce[^1],
                ["final_volumetric_strain"] = r.VolumetricStrain[^1],
                ["newton_iterations_per_step"] = Finite(r.NewtonPerStep.Count == 0 ? double.NaN : r.NewtonPerStep.Average(s => s.Iterations)),
            })]),
            ["training"] = new JsonObject([.. training.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonObject
            {
                ["test_mse"] = Finite(t.Value.TestMse),
                ["seconds"] = t.Value.Seconds,
            }))]),
            ["neural_fem"] = runs,
            ["seed_screening"] = new JsonArray([.. screening.Select(r => (JsonNode)new JsonObject
            {
                ["member"] = r.Member,
                ["steps_completed"] = r.Steps,
                ["in_ensemble"] = r.Selected,
            })]),
        };
        File.WriteAllText(Path.Combine(folder, "comparison.json"), comparison.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine("# Multiscale, cross-material: FD-HMM vs neural FEM (paper §5.3)");
        md.AppendLine();
        md.AppendLine(string.Create(c, $"Biaxial shear, {setup.ElementsX} × {setup.ElementsY} Q8 ({setup.GaussPoints} Gauss points), RVEs of {setup.Particles} disks, " +
            $"{setup.Steps} steps to {100 * setup.FinalAxialStrain:0.##} % axial strain; NN1/NN2 trained on {setup.TargetPaths} M2 Gauss-point histories."));
        md.AppendLine();
        md.AppendLine("| FD-HMM run | steps completed | peak force (kN/m) at ε_a | final force (kN/m) | final ε_v | Newton it./step |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in comparison["fdhmm"]!.AsArray())
        {
            md.AppendLine(string.Create(c, $"| {r!["label"]} | {r["steps_completed"]}/{r["steps"]} ({100 * (double)r["final_axial_strain"]!:0.##} %) | " +
                $"{(double)r["peak_force_kN_per_m"]!:F1} at {100 * (double)r["peak_axial_strain"]!:0.##} % | {(double)r["final_force_kN_per_m"]!:F1} | " +
                $"{100 * (double)r["final_volumetric_strain"]!:+0.00;-0.00} % | {Text(r["newton_iterations_per_step"], "F1")} |"));
        }

        md.AppendLine();
        md.AppendLine("| training | test MSE (physical units) | seconds |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var (name, (mse, seconds)) in training)
        {
            md.AppendLine(string.Create(c, $"| {name} | {mse:G4} | {seconds:F1} |"));
        }

        if (screening.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Seed screening on the BVP: each NN1 seed alone with its exact Jacobian, then each NN2 seed as the tangent of the screened NN1 " +
                "ensemble; the neural runs use the mean of the seeds marked (all of a network's seeds when none completes):");
            md.AppendLine();
            md.AppendLine("| seed | steps completed | in the ensemble |");
            md.AppendLine("| --- | --- | --- |");
            foreach (var (member, steps, selected) in screening)
            {
                md.AppendLine(string.Create(c, $"| {member} | {steps}/{Math.Max(1, m2.StepsCompleted)} | {(selected ? "yes" : "no")} |"));
            }
        }

        md.AppendLine();
        md.AppendLine(string.Create(c, $"Neural FEM against FD-HMM M2 (peak force {peak:F1} kN/m), RMS over the FD-HMM steps both runs reached:"));
        md.AppendLine();
        md.AppendLine("| neural FEM run | steps completed | RMS force (kN/m) | RMS force / peak | RMS ε_v (%) | Newton it./step | seconds |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in runs)
        {
            md.AppendLine(string.Create(c, $"| {r!["label"]} | {r["steps_completed"]}/{r["steps"]} | {Text(r["force_rms_kN_per_m"], "F2")} | " +
                $"{Text(r["force_rms_relative_to_peak"], "P1")} | {Text(r["volumetric_strain_rms"], "0.000", 100)} | {Text(r["newton_iterations_per_step"], "F1")} | {(double)r["seconds"]!:F1} |"));
        }

        md.AppendLine();
        md.AppendLine("Labels: \"transfer\" = NN1/NN2 pre-trained on the whole M1 log, then fine-tuned on the M2 budget (paper Case 2); " +
            "\"M2 only\" = trained on the same M2 budget from scratch (Case 3); \"jacobian\" = exact derivative of NN1 as the tangent, " +
            "\"nn2\" = NN2 as the tangent (the paper's choice). Newton iterations per step include every increment of a step after cut-backs.");
        md.AppendLine();
        md.AppendLine("Figures: `fig19-responses.png` (Fig. 19), `fig17-deviatoric-strain.png` (Fig. 17), `fig18-stress-norm.png` (Fig. 18), " +
            "`fig20-principal-paths.png` (Fig. 20). Data: `comparison.json`, each run's folder (curves.csv, newton.csv, .vtu, points-all.csv).");
        File.WriteAllText(Path.Combine(folder, "summary.md"), md.ToString());
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Text(JsonNode? node, string format, double scale = 1) =>
        node is null ? "n/a" : (scale * node.GetValue<double>()).ToString(format, CultureInfo.InvariantCulture);
}
