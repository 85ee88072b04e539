using System.Diagnostics;
using System.Globalization;
using FemHost.Cases;
using FemHost.Fem;
using FemHost.Fem.Solution;
using FemHost.Output;
using FemHost.Plugins;

namespace FemHost.Cli;

/// <summary>`femhost run CASE.yaml`: solves a case and writes its results, with a live progress line.</summary>
public static class RunCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: femhost run CASE.yaml [--output DIR] [--resume] [--plugin-dir DIR]... [--quiet]

        Solves the boundary value problem of a case file (schema: docs/cases.md): Q8 plane strain,
        Newton–Raphson with load stepping and automatic cut-back, PARDISO or the managed sparse solver
        (the log names the one used). While it runs, a progress line shows the step, load factor,
        Newton iterations with the relative residual of each (the convergence rate shows) and the
        estimated time left; a summary ends the run.

        Writes into the case's output folder (output.folder, default results/NAME next to the case, or
        --output): curves.csv (one row per step), newton.csv (residual and
        correction of every Newton iteration), NAME_NNNN.vtu and NAME.pvd
        (open the .pvd in ParaView; Gauss-point fields are extrapolated to the nodes and averaged per
        cell), PNG plots of the curves, and checkpoint.femhost, the whole state of the run, every
        output.checkpoint_every steps (default 10), after the last step and when the run stops
        (docs/checkpoints.md). The run holds a lock on the folder (a second run on it is refused) and
        writes into FOLDER.partial beside it, which replaces the folder only when the run ends with its
        files complete: a crash, a kill or a full disk leave the previous results untouched and this
        run's results and last checkpoint in FOLDER.partial (--resume continues there). Exit codes: 0 done, 2 bad input (or a checkpoint that cannot be resumed),
        3 the run stopped because an increment failed after every allowed cut-back, a plug-in failed
        outside Integrate (the last converged state is written) or the disk is full, 1 internal error.

        Options:
          --output DIR       write the results to DIR instead of the case's output folder (any path: a
                             case file itself may only name folders below its own)
          --resume           continue from the checkpoint in the output folder: outputs are rewritten to
                             the checkpoint's state and continued, so a killed run ends with the files of
                             an uninterrupted one; refused (exit 2) for another case or host version
          --plugin-dir DIR   also search DIR for plug-ins (repeatable; searched first)
          --quiet            no progress line, only the summary
        """;

    /// <summary>Runs the verb.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = CommandArguments.Parse("run", args, ["--plugin-dir", "--output"], ["--quiet", "--resume"]);
        var definition = CaseReader.Load(a.Single("the case file"));
        if (a.Values("--output") is [.., var folder])
        {
            definition = definition with { Output = definition.Output with { Folder = Path.GetFullPath(folder), Where = SourceLocation.None } };
        }

        var catalog = PluginCatalog.Discover(a.Values("--plugin-dir"));
        catalog.WarnAboutShadowing(definition.Materials.Select(m => m.Model), output);
        bool quiet = a.Flag("--quiet");
        bool live = !quiet && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var clock = Stopwatch.StartNew();
        output.WriteLine($"case '{definition.Name}': {definition.Steps.Count} step(s), output to {definition.Output.Folder} (written in {ResultFolder.StagingOf(definition.Output.Folder)} until the run ends)");

        double? startLambda = null;
        void Progress(IncrementReport r)
        {
            // A resumed run starts at the checkpoint's λ: the rate is measured from there.
            startLambda ??= r.Lambda - r.DeltaLambda;
            if (quiet || (!live && !r.StepCompleted))
            {
                return;
            }

            var left = TimeLeft(clock.Elapsed, startLambda.Value, r.Lambda);
            var residuals = string.Join(" ", r.Result.History.Select(h => h.Residual.ToString("0.0E+0", CultureInfo.InvariantCulture)));
            var line = $"step {r.Step}/{r.StepCount}  λ = {r.Lambda:F4}  iterations {r.Result.Iterations}  residuals {residuals}  " +
                $"elapsed {clock.Elapsed:hh\\:mm\\:ss}  left {left:hh\\:mm\\:ss}";
            if (live)
            {
                output.Write("\r" + line.PadRight(100));
            }
            else
            {
                output.WriteLine(line);
            }
        }

        void Rejected(int step, double next, string reason)
        {
            if (!quiet)
            {
                output.WriteLine($"{(live ? "\n" : "")}step {step}: increment rejected ({reason}); retrying with Δλ = {next:G4}");
            }
        }

        var summary = Simulation.Run(definition, catalog.Get, output, Progress, Rejected, resume: a.Flag("--resume"));
        if (live)
        {
            output.WriteLine();
        }

        var r = summary.Result;
        output.WriteLine($"{(r.Completed ? "completed" : "STOPPED")}: {r.StepsCompleted}/{definition.Steps.Count} steps, λ = {r.Lambda:G6}, " +
            $"{r.Increments} increments, {r.Iterations} {(definition.Solver.Method == NonlinearMethod.Bfgs ? "quasi-Newton (BFGS)" : "Newton")} iterations, {r.Cutbacks} cut-backs, {summary.Degrees} equations, " +
            $"{summary.Elapsed.TotalSeconds:F1} s with {summary.LinearSolver}");
        output.WriteLine($"results: {summary.Folder}");
        if (!r.Completed)
        {
            output.WriteLine($"reason: {r.StopReason}");
            return 3;
        }

        return 0;
    }

    /// <summary>
    /// Time left at the rate of this process: <paramref name="elapsed"/> took λ from <paramref name="startLambda"/>
    /// (0, or the checkpoint's λ of a resumed run) to <paramref name="lambda"/>; λ = 1 ends the run.
    /// </summary>
    internal static TimeSpan TimeLeft(TimeSpan elapsed, double startLambda, double lambda) =>
        lambda > startLambda ? elapsed * ((1 - lambda) / (lambda - startLambda)) : TimeSpan.Zero;
}
