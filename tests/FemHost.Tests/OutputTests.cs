using System.Globalization;
using System.Xml.Linq;
using FemHost.Cases;
using FemHost.Fem;
using FemHost.Fem.Elements;
using FemHost.Fem.Meshes;
using FemHost.Output;
using Xunit;

namespace FemHost.Tests;

public sealed class OutputTests
{
    /// <summary>The repository's cases/verification folder.</summary>
    private static string VerificationCase(string name) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(MeshTests.Asset("column-2x1-q8.msh"))))!,
            "..", "cases", "verification", name);

    /// <summary>
    /// Truth: the Gauss-to-node projection fits the element's polynomial space by least squares, so a field
    /// that lies in that space (here linear in x and y on an affine mesh) is reproduced exactly at every node,
    /// and its volume-weighted cell average is its value at the element centroid.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ProjectionReproducesLinearFieldsExactly(int order)
    {
        var mesh = StructuredMesh.Rectangle(new RectangleMesh(3, 2, 3, 2, X0: 1, Y0: -1));
        var element = new PlaneStrainElement(mesh.Shape, order);
        int nq = element.Rule.Count;
        static double F(double x, double y) => 2 + 3 * x - 5 * y;
        var values = new double[mesh.ElementCount * nq];
        var volumes = new double[values.Length];
        var xy = new double[16];
        var b = new double[64];
        var x = new double[2];
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            mesh.ElementCoordinates(e, xy);
            for (int q = 0; q < nq; q++)
            {
                volumes[e * nq + q] = element.Evaluate(e, xy, q, b, x);
                values[e * nq + q] = F(x[0], x[1]);
            }
        }

        var projection = new NodalProjection(mesh, element);
        var nodal = projection.ToNodes(values, 1);
        for (int n = 0; n < mesh.NodeCount; n++)
        {
            Assert.Equal(F(mesh.Coordinates[2 * n], mesh.Coordinates[2 * n + 1]), nodal[n], 11);
        }

        var cells = projection.ToCells(values, 1, volumes);
        Assert.Equal(F(1.5, -0.5), cells[0], 11);
    }

    /// <summary>
    /// Truth: running the Lamé verification case from its YAML file writes curves.csv whose support force on
    /// the symmetry plane y = 0 is −p a = −10 kN/m (global equilibrium of the half cylinder), a .vtu of
    /// quadratic quads (VTK type 23) with one value per node and per cell for every field, a .pvd that lists
    /// it, PNG plots, and no temporary files.
    /// </summary>
    [Fact]
    public void LameCaseWritesCurvesFieldsCollectionAndPlots()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"femhost-output-{Guid.NewGuid():N}");
        var c = CaseReader.Load(VerificationCase("lame-cylinder.yaml"));
        c = c with { Output = c.Output with { Folder = folder }, Solver = c.Solver with { Linear = LinearSolverKind.Managed, Threads = 2 } };
        try
        {
            var summary = Simulation.Run(c, FemTestSupport.Plugin, TextWriter.Null);
            Assert.True(summary.Result.Completed);

            var csv = File.ReadAllLines(Path.Combine(folder, "curves.csv"));
            Assert.Equal("step,lambda,hoop_force_y0,inner_ux", csv[0]);
            var last = csv[^1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(-10.0, last[2], 8);

            var vtu = XDocument.Load(Path.Combine(folder, "lame-cylinder_0001.vtu"));
            var piece = vtu.Descendants("Piece").Single();
            int points = int.Parse(piece.Attribute("NumberOfPoints")!.Value, CultureInfo.InvariantCulture);
            int cells = int.Parse(piece.Attribute("NumberOfCells")!.Value, CultureInfo.InvariantCulture);
            Assert.Equal((17 * 9) - 32, points);
            Assert.Equal(32, cells);
            string Array(string parent, string name) => vtu.Descendants(parent).Single().Elements("DataArray").Single(d => (string?)d.Attribute("Name") == name).Value;
            int Count(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.All(Array("Cells", "types").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), t => Assert.Equal("23", t));
            Assert.Equal(3 * points, Count(Array("PointData", "displacement")));
            Assert.Equal(4 * points, Count(Array("PointData", "stress")));
            Assert.Equal(points, Count(Array("PointData", "eps_q")));
            Assert.Equal(cells, Count(Array("CellData", "stress_norm")));

            var pvd = XDocument.Load(Path.Combine(folder, "lame-cylinder.pvd"));
            Assert.Equal("lame-cylinder_0001.vtu", pvd.Descendants("DataSet").Single().Attribute("file")!.Value);
            var png = File.ReadAllBytes(Path.Combine(folder, "hoop_force_y0.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, true);
            }
        }
    }

    /// <summary>
    /// Truth: the material-point log of the Hill cylinder holds one path per Gauss point (32 elements × 2×2)
    /// with one row per converged increment; along every path φ_j = Σ|Δε_j| is non-decreasing and bounds
    /// |ε_j| (triangle inequality), the equivalent plastic strain never decreases (perfect plasticity with
    /// monotonic loading), and the sidecar names the material and its parameters.
    /// </summary>
    [Fact]
    public void PointLogRecordsEveryGaussPointPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"femhost-pointlog-{Guid.NewGuid():N}");
        var c = CaseReader.Load(VerificationCase("hill-cylinder.yaml"));
        c = c with
        {
            Output = c.Output with { Folder = folder, PointLog = true, Vtu = false, Plots = false },
            Solver = c.Solver with { Linear = LinearSolverKind.Managed, Threads = 2 },
        };
        try
        {
            var summary = Simulation.Run(c, FemTestSupport.Plugin, TextWriter.Null);
            Assert.True(summary.Result.Completed);
            var data = MaterialData.PathDatasetReader.Read(Path.Combine(folder, "points-ring.csv"));
            Assert.Equal("VonMises", data.Info.Source.Material);
            Assert.True(data.Info.HasTangent);
            Assert.Equal(["eqps"], data.Info.ExtraColumns);
            Assert.Equal(32 * 4, data.Paths.Count);
            Assert.All(data.Paths, path =>
            {
                Assert.Equal(summary.Result.Increments, path.Rows.Count);
                for (int k = 0; k < path.Rows.Count; k++)
                {
                    var row = path.Rows[k];
                    for (int j = 0; j < 4; j++)
                    {
                        Assert.True(row.Phi[j] >= Math.Abs(row.Strain[j]) - 1e-15);
                        Assert.True(k == 0 || row.Phi[j] >= path.Rows[k - 1].Phi[j]);
                    }

                    Assert.True(k == 0 || row.Extras[0] >= path.Rows[k - 1].Extras[0]);
                }
            });
            Assert.Contains(data.Paths, p => p.Rows[^1].Extras[0] > 0);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, true);
            }
        }
    }

    /// <summary>Truth: an atomic write replaces the target in one rename, leaving no temporary file, and a
    /// writer that throws leaves the previous content intact.</summary>
    [Fact]
    public void AtomicWriteNeverLeavesHalfWrittenFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"femhost-atomic-{Guid.NewGuid():N}");
        var path = Path.Combine(folder, "a.txt");
        try
        {
            AtomicFile.WriteText(path, w => w.Write("first"));
            Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(path, w =>
            {
                w.Write("second, half");
                throw new InvalidOperationException("crash while writing");
            }));
            Assert.Equal("first", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
