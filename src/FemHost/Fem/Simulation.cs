using System.Diagnostics;
using FemHost.Cases;
using FemHost.Fem.Assembly;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.LinearAlgebra;
using FemHost.MaterialSdk;
using FemHost.Output;

namespace FemHost.Fem;

/// <summary>What a finished (or stopped) run reports.</summary>
/// <param name="Result">Steps, increments, iterations, cut-backs and the stop reason.</param>
/// <param name="LinearSolver">Name of the linear solver used.</param>
/// <param name="Elapsed">Wall time of the solution phase.</param>
/// <param name="Files">Files written besides the per-step fields.</param>
/// <param name="Degrees">Number of equations.</param>
public sealed record SimulationSummary(RunResult Result, string LinearSolver, TimeSpan Elapsed, IReadOnlyList<string> Files, int Degrees);

/// <summary>
/// Runs one case end to end: model, assembler, linear solver, Newton–Raphson with load stepping and
/// the result files. The CLI's `run` verb is a thin shell around this class.
/// </summary>
public static class Simulation
{
    /// <summary>Runs <paramref name="c"/>; <paramref name="progress"/> sees every converged increment.</summary>
    public static SimulationSummary Run(CaseDefinition c, Func<string, SourceLocation, IMaterialPlugin> plugins, TextWriter log,
        Action<IncrementReport>? progress = null, Action<int, double, string>? rejected = null)
    {
        using var model = ModelBuilder.Build(c, plugins);
        ModelBuilder.CheckRigidBodyModesRestrained(c, model);
        using var linear = SparseSolverFactory.Create(c.Solver.Linear, c.Solver.Threads, log);
        var assembler = new Assembler(model, c.Solver.Threads);
        var newton = new NewtonSolver(model, assembler, linear, c.Solver);
        using var writer = new ResultWriter(c, model);
        var stepper = new LoadStepper(newton, c.Steps);
        stepper.IncrementConverged += r =>
        {
            writer.IncrementConverged(r);
            if (r.StepCompleted)
            {
                writer.StepCompleted(r, newton);
            }

            progress?.Invoke(r);
        };
        if (rejected is not null)
        {
            stepper.IncrementRejected += rejected;
        }

        var clock = Stopwatch.StartNew();
        var result = stepper.Run();
        var files = new List<string> { writer.CurvesPath, writer.NewtonLogPath };
        files.AddRange(writer.Finish(result, newton));
        return new SimulationSummary(result, linear.Name, clock.Elapsed, files, model.DofCount);
    }
}
