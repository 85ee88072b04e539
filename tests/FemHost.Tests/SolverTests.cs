using FemHost.Cases;
using FemHost.LinearAlgebra;
using Xunit;
using static FemHost.Tests.SparseTestMatrices;

namespace FemHost.Tests;

/// <summary>
/// The sparse direct solvers against exact and dense reference solutions. Each managed check has a
/// PARDISO twin, skipped (visibly) where MKL is absent.
/// </summary>
public sealed class SolverTests
{
    /// <summary>SPD: A = [[4,1,0],[1,3,1],[0,1,2]], x = (1, −2, 3) gives b = (2, −2, 4) exactly.</summary>
    private static readonly double[,] Spd = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };

    /// <summary>Symmetric indefinite (eigenvalues of both signs, leading minors 2, −10, 17 nonzero).</summary>
    private static readonly double[,] Indefinite = { { 2, 3, 0, 1 }, { 3, -0.5, 2, 0 }, { 0, 2, 1, 0 }, { 1, 0, 0, -3 } };

    /// <summary>Unsymmetric with an unsymmetric pattern (a_13 ≠ 0 but a_31 = 0).</summary>
    private static readonly double[,] Unsymmetric = { { 5, -1, 2, 0 }, { 2, 4, 0, 1 }, { 0, -3, 6, 0 }, { 1, 0, 1, -4 } };

    [Fact]
    public void Managed_SolvesSmallKnownSystemsToRoundOff() => SmallKnownSystems(new ManagedSparseSolver());

    [PardisoFact]
    public void Pardiso_SolvesSmallKnownSystemsToRoundOff() => SmallKnownSystems(SolverTestMkl.Create());

    [PardisoFact]
    public void Pardiso_UsesCholeskyWhileDefiniteAndFallsBackToIndefinite()
    {
        // Truth: an SPD matrix factorises with mtype 2 (Cholesky); an indefinite one (eigenvalues of both
        // signs) makes Cholesky fail, after which the solver must use mtype −2 and still solve exactly.
        using var solver = SolverTestMkl.Create();
        double[] x3 = [1, -2, 3];
        Assert.True(RelativeError(Solve(solver, FromDense(Spd, upper: true), Multiply(Spd, x3)), x3) < 1e-14);
        Assert.Equal(2, solver.MatrixType);

        double[] x4 = [0.5, -1, 2, 4];
        Assert.True(RelativeError(Solve(solver, FromDense(Indefinite, upper: true), Multiply(Indefinite, x4)), x4) < 1e-13);
        Assert.Equal(-2, solver.MatrixType);
    }

    [Fact]
    public void Managed_MatchesDenseReferenceOnRandomSparseMatrices() => RandomSparseAgainstDense(new ManagedSparseSolver());

    [PardisoFact]
    public void Pardiso_MatchesDenseReferenceOnRandomSparseMatrices() => RandomSparseAgainstDense(SolverTestMkl.Create());

    [Fact]
    public void Managed_SolvesLargeUnsymmetricGridOperatorExactly()
    {
        // Truth: b = A x for a chosen x; the L D U factorisation (wide supernodes, separate L and Uᵀ
        // panels) of a 2 500-equation convection–diffusion operator must return x to round-off.
        var a = GridConvectionDiffusion(50, 3.0);
        var x = RandomVector(a.Size, 21);
        var b = new double[a.Size];
        a.Multiply(x, b);
        using var solver = new ManagedSparseSolver();
        Assert.True(RelativeError(Solve(solver, a, b), x) < 1e-12);
    }

    [Fact]
    public void Managed_TwoThreadsSolveAsExactlyAsOne()
    {
        // Truth: factorising the two halves of the elimination tree concurrently changes only the order
        // of the additions into the top separator, so one and two threads agree to round-off and both
        // recover x from b = A x (symmetric and unsymmetric storage).
        foreach (var a in new[] { GridLaplacian(60), GridConvectionDiffusion(60, 2.0) })
        {
            var x = RandomVector(a.Size, 31);
            var b = new double[a.Size];
            a.Multiply(x, b);
            using var one = new ManagedSparseSolver(1);
            using var two = new ManagedSparseSolver(2);
            var x1 = Solve(one, a, b);
            var x2 = Solve(two, a, b);
            Assert.True(RelativeError(x2, x) < 1e-12);
            Assert.True(RelativeError(x2, x1) < 1e-13);
        }
    }

    [Fact]
    public void Managed_ReportsTheSingularEquation()
    {
        SingularEquationIsNamed(new ManagedSparseSolver(1));
        SingularEquationIsNamed(new ManagedSparseSolver(2));
    }

    [PardisoFact]
    public void Pardiso_ReportsTheSingularEquation() => SingularEquationIsNamed(SolverTestMkl.Create());

    [Fact]
    public void Managed_FloatingStructureIsSingular()
    {
        // Truth: a pure-Neumann Laplacian (free–free bar) has the constant null vector, so some pivot
        // must vanish; the solver must refuse rather than return garbage.
        const int n = 30;
        var a = new double[n, n];
        for (int i = 0; i + 1 < n; i++)
        {
            a[i, i] += 1;
            a[i + 1, i + 1] += 1;
            a[i, i + 1] = a[i + 1, i] = -1;
        }

        using var solver = new ManagedSparseSolver();
        var m = FromDense(a, upper: true);
        solver.Analyze(m);
        var e = Assert.Throws<SingularMatrixException>(() => solver.Factorize(m));
        Assert.InRange(e.Equation, 0, n - 1);
    }

    [Fact]
    public void Managed_ReusesAnalysisAcrossFactorisations() => AnalysisIsReused(new ManagedSparseSolver());

    [PardisoFact]
    public void Pardiso_ReusesAnalysisAcrossFactorisations() => AnalysisIsReused(SolverTestMkl.Create());

    [PardisoFact]
    public void PardisoAndManaged_AgreeToRoundOff()
    {
        // Truth: both are direct solvers of the same well-conditioned systems, so their answers
        // may differ only by round-off (a symmetric grid Laplacian and a random unsymmetric matrix).
        var laplacian = GridLaplacian(40);
        var b = RandomVector(laplacian.Size, 7);
        using (var managed = new ManagedSparseSolver())
        using (var pardiso = SolverTestMkl.Create())
        {
            Assert.True(RelativeError(Solve(managed, laplacian, b), Solve(pardiso, laplacian, b)) < 1e-11);
        }

        var dense = RandomUnsymmetric(400, 6, 8);
        var u = FromDense(dense, upper: false);
        var c = RandomVector(400, 9);
        using (var managed = new ManagedSparseSolver())
        using (var pardiso = SolverTestMkl.Create())
        {
            Assert.True(RelativeError(Solve(managed, u, c), Solve(pardiso, u, c)) < 1e-12);
        }
    }

    [Fact]
    public void NestedDissection_FillGrowsLikeNLogNNotLikeTheBand()
    {
        // Truth (George 1973): nested dissection of an m × m grid gives O(m² log m) fill, while a banded
        // ordering fills the whole band, about m³ entries. Doubling m must multiply the fill by about
        // 4·log(2m)/log(m) ≈ 4.8 (not 8), and at m = 60 it must stay below half the band.
        long Fill(int m)
        {
            var a = GridLaplacian(m);
            using var solver = new ManagedSparseSolver();
            var x = RandomVector(a.Size, 3);
            var b = new double[a.Size];
            a.Multiply(x, b);
            Assert.True(RelativeError(Solve(solver, a, b), x) < 1e-12);
            return solver.FactorNonZeros;
        }

        long coarse = Fill(30), fine = Fill(60);
        Assert.True(fine < 60L * 60 * 60 / 2, $"nnz(L) = {fine}");
        Assert.InRange((double)fine / coarse, 3.5, 6.0);
    }

    [Fact]
    public void Factory_ManagedIsCreatedAndNamedInOneLogLine()
    {
        var log = new StringWriter();
        using var solver = SparseSolverFactory.Create(LinearSolverKind.Managed, 1, log);
        Assert.IsType<ManagedSparseSolver>(solver);
        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("linear solver: managed", line);
    }

    [Fact]
    public void Factory_AutoUsesPardisoExactlyWhenMklLoads()
    {
        // Truth: Auto = PARDISO if MKL loads, else the managed solver, and the log says which and why.
        var log = new StringWriter();
        using var solver = SparseSolverFactory.Create(LinearSolverKind.Auto, 2, log);
        if (SolverTestMkl.Runtime is null)
        {
            Assert.IsType<ManagedSparseSolver>(solver);
            Assert.Contains(SolverTestMkl.Reason, log.ToString());
            Assert.Throws<UserInputException>(() => SparseSolverFactory.Create(LinearSolverKind.Pardiso, 2, TextWriter.Null));
        }
        else
        {
            Assert.IsType<PardisoSolver>(solver);
            Assert.StartsWith("linear solver: MKL PARDISO", log.ToString());
        }
    }

    private static void SmallKnownSystems(ISparseSolver solver)
    {
        using (solver)
        {
            // Truth: b = A x for a chosen x; a direct solver returns x to round-off.
            double[] x3 = [1, -2, 3];
            Assert.True(RelativeError(Solve(solver, FromDense(Spd, upper: true), Multiply(Spd, x3)), x3) < 1e-14);

            double[] x4 = [0.5, -1, 2, 4];
            Assert.True(RelativeError(Solve(solver, FromDense(Indefinite, upper: true), Multiply(Indefinite, x4)), x4) < 1e-13);
            Assert.True(RelativeError(Solve(solver, FromDense(Unsymmetric, upper: false), Multiply(Unsymmetric, x4)), x4) < 1e-13);

            // The same symmetric matrix in full storage takes the unsymmetric path and agrees.
            Assert.True(RelativeError(Solve(solver, FromDense(Indefinite, upper: false), Multiply(Indefinite, x4)), x4) < 1e-13);
        }
    }

    private static void RandomSparseAgainstDense(ISparseSolver solver)
    {
        using (solver)
        {
            // Truth: dense Gaussian elimination with partial pivoting on the same matrix.
            for (int seed = 1; seed <= 3; seed++)
            {
                var spd = RandomSpd(300, 8, seed);
                var b = RandomVector(300, 100 + seed);
                Assert.True(RelativeError(Solve(solver, FromDense(spd, upper: true), b), DenseSolve(spd, b)) < 1e-12);

                var uns = RandomUnsymmetric(300, 5, seed);
                Assert.True(RelativeError(Solve(solver, FromDense(uns, upper: false), b), DenseSolve(uns, b)) < 1e-12);
            }
        }
    }

    private static void SingularEquationIsNamed(ISparseSolver solver)
    {
        using (solver)
        {
            // Truth: equation 3 has no stiffness at all (an unrestrained DOF): its pivot is exactly 0.
            var a = (double[,])RandomSpd(8, 4, 5).Clone();
            for (int j = 0; j < 8; j++)
            {
                a[3, j] = a[j, 3] = 0;
            }

            var m = FromDense(a, upper: true);
            solver.Analyze(m);
            var e = Assert.Throws<SingularMatrixException>(() => solver.Factorize(m));
            Assert.Equal(3, e.Equation);
            Assert.Contains("equation 3", e.Message);
        }
    }

    private static void AnalysisIsReused(ISparseSolver solver)
    {
        using (solver)
        {
            // Truth: with one analysis, refactorising c·A must give x / c (the pattern is unchanged).
            var dense = RandomSpd(200, 6, 11);
            var a = FromDense(dense, upper: true);
            var b = RandomVector(200, 12);
            var x1 = Solve(solver, a, b);
            foreach (double c in new[] { 2.0, -0.25 })
            {
                var scaled = FromDense(dense, upper: true);
                for (int k = 0; k < scaled.NonZeros; k++)
                {
                    a.Values[k] = c * scaled.Values[k];
                }

                solver.Factorize(a);
                var x = new double[200];
                solver.Solve(b, x);
                Assert.True(RelativeError(x.Select(v => v * c).ToArray(), x1) < 1e-13);
            }
        }
    }
}
