using System.Diagnostics;
using System.Text.Json.Nodes;
using FemHost.Materials.DhModel;
using FemHost.Materials.NeuralSurrogate;
using FemHost.MaterialSdk;
using FemHost.NeuralBench;
using FemHost.NeuralTrainer;

// femhost-neural-bench [OUTDIR]: (1) generates 288 DH Gauss-point paths × 100 steps (the paper's BVP data
// size, ~29 000 samples), (2) trains NN1 [5-5-5-3] to early stop (paper: 16.4 min), (3) measures managed
// inference at a batch of 288 points (target ≥ 5 million points/s per core). Writes bench.json.
// With --inference-only, steps (1)-(2) are skipped and OUTDIR/nn1.json from an earlier run is timed.
// With --nnfem, only the NN-FEM biaxial runs are timed with the Release host (artifacts/femhost/femhost.dll,
// best of 3) and compared with the DH run: writes nnfem.json (run from the repository root).
bool inferenceOnly = args.Contains("--inference-only");
bool nnfemOnly = args.Contains("--nnfem");
var outDir = Path.GetFullPath(args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "results/neural-bench");
var nn1File = Path.Combine(outDir, "nn1.json");
Directory.CreateDirectory(outDir);
var report = new JsonObject
{
    ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
    ["started_utc"] = DateTime.UtcNow.ToString("O"),
    ["load_average_at_start"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
};
if (nnfemOnly)
{
    report["nnfem"] = NnFemRuns.Run(Path.GetFullPath("artifacts/femhost/femhost.dll"),
        ["experiments/neural/biaxial-nn.yaml", "experiments/neural/biaxial-nn2.yaml"], outDir, "cases/results/biaxial-dh/curves.csv", repeats: 3);
    report["load_average_at_end"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
    File.WriteAllText(Path.Combine(outDir, "nnfem.json"), report.ToJsonString(TrainerConfig.JsonOptions));
    Console.WriteLine($"written {Path.Combine(outDir, "nnfem.json")}");
    return;
}

if (!inferenceOnly)
{
    Train();
}

var net = NeuralModelFile.Load(nn1File).ToNetwork(nn1File);
const int batch = 288;
var x = SampleInputs(batch);
var y = new double[batch * 3];
var j = new double[batch * 15];
// Points per second of wall time and of process CPU time: on a shared, oversubscribed machine the CPU-time
// rate is the meaningful per-core figure (the wall-time one counts the time the thread waited for a core).
(double Wall, double Cpu) Rate(Action call)
{
    call();
    int reps = 0;
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    while (sw.ElapsedMilliseconds < 2000)
    {
        call();
        reps++;
    }

    double wall = sw.Elapsed.TotalSeconds;
    process.Refresh();
    double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
    return (reps * (double)batch / wall, reps * (double)batch / cpu);
}

var forward = Rate(() => net.Evaluate(x, y, batch));
var jacobian = Rate(() => net.EvaluateWithJacobian(x, y, j, batch));
var plugin = new NeuralSurrogatePlugin();
using var material = plugin.Create(MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?> { ["nn1_model"] = nn1File }), ModellingHypothesis.PlaneStrain);
var strain = new double[batch * 4];
var dstrain = Enumerable.Range(0, batch * 4).Select(i => i % 4 == 2 ? 0 : 1e-4 * ((i % 7) - 3)).ToArray();
var sOld = new double[batch * 4];
int m = plugin.Metadata.StateSize;
var stOld = new double[batch * m];
var (s, st, d, status) = (new double[batch * 4], new double[batch * m], new double[batch * 16], new PointStatus[batch]);
var pluginRate = Rate(() => material.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, batch, m, 0, 1, TangentKind.Consistent,
    Enumerable.Range(0, batch).ToArray(), new double[batch * 2], strain, dstrain, sOld, stOld, s, st, d, status)));
report["inference_points_per_second_one_thread"] = new JsonObject
{
    ["batch"] = batch,
    ["nn1_forward"] = new JsonObject { ["per_wall_second"] = forward.Wall, ["per_cpu_second"] = forward.Cpu },
    ["nn1_forward_and_jacobian"] = new JsonObject { ["per_wall_second"] = jacobian.Wall, ["per_cpu_second"] = jacobian.Cpu },
    ["plugin_integrate_consistent"] = new JsonObject { ["per_wall_second"] = pluginRate.Wall, ["per_cpu_second"] = pluginRate.Cpu },
};
Console.WriteLine($"managed inference, batch {batch}, one thread, M points per wall s / per CPU s: forward {forward.Wall / 1e6:F2} / {forward.Cpu / 1e6:F2}, "
    + $"forward+Jacobian {jacobian.Wall / 1e6:F2} / {jacobian.Cpu / 1e6:F2}, plug-in Integrate (Consistent) {pluginRate.Wall / 1e6:F2} / {pluginRate.Cpu / 1e6:F2}");
report["load_average_at_end"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
File.WriteAllText(Path.Combine(outDir, "bench.json"), report.ToJsonString(TrainerConfig.JsonOptions));
Console.WriteLine($"written {Path.Combine(outDir, "bench.json")}");

void Train()
{
    var clock = Stopwatch.StartNew();
    var data = GaussPointPaths.Generate(new DhModelPlugin(), paths: 288, steps: 100, seed: 1);
    var csv = Path.Combine(outDir, "dh-gauss-points.csv");
    data.Write(csv);
    report["data"] = new JsonObject { ["paths"] = data.Paths.Count, ["rows"] = data.RowCount, ["seconds"] = clock.Elapsed.TotalSeconds, ["file"] = csv };
    Console.WriteLine($"data: {data.Paths.Count} paths, {data.RowCount} rows in {clock.Elapsed.TotalSeconds:F1} s");

    string[] inputs = [.. Feature.DefaultInputs], outputs = [.. Feature.DefaultStressOutputs];
    var arch = new Architecture(NetworkKind.Mlp, 5, 3, [5, 5], new NetworkConfig());
    var table = SampleTable.FromDataset(data, inputs, outputs);
    var split = PathSplit.ByPath(table.PathIds, 0.7, 0.15, seed: 1);
    var options = new TrainingOptions { Epochs = 3000, BatchSize = 256, LearningRate = 0.01, Patience = 60, LearningRateDecay = 0.5, DecayPatience = 20, MinLearningRate = 1e-4, Seed = 1 };
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var (model, fit) = TransferLearning.Train(arch, table.Subset(split.Train), table.Subset(split.Validation), options,
        progress: new Progress<EpochRecord>(e => { if (e.Epoch % 50 == 0) Console.WriteLine($"  epoch {e.Epoch}: train {e.TrainLoss:E3} validation {e.ValidationLoss:E3} lr {e.LearningRate:G3}"); }));
    var test = model.Mse(table.Subset(split.Test));
    report["nn1_training"] = new JsonObject
    {
        ["samples_train"] = table.Subset(split.Train).Count,
        ["options"] = System.Text.Json.JsonSerializer.SerializeToNode(options, TrainerConfig.JsonOptions),
        ["epochs_run"] = fit.Epochs.Count,
        ["best_epoch"] = fit.BestEpoch,
        ["stopped_early"] = fit.StoppedEarly,
        ["seconds"] = fit.Seconds,
        ["test_mse_kpa2"] = test.Mean,
        ["test_rmse_kpa"] = Math.Sqrt(test.Mean),
    };
    Console.WriteLine($"NN1: {fit.Epochs.Count} epochs (best {fit.BestEpoch}, early stop {fit.StoppedEarly}) in {fit.Seconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds:F1} s CPU; test RMSE {Math.Sqrt(test.Mean):F2} kPa");

    var trained = new SurrogateNetwork(((MlpModule)model.Module).ToManaged(), Feature.ParseAll(inputs), Feature.ParseAll(outputs), model.InputScaling, model.OutputScaling);
    NeuralModelFile.From(trained, NetworkRole.Stress, new JsonObject { ["bench"] = "femhost-neural-bench" }).Save(nn1File);
}

// Inputs within the data range: ε11, ε22, γ12 in [−0.12, 0.06] along the paths, φ = |ε|.
static double[] SampleInputs(int count)
{
    var rng = new Random(3);
    var x = new double[count * 5];
    for (int p = 0; p < count; p++)
    {
        double t = rng.NextDouble(), e11 = -0.12 * t, e22 = 0.04 * t * (rng.NextDouble() - 0.2), g12 = 0.03 * t * (rng.NextDouble() - 0.5);
        x[p * 5 + 0] = e11;
        x[p * 5 + 1] = e22;
        x[p * 5 + 2] = g12;
        x[p * 5 + 3] = Math.Abs(e11);
        x[p * 5 + 4] = Math.Abs(e22);
    }

    return x;
}
