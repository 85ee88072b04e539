using System.Diagnostics;
using FemHost.Cases;
using FemHost.Checkpoints;
using FemHost.Fem.Assembly;
using FemHost.Fem.Meshes;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.LinearAlgebra;
using FemHost.MaterialSdk;
using FemHost.Output;
using FemHost.Plugins;

namespace FemHost.Fem;

/// <summary>What a finished (or stopped) run reports.</summary>
/// <param name="Result">Steps, increments, iterations, cut-backs and the stop reason.</param>
/// <param name="LinearSolver">Name of the linear solver used.</param>
/// <param name="Elapsed">Wall time of the solution phase.</param>
/// <param name="Files">Files written besides the per-step fields.</param>
/// <param name="Degrees">Number of equations.</param>
/// <param name="Folder">Where the results are: the output folder, or for a run stopped by a full disk its staging folder.</param>
public sealed record SimulationSummary(RunResult Result, string LinearSolver, TimeSpan Elapsed, IReadOnlyList<string> Files, int Degrees, string Folder);

/// <summary>
/// Runs one case end to end: model, assembler, linear solver, Newton–Raphson with load stepping, the result
/// files and the checkpoint (docs/checkpoints.md), or continues a run from its checkpoint. The CLI's `run`
/// verb is a thin shell around this class.
/// </summary>
public static class Simulation
{
    /// <summary>Runs <paramref name="c"/>; <paramref name="progress"/> sees every converged increment.</summary>
    /// <param name="c">The case.</param>
    /// <param name="plugins">Looks a plug-in up by material model name.</param>
    /// <param name="log">Receives the solver line, the checkpoint lines and the resume line.</param>
    /// <param name="progress">Called after every converged increment.</param>
    /// <param name="rejected">Called after every rejected increment (step, next Δλ, reason).</param>
    /// <param name="resume">Continue from the checkpoint in the output folder instead of starting at λ = 0.</param>
    /// <exception cref="UserInputException">A bad case, a case too large for the memory, or a checkpoint that cannot be resumed.</exception>
    /// <exception cref="PluginCallException">A plug-in threw in Initialize or LoadCheckpoint.</exception>
    public static SimulationSummary Run(CaseDefinition c, Func<string, SourceLocation, IMaterialPlugin> plugins, TextWriter log,
        Action<IncrementReport>? progress = null, Action<int, double, string>? rejected = null, bool resume = false)
    {
        // A rectangle's size is known before it is generated: an oversized one is refused before it is allocated.
        if (c.Mesh.Rectangle is { } rectangle)
        {
            MemoryBudget.Check(c, MeshSize.Of(rectangle), plugins, log);
        }

        // The output folder is locked for this run and written beside the previous results; a checkpoint that
        // cannot be resumed is refused before anything is built.
        using var folder = ResultFolder.Open(c.Output.Folder, c.Output.Where, resume);
        string hash = CaseFingerprint.Of(c), checkpointPath = CheckpointFile.PathIn(folder.Staging);
        var checkpoint = resume ? CheckpointFile.Read(checkpointPath, hash, CheckpointState.HostVersion, CheckpointState.SdkVersion) : null;

        var mesh = ModelBuilder.LoadMesh(c.Mesh);
        if (c.Mesh.Rectangle is null)
        {
            MemoryBudget.Check(c, MeshSize.Of(mesh), plugins, log);
        }

        using var model = ModelBuilder.Build(c, plugins, mesh);
        ModelBuilder.CheckRigidBodyModesRestrained(c, model);
        using var linear = SparseSolverFactory.Create(c.Solver.Linear, c.Solver.Threads, log);
        var assembler = new Assembler(model, c.Solver.Threads);
        var newton = new NewtonSolver(model, assembler, linear, c.Solver);
        if (checkpoint is not null)
        {
            CheckpointState.Restore(checkpoint, newton, checkpointPath);
            log.WriteLine($"resuming from {checkpointPath}: step {checkpoint.Stepper.StepsCompleted(c.Steps.Count)}/{c.Steps.Count} completed, λ = {checkpoint.Stepper.Lambda:G6}");
        }

        var writer = new ResultWriter(c, model, folder.Staging, checkpoint?.Output);
        var stepper = new LoadStepper(newton, c.Steps);
        void Save(string why)
        {
            var clock = Stopwatch.StartNew();
            long size = CheckpointFile.Write(checkpointPath, CheckpointState.Capture(hash, stepper.Converged, newton, writer.Cursor()));
            log.WriteLine($"checkpoint ({why}): {checkpointPath}, {size / 1024.0:F0} KiB in {clock.Elapsed.TotalSeconds:F2} s");
        }

        stepper.IncrementConverged += r =>
        {
            folder.Written = true;
            writer.IncrementConverged(r);
            if (r.StepCompleted)
            {
                writer.StepCompleted(r, newton);
                if (r.Step % c.Output.CheckpointEvery == 0 || r.Step == r.StepCount)
                {
                    Save($"step {r.Step}");
                }
            }

            progress?.Invoke(r);
        };
        if (rejected is not null)
        {
            stepper.IncrementRejected += rejected;
        }

        var solveClock = Stopwatch.StartNew();
        RunResult result;
        IReadOnlyList<string> plots;
        try
        {
            (result, plots) = Solve(c, stepper, checkpoint?.Stepper, newton, writer, checkpointPath, Save);
            writer.Dispose(); // completes the point log before the folder is swapped in
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            // Nothing more can be written: the previous results stay in place, this run's stay where they are.
            try
            {
                writer.Dispose();
            }
            catch (IOException again) when (DiskFull.Is(again))
            {
                // The point log stays in its temporary file, with the rows written so far.
            }

            var s = stepper.Converged;
            string last = File.Exists(checkpointPath) ? $"its last checkpoint, {checkpointPath}, is intact: free space and run again with --resume to continue"
                : "it wrote no checkpoint yet: free space and run it again";
            result = new RunResult(false, s.Lambda, s.StepsCompleted(c.Steps.Count), s.Increments, s.Iterations, s.Cutbacks,
                $"{DiskFull.Describe(e)}; the run stopped after λ = {s.Lambda:G6}. The previous results in {folder.Target} are untouched; " +
                $"this run's results so far are in {folder.Staging} and {last}");
            return new SimulationSummary(result, linear.Name, solveClock.Elapsed, [], model.DofCount, folder.Staging);
        }
        finally
        {
            writer.Dispose();
        }

        folder.Commit();
        var files = new List<string> { writer.CurvesPath, writer.NewtonLogPath };
        files.AddRange(plots);
        if (File.Exists(CheckpointFile.PathIn(folder.Target)))
        {
            files.Add(CheckpointFile.PathIn(folder.Target));
        }

        return new SimulationSummary(result, linear.Name, solveClock.Elapsed,
            files.Select(f => Path.Combine(folder.Target, Path.GetFileName(f))).Distinct().ToList(), model.DofCount, folder.Target);
    }

    /// <summary>Runs the load steps and writes the closing files: the plots (returned), and for a stopped run its last fields and checkpoint.</summary>
    private static (RunResult Result, IReadOnlyList<string> Plots) Solve(CaseDefinition c, LoadStepper stepper, StepperState? from, NewtonSolver newton,
        ResultWriter writer, string checkpointPath, Action<string> save)
    {
        RunResult result;
        bool consistent = true;
        try
        {
            result = stepper.Run(from);
        }
        catch (PluginCallException e)
        {
            // A lifecycle call failed: the plug-in's state is unknown, so neither fields nor a checkpoint are written
            // for it; the files of the converged steps and the last checkpoint stay as they are.
            var s = stepper.Converged;
            result = new RunResult(false, s.Lambda, s.StepsCompleted(c.Steps.Count), s.Increments, s.Iterations, s.Cutbacks,
                $"{e.Message}; the run stopped after λ = {s.Lambda:G6} and wrote no checkpoint for the failed call " +
                (File.Exists(checkpointPath) ? $"(the last one, {checkpointPath}, is intact)" : "(there is none yet)"));
            consistent = false;
        }

        var plots = writer.Finish(result, newton, consistent);
        if (!result.Completed && consistent)
        {
            try
            {
                save("stopped");
            }
            catch (PluginCallException e)
            {
                result = result with { StopReason = $"{result.StopReason}; the checkpoint of the stop could not be written: {e.Message}" };
            }
        }

        return (result, plots);
    }
}
