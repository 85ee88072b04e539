using FemHost.LinearAlgebra;
using Xunit;

namespace FemHost.Tests;

/// <summary>
/// A fact that needs Intel MKL: when libmkl_rt.so cannot be loaded the test is reported as skipped
/// with the reason (visible in the test summary), never silently passed.
/// </summary>
public sealed class PardisoFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when MKL is absent.</summary>
    public PardisoFactAttribute()
    {
        if (SolverTestMkl.Runtime is null)
        {
            Skip = $"MKL PARDISO unavailable: {SolverTestMkl.Reason}";
        }
    }
}

/// <summary>The process's MKL binding for tests (loaded once, as the host does).</summary>
internal static class SolverTestMkl
{
    static SolverTestMkl()
    {
        Runtime = MklRuntime.TryLoad(SparseSolverFactory.ThreadingFor(2), out string reason);
        Reason = reason;
    }

    public static MklRuntime? Runtime { get; }

    public static string Reason { get; }

    /// <summary>A PARDISO solver with 2 threads; only call from a <see cref="PardisoFactAttribute"/> test.</summary>
    public static PardisoSolver Create() => new(Runtime ?? throw new InvalidOperationException(Reason), 2);
}
