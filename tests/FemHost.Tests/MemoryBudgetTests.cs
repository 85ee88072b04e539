using FemHost.Cases;
using FemHost.Fem;
using FemHost.Fem.Assembly;
using FemHost.Fem.Meshes;
using FemHost.LinearAlgebra;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Limits (issue 7, item 5): a case is estimated before anything large is allocated and refused up front when
/// it does not fit the memory available (docs/fem.md, Limits).
/// </summary>
public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(17, 9)]
    public void The_matrix_nonzeros_are_counted_exactly_from_the_connectivity(int nx, int ny)
    {
        // Truth: the CSR pattern the solver assembles into (upper triangle with the diagonal).
        var mesh = StructuredMesh.Rectangle(new RectangleMesh(1, 2, nx, ny));
        Assert.Equal(SparsityPattern.Build(mesh, upperTriangle: true).ColumnIndices.Length, MemoryBudget.MatrixNonZeros(mesh));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(3, 1)]
    [InlineData(4, 8)]
    [InlineData(17, 9)]
    public void A_rectangles_closed_form_sizes_equal_those_counted_on_the_generated_mesh(int nx, int ny)
    {
        // Truth: the nodes, the exact non-zero count and the region of the mesh StructuredMesh generates.
        var r = new RectangleMesh(1, 2, nx, ny);
        var counted = MeshSize.Of(StructuredMesh.Rectangle(r));
        var closed = MeshSize.Of(r);
        Assert.Equal(counted.Nodes, closed.Nodes);
        Assert.Equal(counted.MatrixNonZeros, closed.MatrixNonZeros);
        Assert.Equal(counted.RegionElements.Single(), closed.RegionElements.Single());
    }

    [Fact]
    public void The_factor_estimate_bounds_the_managed_solvers_factor_within_a_factor_of_two()
    {
        // Truth: the factor the managed nested-dissection solver computes for a 30 × 30 Q8 mesh.
        var c = FemTestSupport.Case(new MeshDefinition { Rectangle = new RectangleMesh(1, 1, 30, 30) }, FemTestSupport.Material("Elastic", ("E", 1000.0), ("nu", 0.3)));
        var mesh = Fem.Model.ModelBuilder.LoadMesh(c.Mesh);
        var estimate = MemoryBudget.Estimate(c, MeshSize.Of(mesh), FemTestSupport.Plugin);
        var k = SparsityPattern.Build(mesh, upperTriangle: true);
        for (int r = 0; r < k.Size; r++)
        {
            for (int p = k.RowPointers[r]; p < k.RowPointers[r + 1]; p++)
            {
                k.Values[p] = k.ColumnIndices[p] == r ? 100 : -0.1; // diagonally dominant: no pivoting surprises
            }
        }

        using var solver = new ManagedSparseSolver(1);
        solver.Analyze(k);
        solver.Factorize(k);
        Assert.InRange(estimate.FactorNonZeros, solver.FactorNonZeros, 2 * solver.FactorNonZeros);
        Assert.Equal(30 * 30 * 9, estimate.GaussPoints);
        Assert.Equal(k.Size, estimate.Equations);
    }

    [Theory]
    [InlineData("100MB", 100L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("2g", 2L << 30)]
    [InlineData("4096", 4096)]
    [InlineData("512 kB", 512L << 10)]
    public void Memory_sizes_are_read_with_binary_units(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.ParseSize(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("")]
    public void A_memory_size_that_is_no_number_is_refused(string text) => Assert.Null(MemoryBudget.ParseSize(text));

    [Fact]
    public void A_case_larger_than_the_memory_available_is_refused_up_front_with_the_estimate_and_what_to_do()
    {
        // FEMHOST_MEMORY_LIMIT stands for a small machine (a separate process, so no other test sees it).
        var path = CheckpointTests.WriteFaultyCase(steps: 2);
        var env = new Dictionary<string, string> { ["FEMHOST_MEMORY_LIMIT"] = "100MB" };
        var (code, output, err) = FemhostProcess.Run(env, "run", path, "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 2, output + err);
        Assert.Contains($"{path}:3:3: the case needs about ", err, StringComparison.Ordinal);
        Assert.Contains("of memory (506 equations, K with ", err, StringComparison.Ordinal);
        Assert.Contains("but only 100 MiB is available (FEMHOST_MEMORY_LIMIT=100MB); expected a case that fits: use a coarser mesh", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(path)!, "out")), "nothing may be written for a refused case");

        env["FEMHOST_MEMORY_LIMIT"] = "plenty";
        (code, _, err) = FemhostProcess.Run(env, "run", path, "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.Equal(2, code);
        Assert.Contains("environment variable FEMHOST_MEMORY_LIMIT is 'plenty'; expected a memory size such as 512MB", err, StringComparison.Ordinal);
    }
}
