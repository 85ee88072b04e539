using FemHost.Cases;

namespace FemHost.LinearAlgebra;

/// <summary>
/// Chooses the linear solver for a run and says which in the log: PARDISO when MKL loads (or is
/// asked for), otherwise the managed solver.
/// </summary>
public static class SparseSolverFactory
{
    /// <summary>
    /// The MKL threading layer: one thread → sequential (no OpenMP overhead); more → GNU OpenMP.
    /// See docs/benchmarks.md for the measurement behind this choice.
    /// </summary>
    public static MklThreading ThreadingFor(int threads) =>
        (threads > 0 ? threads : Environment.ProcessorCount) == 1 ? MklThreading.Sequential : MklThreading.Gnu;

    /// <summary>
    /// Creates the solver of <paramref name="kind"/> with <paramref name="threads"/> threads (0 = all cores)
    /// and writes one line to <paramref name="log"/> naming it and why it was chosen.
    /// </summary>
    /// <exception cref="UserInputException"><paramref name="kind"/> is Pardiso and MKL cannot be loaded.</exception>
    public static ISparseSolver Create(LinearSolverKind kind, int threads, TextWriter log)
    {
        ISparseSolver solver;
        string why;
        switch (kind)
        {
            case LinearSolverKind.Managed:
                solver = new ManagedSparseSolver(threads);
                why = "as requested";
                break;
            case LinearSolverKind.Pardiso:
                var mkl = MklRuntime.TryLoad(ThreadingFor(threads), out string reason) ?? throw new UserInputException(
                    $"solver.linear is 'pardiso' but Intel MKL cannot be used: {reason}. " +
                    "Run scripts/setup.sh as root to install it, or set solver.linear to 'auto' or 'managed' in the case file.");
                solver = new PardisoSolver(mkl, threads);
                why = "as requested";
                break;
            case LinearSolverKind.Auto:
                var loaded = MklRuntime.TryLoad(ThreadingFor(threads), out string missing);
                solver = loaded is null ? new ManagedSparseSolver(threads) : new PardisoSolver(loaded, threads);
                why = loaded is null ? $"auto, {missing}" : "auto, MKL found";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown linear solver kind");
        }

        log.WriteLine($"linear solver: {solver.Name}; {why}");
        return solver;
    }
}
