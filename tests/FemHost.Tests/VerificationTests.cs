using FemHost.Cases;
using FemHost.Fem.Meshes;
using FemHost.Fem.Solution;
using FemHost.LinearAlgebra;
using Xunit;
using Xunit.Abstractions;
using static FemHost.Tests.FemTestSupport;

namespace FemHost.Tests;

/// <summary>Whole-BVP verification against analytic solutions of elasticity and plasticity.</summary>
public sealed class VerificationTests(ITestOutputHelper output)
{
    private const double A = 1.0, B = 2.0, E = 1000.0, Nu = 0.3;

    /// <summary>Lamé's thick-walled cylinder, plane strain, internal pressure p (Timoshenko &amp; Goodier §33):
    /// u_r = (1 + ν)/E [(1 − 2ν) C1 r + C2 / r], σ_θ = C1 + C2 / r², C1 = p a²/(b² − a²), C2 = p a² b²/(b² − a²).</summary>
    private static (double Ur, double SigmaTheta) Lame(double r, double p)
    {
        double c1 = p * A * A / (B * B - A * A), c2 = p * A * A * B * B / (B * B - A * A);
        return ((1 + Nu) / E * ((1 - 2 * Nu) * c1 * r + c2 / r), c1 + c2 / (r * r));
    }

    private static CaseDefinition Cylinder(MaterialDefinition material, double pressure, int steps, int gauss, SolverSettings? solver = null) =>
        Case(new MeshDefinition { GaussOrder = gauss }, material, steps,
            displacements: [Fix("bottom", null, 0), Fix("top", 0, null)],
            loads: [Pressure("left", pressure)], solver: solver);

    /// <summary>
    /// Truth: Lamé's solution. The L2 error of the displacement of Q8 (complete quadratic) elements falls as
    /// h³ under uniform refinement (Strang &amp; Fix; Hughes §4.1), geometry being quadratic too; the observed
    /// order between successive meshes must be close to 3, and the hoop stress at the bore within 2 %.
    /// </summary>
    [Fact]
    public void ElasticCylinderMatchesLameWithCubicL2Convergence()
    {
        const double p = 10;
        var errors = new List<double>();
        foreach (int n in new[] { 2, 4, 8 })
        {
            using var run = Solve(Cylinder(Material("Elastic", ("E", E), ("nu", Nu)), p, 1, 3), QuarterRing(A, B, n, n));
            Assert.True(run.Result.Completed, run.Result.StopReason);
            errors.Add(RelativeL2Error(run, p));

            // Hoop stress at the Gauss points nearest the bore, against Lamé at the same radius.
            var region = run.Model.Regions[0];
            int worst = 0;
            double maxRel = 0;
            for (int q = 0; q < region.Count; q++)
            {
                double x = region.Coordinates[2 * q], y = region.Coordinates[2 * q + 1], r = Math.Sqrt(x * x + y * y);
                double c = x / r, s = y / r;
                double sxx = region.Stress[4 * q], syy = region.Stress[4 * q + 1], sxy = region.Stress[4 * q + 3];
                double hoop = s * s * sxx + c * c * syy - 2 * s * c * sxy;
                double rel = Math.Abs(hoop - Lame(r, p).SigmaTheta) / Lame(A, p).SigmaTheta;
                if (rel > maxRel)
                {
                    (maxRel, worst) = (rel, q);
                }
            }

            output.WriteLine($"n = {n}: L2 error {errors[^1]:E3}, max hoop-stress error {maxRel:P3} (point {worst})");
            if (n >= 4)
            {
                Assert.True(maxRel < 0.02, $"hoop stress error {maxRel:P2} on the {n}×{n} mesh");
            }
        }

        for (int k = 1; k < errors.Count; k++)
        {
            double order = Math.Log2(errors[k - 1] / errors[k]);
            output.WriteLine($"observed order {order:F2}");
            Assert.InRange(order, 2.6, 3.6);
        }
    }

    /// <summary>‖u − u_h‖_L2 / ‖u‖_L2 by 3×3 Gauss quadrature over the mesh.</summary>
    private static double RelativeL2Error(Run run, double p)
    {
        var mesh = run.Model.Mesh;
        var element = run.Model.Element;
        var xy = new double[16];
        var b = new double[4 * 16];
        var x = new double[2];
        double err = 0, norm = 0;
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            mesh.ElementCoordinates(e, xy);
            var nodes = mesh.ElementNodes(e);
            for (int q = 0; q < element.Rule.Count; q++)
            {
                double dv = element.Evaluate(e, xy, q, b, x);
                var n = element.ShapeValues(q);
                double ux = 0, uy = 0;
                for (int a = 0; a < 8; a++)
                {
                    ux += n[a] * run.U[2 * nodes[a]];
                    uy += n[a] * run.U[2 * nodes[a] + 1];
                }

                double r = Math.Sqrt(x[0] * x[0] + x[1] * x[1]), ur = Lame(r, p).Ur;
                double ex = ux - ur * x[0] / r, ey = uy - ur * x[1] / r;
                err += (ex * ex + ey * ey) * dv;
                norm += ur * ur * dv;
            }
        }

        return Math.Sqrt(err / norm);
    }

    /// <summary>
    /// Truth: Hill's solution for the partly plastic thick cylinder of a von Mises, elastic–perfectly-plastic
    /// material in plane strain (Hill, The Mathematical Theory of Plasticity, 1950, ch. V; de Souza Neto et
    /// al. 2008, §7.5.3): with the plastic front at radius c, p = σ_y/√3 [2 ln(c/a) + 1 − c²/b²] and the
    /// outer radial displacement u_b = 2 σ_y c² (1 − ν²) / (√3 E b); the limit pressure is 2σ_y/√3 ln(b/a).
    /// Newton's method with the consistent tangent converges quadratically: the last iterations of every
    /// plastic increment satisfy log r_{k+1} / log r_k > 1.7 (≈ 2) and no increment needs more than 6 iterations.
    /// </summary>
    [Fact]
    public void PlasticCylinderFollowsHillAndNewtonIsQuadratic()
    {
        const double sy = 2.4;
        double pLimit = 2 * sy / Math.Sqrt(3) * Math.Log(B / A);
        double pMax = 0.95 * pLimit;
        var material = Material("VonMises", ("E", E), ("nu", Nu), ("sigma_y", sy));
        var solver = new SolverSettings { Linear = LinearSolverKind.Managed, Threads = 2, ResidualTolerance = 1e-10 };
        var mesh = QuarterRing(A, B, 8, 2);
        int outer = mesh.NodeSets["bottom_right"][0];
        var histories = new List<IReadOnlyList<IterationRecord>>();
        using var run = Solve(Cylinder(material, pMax, 10, 2, solver), mesh, onIncrement: r => histories.Add(r.Result.History));
        Assert.True(run.Result.Completed, run.Result.StopReason);

        // Final state against Hill: find c from p by bisection, then u_b.
        double pressure = pMax, lo = A, hi = B;
        for (int k = 0; k < 100; k++)
        {
            double c = 0.5 * (lo + hi);
            double pc = sy / Math.Sqrt(3) * (2 * Math.Log(c / A) + 1 - c * c / (B * B));
            (lo, hi) = pc < pressure ? (c, hi) : (lo, c);
        }

        double front = 0.5 * (lo + hi);
        double ubHill = 2 * sy * front * front * (1 - Nu * Nu) / (Math.Sqrt(3) * E * B);
        double ub = run.U[2 * outer];
        output.WriteLine($"p = {pressure:F4} (limit {pLimit:F4}): plastic front c = {front:F3}, u_b FE {ub:E5} vs Hill {ubHill:E5}");
        Assert.InRange(front, 1.3, 1.99);
        Assert.True(Math.Abs(ub - ubHill) / ubHill < 0.02, $"u_b {ub} vs Hill {ubHill}");

        // Plasticity spread to the front: equivalent plastic strain > 0 inside c, zero well outside it.
        var region = run.Model.Regions[0];
        for (int q = 0; q < region.Count; q++)
        {
            double r = Math.Sqrt(Math.Pow(region.Coordinates[2 * q], 2) + Math.Pow(region.Coordinates[2 * q + 1], 2));
            if (r < 0.9 * front)
            {
                Assert.True(region.State[q] > 0, $"no plastic strain at r = {r:F3} < c");
            }
            else if (r > 1.1 * front)
            {
                Assert.Equal(0.0, region.State[q]);
            }
        }

        int quadratic = 0;
        foreach (var h in histories)
        {
            Assert.True(h.Count <= 6, $"an increment needed {h.Count} iterations");
            output.WriteLine(string.Join("  ", h.Select(r => r.Residual.ToString("E2"))));
            for (int k = 1; k < h.Count; k++)
            {
                double r0 = h[k - 1].Residual, r1 = h[k].Residual;
                // Above the round-off floor (≈1e-13 here), where the rate is measurable.
                if (r0 < 1e-2 && r1 > 1e-12)
                {
                    Assert.True(Math.Log(r1) / Math.Log(r0) > 1.7, $"rate {Math.Log(r1) / Math.Log(r0):F2} from {r0:E2} to {r1:E2}");
                    quadratic++;
                }
            }
        }

        Assert.True(quadratic >= 3, "too few iterations in the asymptotic range to see the rate");
    }

    /// <summary>
    /// Truth: Prandtl's bearing capacity of a smooth strip footing of width B on a weightless Tresca soil,
    /// q_lim = (2 + π) c (Prandtl 1921; Chen, Limit Analysis and Soil Plasticity §4.3). In plane strain von
    /// Mises with σ_y = √3 c is Tresca with cohesion c. A coarse graded mesh of Q8 with reduced
    /// integration over-estimates the limit slightly; the footing pressure must level off within 6 %.
    /// </summary>
    [Fact]
    public void StripFootingReachesPrandtlLimitLoad()
    {
        const double c = 100, halfWidth = 1, settlement = 0.08;
        var xs = new[] { 0.0, 0.25, 0.5, 0.75, 1.0 }.Concat(Geometric(1.0, 6.0, 6, 1.5).Skip(1)).ToArray();
        // Depth from −5 (bottom) to 0 (surface), the finest cells at the surface.
        var ys = Geometric(0.0, 5.0, 8, 1.45).Select(d => -d).Reverse().ToArray();
        var mesh = Graded(xs, ys);
        var footing = mesh.NodeSets["top"].Where(n => mesh.Coordinates[2 * n] <= halfWidth + 1e-9).ToArray();
        var sets = new Dictionary<string, int[]>(mesh.NodeSets) { ["footing"] = footing };
        mesh = new Mesh(mesh.Source, mesh.Shape, mesh.Coordinates, mesh.Connectivity, sets, mesh.EdgeSets, mesh.Regions);
        var material = Material("VonMises", ("E", 1e5), ("nu", 0.3), ("sigma_y", Math.Sqrt(3) * c));
        using var run = Solve(Case(new MeshDefinition { GaussOrder = 2 }, material, 16,
            displacements: [Fix("bottom", 0, 0), Fix("left", 0, null), Fix("right", 0, null), Fix("footing", null, -settlement, LoadHistory.Ramp)]),
            mesh);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        double q = -Reaction(run, "footing").Ry / halfWidth;
        double prandtl = (2 + Math.PI) * c;
        output.WriteLine($"footing pressure {q:F2} vs Prandtl {prandtl:F2} ({(q / prandtl - 1):P2}), increments {run.Result.Increments}");
        Assert.InRange(q / prandtl, 0.97, 1.06);
    }
}

/// <summary>The two linear solvers on the verification problems.</summary>
public sealed class VerificationSolverAgreementTests
{
    /// <summary>
    /// Truth: PARDISO and the managed direct solver solve the same linear systems, so every Newton iterate,
    /// and hence the converged displacement of the elastic (Lamé) and plastic (Hill) cylinders and of the
    /// strip footing, agree to round-off (relative 1e-9 after many nonlinear iterations).
    /// </summary>
    [PardisoFact]
    public void PardisoAndManagedAgreeOnEveryVerificationCase()
    {
        var ring = QuarterRing(1, 2, 6, 3);
        var footing = Graded([0, 0.5, 1, 2.5, 6], [-5, -2, -0.8, -0.3, 0]);
        footing = new Mesh(footing.Source, footing.Shape, footing.Coordinates, footing.Connectivity,
            new Dictionary<string, int[]>(footing.NodeSets) { ["footing"] = footing.NodeSets["top"].Where(n => footing.Coordinates[2 * n] <= 1 + 1e-9).ToArray() },
            footing.EdgeSets, footing.Regions);
        var cases = new (CaseDefinition Case, Mesh Mesh)[]
        {
            (Case(new MeshDefinition(), Material("Elastic", ("E", 1000.0), ("nu", 0.3)), 1,
                [Fix("bottom", null, 0), Fix("top", 0, null)], [Pressure("left", 10)]), ring),
            (Case(new MeshDefinition { GaussOrder = 2 }, Material("VonMises", ("E", 1000.0), ("nu", 0.3), ("sigma_y", 2.4)), 6,
                [Fix("bottom", null, 0), Fix("top", 0, null)], [Pressure("left", 1.8)]), ring),
            (Case(new MeshDefinition { GaussOrder = 2 }, Material("VonMises", ("E", 1e5), ("nu", 0.3), ("sigma_y", Math.Sqrt(3) * 100)), 6,
                [Fix("bottom", 0, 0), Fix("left", 0, null), Fix("right", 0, null), Fix("footing", null, -0.05, LoadHistory.Ramp)]), footing),
        };
        foreach (var (c, mesh) in cases)
        {
            using var managed = Solve(c, mesh, new ManagedSparseSolver());
            using var pardiso = Solve(c, mesh, SolverTestMkl.Create());
            Assert.True(managed.Result.Completed && pardiso.Result.Completed);
            double diff = 0, norm = 0;
            for (int i = 0; i < managed.U.Length; i++)
            {
                diff = Math.Max(diff, Math.Abs(managed.U[i] - pardiso.U[i]));
                norm = Math.Max(norm, Math.Abs(managed.U[i]));
            }

            Assert.True(diff <= 1e-9 * norm, $"max difference {diff:E3} for max |u| {norm:E3}");
        }
    }
}
