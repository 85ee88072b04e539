using FemHost.Cases;
using FemHost.Fem.Meshes;
using Xunit;
using static FemHost.Tests.FemTestSupport;

namespace FemHost.Tests;

public sealed class MeshTests
{
    /// <summary>The repository's tests/assets/meshes folder, found from the test assembly's location.</summary>
    internal static string Asset(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "assets", "meshes", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"test asset {name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Truth: an nx × ny Q8 rectangle has (2nx + 1)(2ny + 1) − nx·ny nodes, its element areas sum
    /// to the rectangle's, and each named edge has 2n + 1 nodes on the right line.</summary>
    [Fact]
    public void StructuredRectangleHasExpectedNodesAreaAndSets()
    {
        var m = StructuredMesh.Rectangle(new RectangleMesh(3, 2, 3, 4, X0: 1, Y0: -1));
        Assert.Equal(7 * 9 - 12, m.NodeCount);
        Assert.Equal(12, m.ElementCount);
        Assert.Equal(7, m.NodeSets["bottom"].Length);
        Assert.Equal(9, m.NodeSets["left"].Length);
        Assert.All(m.NodeSets["top"], n => Assert.Equal(1.0, m.Coordinates[2 * n + 1], 12));
        Assert.All(m.NodeSets["right"], n => Assert.Equal(4.0, m.Coordinates[2 * n], 12));
        Assert.Equal(3 * 3, m.EdgeSets["top"].Length);
        var element = new Fem.Elements.PlaneStrainElement(m.Shape, 3);
        var xy = new double[16];
        var b = new double[64];
        var x = new double[2];
        double area = 0;
        for (int e = 0; e < m.ElementCount; e++)
        {
            m.ElementCoordinates(e, xy);
            for (int q = 0; q < 9; q++)
            {
                area += element.Evaluate(e, xy, q, b, x);
            }
        }

        Assert.Equal(6.0, area, 12);
    }

    /// <summary>
    /// Truth: the committed Gmsh 4.1 file holds two Q8 elements on [0, 2] × [0, 1] with physical groups
    /// "soil" (surface), "base" and "load" (3-node lines) and "anchor" (a point); the reader maps them to a
    /// region, edge/node sets and a node set. Loaded by a uniform top pressure p on a base free to slide,
    /// the column is in uniaxial stress: σ22 = −p, σ11 = 0, σ33 = ν σ22 and the top settles
    /// u_y = −p (1 − ν²) H / E, which Q8 reproduces exactly.
    /// </summary>
    [Fact]
    public void GmshReaderMapsPhysicalGroupsAndTheMeshSolvesUniaxialStress()
    {
        var mesh = GmshReader.Read(Asset("column-2x1-q8.msh"));
        Assert.Equal(2, mesh.ElementCount);
        Assert.Equal(13, mesh.NodeCount);
        Assert.Equal([0, 1], mesh.Regions["soil"]);
        Assert.Equal(2, mesh.Regions["all"].Length);
        Assert.Equal(6, mesh.EdgeSets["base"].Length);
        Assert.Equal(5, mesh.NodeSets["load"].Length);
        Assert.Single(mesh.NodeSets["anchor"]);

        const double p = 10, e = 1000, nu = 0.25;
        var c = Case(new MeshDefinition(), Material("Elastic", ("E", e), ("nu", nu)),
            displacements: [Fix("base", null, 0), Fix("anchor", 0, null)], loads: [Pressure("load", p)]);
        c = c with { Regions = [new RegionAssignment("soil", "soil", SourceLocation.None)] };
        using var run = Solve(c, mesh);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        foreach (int n in mesh.NodeSets["load"])
        {
            Assert.Equal(-p * (1 - nu * nu) / e, run.U[2 * n + 1], 12);
        }

        var region = run.Model.Regions[0];
        for (int q = 0; q < region.Count; q++)
        {
            Assert.Equal(0, region.Stress[4 * q], 9);
            Assert.Equal(-p, region.Stress[4 * q + 1], 9);
            Assert.Equal(-nu * p, region.Stress[4 * q + 2], 9);
        }
    }

    /// <summary>Truth: a file that is not a Gmsh 4.1 ASCII mesh gives a user error naming the file and line.</summary>
    [Fact]
    public void GmshReaderRejectsOtherFormatsWithLocation()
    {
        var path = Path.Combine(Path.GetTempPath(), $"femhost-bad-{Guid.NewGuid():N}.msh");
        File.WriteAllText(path, "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n");
        try
        {
            var ex = Assert.Throws<UserInputException>(() => GmshReader.Read(path));
            Assert.Contains(path + ":2", ex.Message);
            Assert.Contains("4.1", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
