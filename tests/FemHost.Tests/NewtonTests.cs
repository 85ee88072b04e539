using FemHost.Cases;
using FemHost.Fem.Meshes;
using FemHost.MaterialSdk;
using Xunit;
using static FemHost.Tests.FemTestSupport;

namespace FemHost.Tests;

/// <summary>Step control and robustness of the Newton–Raphson driver, with small test materials.</summary>
public sealed class NewtonTests
{
    private const double E = 1000, Nu = 0.25, P = 10;

    /// <summary>A uniaxial-stress column: base on rollers, one corner pinned, pressure on top (exact in Q8).</summary>
    private static CaseDefinition Column(string model, int steps, int maxCutbacks = 8) =>
        Case(new MeshDefinition { Rectangle = new RectangleMesh(1, 2, 2, 2) }, Material(model), steps,
            displacements: [Fix("bottom", null, 0), Fix("bottom_left", 0, null)], loads: [Pressure("top", P)]) with
        {
            Steps = new StepControl { Count = steps, MaxCutbacks = maxCutbacks },
        };

    /// <summary>
    /// Truth: a point asking for a smaller step makes the driver cut the increment by the ratio given and
    /// try to grow it again after easy increments; the response of an elastic material does not depend on the
    /// path, so the result equals the one-step solution u_y(top) = −p (1 − ν²) H / E, while no accepted
    /// increment exceeded the strain-increment limit the material enforces.
    /// </summary>
    [Fact]
    public void SmallerStepRequestsCutTheIncrementAndGrowthResumes()
    {
        var plugin = new LimitedElasticPlugin(limit: 2e-3);
        using var run = Solve(Column("LimitedElastic", 1), plugins: (_, _) => plugin);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        // Δλ settles near 0.9 × limit / Δε(λ = 1) ≈ 0.19: about 6 increments, not a collapse to tiny steps;
        // after an easy increment the driver tries a 1.5× larger one, which the material may refuse again
        // (at least the first request cuts; the rest of the step is split evenly, so not every growth is refused).
        Assert.InRange(run.Result.Increments, 5, 8);
        Assert.InRange(run.Result.Cutbacks, 1, run.Result.Increments);
        double expected = -P * (1 - Nu * Nu) * 2 / E;
        foreach (int n in run.Model.Mesh.NodeSets["top"])
        {
            Assert.Equal(expected, run.U[2 * n + 1], 12);
        }

        Assert.True(plugin.LargestAccepted <= 2e-3 + 1e-15);
    }

    /// <summary>
    /// Truth: a point that keeps failing exhausts the cut-backs; the run stops cleanly (no exception) with
    /// a reason naming the element, the Gauss point, the material and the plug-in's own message, and keeps
    /// the last converged state.
    /// </summary>
    [Fact]
    public void PersistentFailureStopsCleanlyNamingThePoint()
    {
        var plugin = new FragilePlugin(failAbove: 0.26);
        using var run = Solve(Column("Fragile", 4, maxCutbacks: 3), plugins: (_, _) => plugin);
        Assert.False(run.Result.Completed);
        Assert.Equal(1, run.Result.StepsCompleted);
        Assert.Equal(0.25, run.Result.Lambda, 12);
        Assert.Contains("element", run.Result.StopReason);
        Assert.Contains("Gauss point", run.Result.StopReason);
        Assert.Contains("'Fragile'", run.Result.StopReason);
        Assert.Contains("too much load", run.Result.StopReason);
        Assert.Contains("3 cut-backs", run.Result.StopReason);
    }

    /// <summary>
    /// Truth: for a linear material with an unsymmetric tangent (σ = D ε, D ≠ Dᵀ), Newton's method with the
    /// exact (unsymmetric) global matrix converges in one correction; the driver must detect the
    /// asymmetry and switch the global matrix to full storage to achieve that.
    /// </summary>
    [Fact]
    public void UnsymmetricTangentSwitchesToFullStorageAndStaysQuadratic()
    {
        using var run = Solve(Column("Skewed", 1), plugins: (_, _) => new SkewedElasticPlugin());
        Assert.True(run.Result.Completed, run.Result.StopReason);
        Assert.False(run.Newton.Matrix.IsUpperTriangle);
        Assert.Equal(1, run.Increments.Single().Result.Iterations);
    }

    /// <summary>
    /// Truth: the backtracking line search changes only the path of the iterations, not the equilibrium
    /// reached: with it, the partly plastic cylinder converges to the same displacement (to 1e-9).
    /// </summary>
    [Fact]
    public void LineSearchReachesTheSameEquilibrium()
    {
        var mesh = QuarterRing(1, 2, 6, 2);
        CaseDefinition Cylinder(bool lineSearch) => Case(new MeshDefinition { GaussOrder = 2 },
            Material("VonMises", ("E", 1000.0), ("nu", 0.3), ("sigma_y", 2.4)), 3,
            [Fix("bottom", null, 0), Fix("top", 0, null)], [Pressure("left", 1.8)],
            new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 2, LineSearch = lineSearch });
        using var plain = Solve(Cylinder(false), mesh);
        using var searched = Solve(Cylinder(true), mesh);
        Assert.True(plain.Result.Completed && searched.Result.Completed);
        double scale = plain.U.Max(Math.Abs);
        for (int i = 0; i < plain.U.Length; i++)
        {
            Assert.True(Math.Abs(plain.U[i] - searched.U[i]) <= 1e-9 * scale);
        }
    }

    /// <summary>
    /// Truth: the BFGS update changes only the path of the iterations, not the equilibrium (Matthies &amp; Strang
    /// 1979): on the partly plastic cylinder with the material's elastic tangent, quasi-Newton corrections reach the
    /// displacement of full Newton with the consistent tangent (to 1e-7 at tolerance 1e-9), and the secant pairs
    /// recover the plastic stiffness the elastic kernel lacks: fewer iterations than the same elastic kernel alone.
    /// A linear problem still takes one correction per increment.
    /// </summary>
    [Fact]
    public void BfgsReachesTheNewtonEquilibriumFasterThanTheElasticTangentAlone()
    {
        var mesh = QuarterRing(1, 2, 6, 2);
        CaseDefinition Cylinder(NonlinearMethod method, TangentKind tangent) => Case(new MeshDefinition { GaussOrder = 2 },
            Material("VonMises", ("E", 1000.0), ("nu", 0.3), ("sigma_y", 2.4)) with { Tangent = tangent }, 3,
            [Fix("bottom", null, 0), Fix("top", 0, null)], [Pressure("left", 1.8)],
            new SolverSettings
            {
                Linear = LinearSolverKind.Managed,
                Threads = 1,
                Method = method,
                MaxIterations = 200,
                ResidualTolerance = 1e-9,
                DisplacementTolerance = 1e-9,
            });
        using var newton = Solve(Cylinder(NonlinearMethod.Newton, TangentKind.Consistent), mesh);
        using var elastic = Solve(Cylinder(NonlinearMethod.Newton, TangentKind.Elastic), mesh);
        using var bfgs = Solve(Cylinder(NonlinearMethod.Bfgs, TangentKind.Elastic), mesh);
        Assert.True(newton.Result.Completed && elastic.Result.Completed && bfgs.Result.Completed, bfgs.Result.StopReason);
        double scale = newton.U.Max(Math.Abs);
        for (int i = 0; i < newton.U.Length; i++)
        {
            Assert.True(Math.Abs(newton.U[i] - bfgs.U[i]) <= 1e-7 * scale, $"dof {i}: {bfgs.U[i]:E6} vs {newton.U[i]:E6}");
        }

        Assert.True(bfgs.Result.Iterations < elastic.Result.Iterations / 2,
            $"BFGS {bfgs.Result.Iterations} iterations, elastic tangent alone {elastic.Result.Iterations}");

        var column = Column("Elastic", 3) with
        {
            Materials = [Material("Elastic", ("E", E), ("nu", Nu))],
            Solver = new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 1, Method = NonlinearMethod.Bfgs },
        };
        using var linear = Solve(column);
        Assert.True(linear.Result.Completed, linear.Result.StopReason);
        Assert.All(linear.Increments, r => Assert.Equal(1, r.Result.Iterations));
    }

    /// <summary>
    /// Truth: (1) for a linear elastic column under a ramped pressure in equal steps every increment is the same,
    /// Δu_n = Δu_{n−1}, so the extrapolating predictor is exact from step 2 on: its first residual is at round-off
    /// and each of those steps converges in one iteration, to the closed form u_y(top) = −p (1 − ν²) H / E;
    /// (2) on the partly plastic cylinder the predictor changes only the first guess, not the equilibrium reached
    /// (same displacement to 1e-7 at tolerance 1e-8).
    /// </summary>
    [Fact]
    public void ExtrapolatingPredictorIsExactForALinearProblemAndReachesTheSameEquilibriumOnAPlasticOne()
    {
        var column = Column("Elastic", 4) with
        {
            Materials = [Material("Elastic", ("E", E), ("nu", Nu))],
            Solver = new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 1, Predictor = PredictorKind.Extrapolate },
        };
        using var linear = Solve(column);
        Assert.True(linear.Result.Completed, linear.Result.StopReason);
        foreach (var r in linear.Increments.Skip(1))
        {
            Assert.Equal(1, r.Result.Iterations);
            Assert.True(r.Result.History[0].Residual < 1e-12, $"step {r.Step}: first residual {r.Result.History[0].Residual:E2}");
        }

        double expected = -P * (1 - Nu * Nu) * 2 / E;
        foreach (int n in linear.Model.Mesh.NodeSets["top"])
        {
            Assert.Equal(expected, linear.U[2 * n + 1], 12);
        }

        var mesh = QuarterRing(1, 2, 6, 2);
        CaseDefinition Cylinder(PredictorKind predictor) => Case(new MeshDefinition { GaussOrder = 2 },
            Material("VonMises", ("E", 1000.0), ("nu", 0.3), ("sigma_y", 2.4)), 4,
            [Fix("bottom", null, 0), Fix("top", 0, null)], [Pressure("left", 1.8)],
            new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 1, Predictor = predictor });
        using var tangent = Solve(Cylinder(PredictorKind.Tangent), mesh);
        using var extrapolated = Solve(Cylinder(PredictorKind.Extrapolate), mesh);
        Assert.True(tangent.Result.Completed && extrapolated.Result.Completed);
        double scale = tangent.U.Max(Math.Abs);
        for (int i = 0; i < tangent.U.Length; i++)
        {
            Assert.True(Math.Abs(tangent.U[i] - extrapolated.U[i]) <= 1e-7 * scale);
        }
    }

    /// <summary>Elastic, but asks for a smaller step when a strain-increment component exceeds a limit.</summary>
    private sealed class LimitedElasticPlugin(double limit) : IMaterialPlugin
    {
        public double Limit { get; } = limit;

        public double LargestAccepted { get; private set; }

        public MaterialMetadata Metadata { get; } = new() { Name = "LimitedElastic", Version = new(1, 0), Description = "test", IsThreadSafe = false };

        public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) => new Model(this, hypothesis);

        private sealed class Model(LimitedElasticPlugin owner, ModellingHypothesis h) : PointMaterial(owner.Metadata, h)
        {
            protected override PointStatus Integrate(in MaterialPoint p)
            {
                Elastic(p, E, Nu);
                double largest = 0;
                foreach (var v in p.StrainIncrement)
                {
                    largest = Math.Max(largest, Math.Abs(v));
                }

                if (largest > owner.Limit)
                {
                    return PointStatus.SmallerStep(0.9 * owner.Limit / largest, "strain increment too large");
                }

                owner.LargestAccepted = Math.Max(owner.LargestAccepted, largest);
                return PointStatus.Ok;
            }
        }
    }

    /// <summary>Elastic, but fails once the vertical stress exceeds a fraction of the applied pressure.</summary>
    private sealed class FragilePlugin(double failAbove) : IMaterialPlugin
    {
        public MaterialMetadata Metadata { get; } = new() { Name = "Fragile", Version = new(1, 0), Description = "test" };

        public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) => new Model(Metadata, hypothesis, failAbove);

        private sealed class Model(MaterialMetadata m, ModellingHypothesis h, double failAbove) : PointMaterial(m, h)
        {
            protected override PointStatus Integrate(in MaterialPoint p)
            {
                Elastic(p, E, Nu);
                return -p.Stress[Voigt.YY] > failAbove * P * (1 + 1e-9) ? PointStatus.Failed("too much load") : PointStatus.Ok;
            }
        }
    }

    /// <summary>σ = σ_n + D Δε with an unsymmetric D (isotropic elasticity plus a skew coupling of 11 and 12).</summary>
    private sealed class SkewedElasticPlugin : IMaterialPlugin
    {
        public MaterialMetadata Metadata { get; } = new() { Name = "Skewed", Version = new(1, 0), Description = "test" };

        public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) => new Model(Metadata, hypothesis);

        private sealed class Model(MaterialMetadata m, ModellingHypothesis h) : PointMaterial(m, h)
        {
            protected override PointStatus Integrate(in MaterialPoint p)
            {
                int n = p.Size;
                Elasticity.Isotropic(Elasticity.BulkModulus(E, Nu), Elasticity.ShearModulus(E, Nu), p.Tangent, n);
                p.Tangent[Voigt.XX * n + Voigt.XY] += 0.1 * E;
                p.Tangent[Voigt.XY * n + Voigt.XX] -= 0.1 * E;
                Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
                for (int i = 0; i < n; i++)
                {
                    p.Stress[i] += p.StressOld[i];
                }

                return PointStatus.Ok;
            }
        }
    }

    private static void Elastic(in MaterialPoint p, double e, double nu)
    {
        Elasticity.Isotropic(Elasticity.BulkModulus(e, nu), Elasticity.ShearModulus(e, nu), p.Tangent, p.Size);
        Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
        for (int i = 0; i < p.Size; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }
    }
}
