using FemHost.Cases;
using FemHost.Fem.Elements;
using FemHost.Fem.Meshes;
using FemHost.Fem.Model;
using FemHost.MaterialSdk;
using Xunit;
using static FemHost.Tests.FemTestSupport;

namespace FemHost.Tests;

public sealed class ElementTests
{
    /// <summary>Truth: serendipity shape functions are a partition of unity, N_a(x_b) = δ_ab, and their
    /// derivatives match central differences.</summary>
    [Fact]
    public void Q8ShapeFunctionsInterpolateAndDifferentiate()
    {
        var q8 = ShapeQ8.Instance;
        Span<double> n = stackalloc double[8], dx = stackalloc double[8], de = stackalloc double[8];
        Span<double> np = stackalloc double[8], nm = stackalloc double[8], tmp1 = stackalloc double[8], tmp2 = stackalloc double[8];
        for (int b = 0; b < 8; b++)
        {
            var (xi, eta) = q8.NodeCoordinates[b];
            q8.Evaluate(xi, eta, n, dx, de);
            for (int a = 0; a < 8; a++)
            {
                Assert.Equal(a == b ? 1.0 : 0.0, n[a], 14);
            }
        }

        const double h = 1e-6;
        foreach (var (xi, eta) in new[] { (0.3, -0.7), (-0.45, 0.2), (0.9, 0.95) })
        {
            q8.Evaluate(xi, eta, n, dx, de);
            double sum = 0;
            foreach (var v in n)
            {
                sum += v;
            }

            Assert.Equal(1.0, sum, 14);
            q8.Evaluate(xi + h, eta, np, tmp1, tmp2);
            q8.Evaluate(xi - h, eta, nm, tmp1, tmp2);
            for (int a = 0; a < 8; a++)
            {
                Assert.Equal((np[a] - nm[a]) / (2 * h), dx[a], 8);
            }

            q8.Evaluate(xi, eta + h, np, tmp1, tmp2);
            q8.Evaluate(xi, eta - h, nm, tmp1, tmp2);
            for (int a = 0; a < 8; a++)
            {
                Assert.Equal((np[a] - nm[a]) / (2 * h), de[a], 8);
            }
        }
    }

    /// <summary>Truth: the 3×3 Gauss rule integrates ξ⁴η⁴ exactly (∫∫ = 4/25) and 2×2 integrates ξ²η² (4/9).</summary>
    [Fact]
    public void GaussRulesIntegratePolynomialsExactly()
    {
        var r3 = GaussRule.Square(3);
        var r2 = GaussRule.Square(2);
        Assert.Equal(4.0 / 25.0, Enumerable.Range(0, 9).Sum(q => r3.Weights[q] * Math.Pow(r3.Xi[q], 4) * Math.Pow(r3.Eta[q], 4)), 14);
        Assert.Equal(4.0 / 9.0, Enumerable.Range(0, 4).Sum(q => r2.Weights[q] * Math.Pow(r2.Xi[q], 2) * Math.Pow(r2.Eta[q], 2)), 14);
    }

    /// <summary>
    /// Patch test (Irons; Zienkiewicz &amp; Taylor vol. 1, §9.3): on a distorted patch of four Q8 elements
    /// with straight edges, prescribing a linear displacement field on the boundary reproduces it exactly
    /// at the interior nodes, and the stress is the constant D ε everywhere (to 1e-10).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void DistortedPatchReproducesLinearField(int gauss)
    {
        static (double U, double V) Field(double x, double y) => (1e-3 * (1 + 2 * x + 3 * y), 1e-3 * (-1 + 0.5 * x + 4 * y));
        var patch = DistortedPatch();
        var bcs = new List<DisplacementBc>();
        var boundary = new HashSet<int>(new[] { "left", "right", "bottom", "top" }.SelectMany(s => patch.NodeSets[s]));
        var nodeSets = new Dictionary<string, int[]>(patch.NodeSets);
        foreach (int node in boundary)
        {
            nodeSets[$"n{node}"] = [node];
            var (u, v) = Field(patch.Coordinates[2 * node], patch.Coordinates[2 * node + 1]);
            bcs.Add(Fix($"n{node}", u, v));
        }

        var mesh = new Mesh(patch.Source, patch.Shape, patch.Coordinates, patch.Connectivity, nodeSets, patch.EdgeSets, patch.Regions);
        var c = Case(new MeshDefinition { GaussOrder = gauss }, Material("Elastic", ("E", 1000.0), ("nu", 0.3)), displacements: bcs);
        using var run = Solve(c, mesh);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        for (int node = 0; node < mesh.NodeCount; node++)
        {
            var (u, v) = Field(mesh.Coordinates[2 * node], mesh.Coordinates[2 * node + 1]);
            Assert.True(Math.Abs(run.U[2 * node] - u) <= 1e-10 * 1e-3, $"u_x at node {node}: {run.U[2 * node]} vs {u}");
            Assert.True(Math.Abs(run.U[2 * node + 1] - v) <= 1e-10 * 1e-3, $"u_y at node {node}: {run.U[2 * node + 1]} vs {v}");
        }

        // ε = (2, 4, 0, 3 + 0.5)·1e-3 → σ = D ε.
        double[] strain = [2e-3, 4e-3, 0, 3.5e-3];
        var d = new double[16];
        var sigma = new double[4];
        Elasticity.Isotropic(Elasticity.BulkModulus(1000, 0.3), Elasticity.ShearModulus(1000, 0.3), d, 4);
        Elasticity.Multiply(d, strain, sigma);
        var region = run.Model.Regions[0];
        for (int p = 0; p < region.Count; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(Math.Abs(region.Stress[p * 4 + i] - sigma[i]) <= 1e-10 * Math.Abs(sigma[0]), $"σ[{i}] at point {p}");
            }
        }
    }

    /// <summary>Truth: an element listed clockwise has det J &lt; 0; the model builder names the element and det J.</summary>
    [Fact]
    public void InvertedElementIsReportedWithIdAndJacobian()
    {
        var good = StructuredMesh.Rectangle(new RectangleMesh(2, 1, 2, 1));
        var conn = (int[])good.Connectivity.Clone();
        // Element 1 listed clockwise: swap corners 1 ↔ 3 and mid-sides 4 ↔ 7, 5 ↔ 6.
        int[] perm = [0, 3, 2, 1, 7, 6, 5, 4];
        for (int a = 0; a < 8; a++)
        {
            conn[8 + a] = good.Connectivity[8 + perm[a]];
        }

        var bad = new Mesh("clockwise", good.Shape, good.Coordinates, conn, good.NodeSets, good.EdgeSets, good.Regions);
        var c = Case(new MeshDefinition(), Material("Elastic", ("E", 1000.0)));
        var e = Assert.Throws<ElementGeometryException>(() => ModelBuilder.Build(c, Plugin, bad));
        Assert.Equal(1, e.Element);
        Assert.True(e.DetJ < 0);
        Assert.Contains("element 1", e.Message);
        Assert.Contains("det J", e.Message);
    }

    /// <summary>Truth: a mid-side node pulled past the quarter point of its edge makes det J ≤ 0 at the
    /// neighbouring corner (the classical quarter-point limit), which the geometry check catches.</summary>
    [Fact]
    public void DistortedMidsideNodeIsReported()
    {
        var good = StructuredMesh.Rectangle(new RectangleMesh(1, 1, 1, 1));
        var xy = (double[])good.Coordinates.Clone();
        int mid = good.Connectivity[4]; // mid-side of the bottom edge, at x = 0.5
        xy[2 * mid] = 0.1;
        var bad = new Mesh("distorted", good.Shape, xy, good.Connectivity, good.NodeSets, good.EdgeSets, good.Regions);
        var c = Case(new MeshDefinition(), Material("Elastic", ("E", 1000.0)));
        var e = Assert.Throws<ElementGeometryException>(() => ModelBuilder.Build(c, Plugin, bad));
        Assert.Equal(0, e.Element);
        Assert.True(e.DetJ <= 0);
    }

    /// <summary>A 2 × 2 Q8 patch on [0, 2]² with the centre node moved and straight edges.</summary>
    internal static Mesh DistortedPatch()
    {
        var m = StructuredMesh.Rectangle(new RectangleMesh(2, 2, 2, 2));
        var xy = (double[])m.Coordinates.Clone();
        int centre = m.Connectivity[2]; // corner 2 of element 0 is the patch centre
        xy[2 * centre] = 1.15;
        xy[2 * centre + 1] = 0.8;
        for (int e = 0; e < m.ElementCount; e++)
        {
            var nodes = m.ElementNodes(e);
            foreach (var edge in m.Shape.Edges)
            {
                int a = nodes[edge[0]], b = nodes[edge[1]], mid = nodes[edge[2]];
                xy[2 * mid] = 0.5 * (xy[2 * a] + xy[2 * b]);
                xy[2 * mid + 1] = 0.5 * (xy[2 * a + 1] + xy[2 * b + 1]);
            }
        }

        return new Mesh("distorted patch", m.Shape, xy, m.Connectivity, m.NodeSets, m.EdgeSets, m.Regions);
    }
}
