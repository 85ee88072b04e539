using System.Globalization;
using System.Text;
using FemHost.Experiments.Rendering;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>Contour rendering of Q8 fields (tools/Experiments/Rendering) checked against analytic fields.</summary>
public sealed class RenderingTests
{
    /// <summary>f(x, y) = 1 + 3x + 2y: linear, so Q8 interpolation and the linear sub-triangles reproduce it exactly.</summary>
    private static double Linear(double x, double y) => 1 + 3 * x + 2 * y;

    /// <summary>
    /// Truth: a linear field is reproduced exactly by the serendipity interpolation and by the linear interpolation on
    /// each sub-triangle, so every covered pixel holds f at its centre (round-off), the whole rectangle is covered,
    /// and the smallest value lies at the bottom-left corner pixel, the largest at the top-right one.
    /// </summary>
    [Fact]
    public void LinearFieldIsReproducedAtEveryPixelWithMinAndMaxAtTheRightCorners()
    {
        var (xy, connectivity) = RectangleMesh(2, 2, 2.0, 1.0);
        var nodal = Enumerable.Range(0, xy.Length / 2).Select(i => Linear(xy[2 * i], xy[2 * i + 1])).ToArray();
        var raster = Q8Raster.Render(xy, connectivity, nodal, columns: 80, subdivisions: 4);

        Assert.Equal(40, raster.Rows);
        for (int r = 0; r < raster.Rows; r++)
        {
            for (int c = 0; c < raster.Columns; c++)
            {
                var (x, y) = raster.CentreOf(r, c);
                Assert.False(double.IsNaN(raster.Values[r, c]), $"pixel ({r}, {c}) inside the mesh is empty");
                Assert.Equal(Linear(x, y), raster.Values[r, c], 1e-9);
            }
        }

        var (min, max) = raster.Range();
        Assert.Equal(raster.Values[raster.Rows - 1, 0], min, 1e-12);
        Assert.Equal(raster.Values[0, raster.Columns - 1], max, 1e-12);
    }

    /// <summary>
    /// Truth: on a mesh moved by the affine displacement u = (0.1 X, −0.2 Y) read from a .vtu in the host's format, a
    /// field linear in the reference coordinates is linear in the current ones, f(x / 1.1, y / 0.8); the raster spans
    /// the deformed rectangle [0, 2.2] × [0, 0.8].
    /// </summary>
    [Fact]
    public void FieldOnTheDeformedMeshOfAVtuFollowsTheDisplacement()
    {
        var (xy, connectivity) = RectangleMesh(2, 1, 2.0, 1.0);
        string file = Path.Combine(Path.GetTempPath(), $"femhost-render-{Guid.NewGuid():N}.vtu");
        try
        {
            WriteVtu(file, xy, connectivity, i => (0.1 * xy[2 * i], -0.2 * xy[2 * i + 1]), i => Linear(xy[2 * i], xy[2 * i + 1]));
            var vtu = VtuField.Read(file);
            var raster = Q8Raster.Render(vtu.DeformedCoordinates(), vtu.Connectivity, vtu.NodalScalar("f"), columns: 110, subdivisions: 3);

            Assert.Equal(0, raster.XMin, 1e-12);
            Assert.Equal(2.2, raster.XMax, 1e-9);
            Assert.Equal(0.8, raster.YMax, 1e-12);
            for (int r = 0; r < raster.Rows; r++)
            {
                for (int c = 0; c < raster.Columns; c++)
                {
                    var (x, y) = raster.CentreOf(r, c);
                    if (y < 0.8 - 1e-9 && !double.IsNaN(raster.Values[r, c]))
                    {
                        Assert.Equal(Linear(x / 1.1, y / 0.8), raster.Values[r, c], 1e-9);
                    }
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Truth: in the PNG the colour near the top-right corner of the specimen is the colour map's colour of the maximum,
    /// and near the bottom-left corner that of the minimum (the image is not flipped or mirrored).
    /// </summary>
    [Fact]
    public void PngShowsTheMaximumColourTopRightAndTheMinimumColourBottomLeft()
    {
        var (xy, connectivity) = RectangleMesh(1, 2, 0.5, 1.0);
        string file = Path.Combine(Path.GetTempPath(), $"femhost-render-{Guid.NewGuid():N}.vtu");
        try
        {
            WriteVtu(file, xy, connectivity, _ => (0, 0), i => Linear(xy[2 * i], xy[2 * i + 1]));
            var vtu = VtuField.Read(file);
            var (plot, raster) = ContourPlot.Create(vtu, vtu.NodalScalar("f"), new ContourStyle("linear field", "f"));
            using var bitmap = SKBitmap.Decode(plot.GetImageBytes(400, 600, ImageFormat.Png));
            var (min, max) = raster.Range();

            // Sample 4 % inside each corner, away from the element edges drawn on top.
            AssertColour(bitmap, plot.GetPixel(new Coordinates(0.48, 0.96)), ContourPlot.Colormap.GetColor((Linear(0.48, 0.96) - min) / (max - min)));
            AssertColour(bitmap, plot.GetPixel(new Coordinates(0.02, 0.04)), ContourPlot.Colormap.GetColor((Linear(0.02, 0.04) - min) / (max - min)));
            var top = ContourPlot.Colormap.GetColor(1);
            var bottom = ContourPlot.Colormap.GetColor(0);
            Assert.NotEqual((top.R, top.G, top.B), (bottom.R, bottom.G, bottom.B));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertColour(SKBitmap bitmap, Pixel at, Color expected)
    {
        var actual = bitmap.GetPixel((int)Math.Round(at.X), (int)Math.Round(at.Y));
        int distance = Math.Abs(actual.Red - expected.R) + Math.Abs(actual.Green - expected.G) + Math.Abs(actual.Blue - expected.B);
        Assert.True(distance <= 30, $"pixel ({at.X:F0}, {at.Y:F0}) is ({actual.Red}, {actual.Green}, {actual.Blue}); expected about ({expected.R}, {expected.G}, {expected.B})");
    }

    /// <summary>A structured Q8 mesh of nx × ny elements over [0, w] × [0, h]: node coordinates and connectivity in the host's node order.</summary>
    private static (double[] Xy, int[] Connectivity) RectangleMesh(int nx, int ny, double w, double h)
    {
        var index = new Dictionary<(int, int), int>();
        var xy = new List<double>();
        int Node(int i, int j)
        {
            if (!index.TryGetValue((i, j), out int n))
            {
                n = index.Count;
                index[(i, j)] = n;
                xy.Add(w * i / (2.0 * nx));
                xy.Add(h * j / (2.0 * ny));
            }

            return n;
        }

        var connectivity = new List<int>();
        for (int ey = 0; ey < ny; ey++)
        {
            for (int ex = 0; ex < nx; ex++)
            {
                int i = 2 * ex, j = 2 * ey;
                connectivity.AddRange([Node(i, j), Node(i + 2, j), Node(i + 2, j + 2), Node(i, j + 2),
                    Node(i + 1, j), Node(i + 2, j + 1), Node(i + 1, j + 2), Node(i, j + 1)]);
            }
        }

        return ([.. xy], [.. connectivity]);
    }

    /// <summary>Writes a .vtu the way the host's VtuWriter does (quadratic quads, displacement and one scalar as point data).</summary>
    private static void WriteVtu(string file, double[] xy, int[] connectivity, Func<int, (double, double)> displacement, Func<int, double> field)
    {
        var c = CultureInfo.InvariantCulture;
        int nodes = xy.Length / 2, elements = connectivity.Length / 8;
        var s = new StringBuilder();
        s.AppendLine("<?xml version=\"1.0\"?>");
        s.AppendLine("<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\"><UnstructuredGrid>");
        s.AppendLine(c, $"<Piece NumberOfPoints=\"{nodes}\" NumberOfCells=\"{elements}\">");
        s.AppendLine("<Points><DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">");
        for (int i = 0; i < nodes; i++)
        {
            s.AppendLine(c, $"{xy[2 * i]:R} {xy[2 * i + 1]:R} 0");
        }

        s.AppendLine("</DataArray></Points><Cells>");
        s.AppendLine("<DataArray type=\"Int32\" Name=\"connectivity\" format=\"ascii\">").AppendLine(string.Join(' ', connectivity)).AppendLine("</DataArray>");
        s.AppendLine("<DataArray type=\"Int32\" Name=\"offsets\" format=\"ascii\">").AppendLine(string.Join(' ', Enumerable.Range(1, elements).Select(e => 8 * e))).AppendLine("</DataArray>");
        s.AppendLine("<DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">").AppendLine(string.Join(' ', Enumerable.Repeat(23, elements))).AppendLine("</DataArray>");
        s.AppendLine("</Cells><PointData Vectors=\"displacement\">");
        s.AppendLine("<DataArray type=\"Float64\" Name=\"displacement\" NumberOfComponents=\"3\" format=\"ascii\">");
        for (int i = 0; i < nodes; i++)
        {
            var (ux, uy) = displacement(i);
            s.AppendLine(c, $"{ux:R} {uy:R} 0");
        }

        s.AppendLine("</DataArray>");
        s.AppendLine("<DataArray type=\"Float64\" Name=\"f\" NumberOfComponents=\"1\" format=\"ascii\">");
        for (int i = 0; i < nodes; i++)
        {
            s.AppendLine(field(i).ToString("R", c));
        }

        s.AppendLine("</DataArray></PointData><CellData></CellData></Piece></UnstructuredGrid></VTKFile>");
        File.WriteAllText(file, s.ToString());
    }
}
