using ScottPlot;

namespace FemHost.Experiments.Rendering;

/// <summary>What to draw in one contour panel.</summary>
/// <param name="Title">Panel title.</param>
/// <param name="ColourBarLabel">Label of the colour bar (quantity and unit).</param>
/// <param name="Range">Colour range; null = the panel's own minimum and maximum (pass one range to several panels to compare them).</param>
/// <param name="Columns">Raster width in pixels (height follows the mesh's aspect ratio).</param>
/// <param name="Subdivisions">Parent-space cells per element side (<see cref="Q8Raster"/>).</param>
public sealed record ContourStyle(string Title, string ColourBarLabel, (double Min, double Max)? Range = null, int Columns = 240, int Subdivisions = 12);

/// <summary>
/// A contour plot of a nodal field of a FemHost .vtu on the deformed mesh, as in the paper's Fig. 17–18: the field
/// rasterised by <see cref="Q8Raster"/> shown as a ScottPlot heatmap in world coordinates (square units), the
/// element edges drawn on top, and a colour bar (colour map Turbo).
/// </summary>
public static class ContourPlot
{
    /// <summary>The colour map of every contour plot.</summary>
    public static IColormap Colormap { get; } = new ScottPlot.Colormaps.Turbo();

    /// <summary>Rasterises <paramref name="nodal"/> on the mesh moved by <paramref name="displacementScale"/> × u and returns the plot and its raster.</summary>
    public static (Plot Plot, Q8Raster Raster) Create(VtuField vtu, double[] nodal, ContourStyle style, double displacementScale = 1)
    {
        ArgumentNullException.ThrowIfNull(vtu);
        ArgumentNullException.ThrowIfNull(style);
        var xy = vtu.DeformedCoordinates(displacementScale);
        var raster = Q8Raster.Render(xy, vtu.Connectivity, nodal, style.Columns, style.Subdivisions);
        var range = style.Range ?? raster.Range();
        if (!(range.Max > range.Min))
        {
            range = (range.Min - 0.5 * Math.Max(1e-12, Math.Abs(range.Min)), range.Max + 0.5 * Math.Max(1e-12, Math.Abs(range.Max)));
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(raster.Values);
        heatmap.Colormap = Colormap;
        heatmap.Extent = new CoordinateRect(raster.XMin, raster.XMax, raster.YMin, raster.YMax);
        heatmap.NaNCellColor = Colors.Transparent;
        heatmap.ManualRange = new ScottPlot.Range(range.Min, range.Max);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = style.ColourBarLabel;
        foreach (var edge in ElementEdges(vtu, xy))
        {
            var line = plot.Add.ScatterLine(edge.X, edge.Y, Colors.Black);
            line.LineWidth = 0.6f;
        }

        plot.Title(style.Title);
        plot.XLabel("x (m)");
        plot.YLabel("y (m)");
        plot.Axes.SquareUnits();
        return (plot, raster);
    }

    /// <summary>Writes the contour plot of <paramref name="nodal"/> to <paramref name="pngPath"/> and returns its raster.</summary>
    public static Q8Raster Save(string pngPath, VtuField vtu, double[] nodal, ContourStyle style, int width = 420, int height = 640, double displacementScale = 1)
    {
        var (plot, raster) = Create(vtu, nodal, style, displacementScale);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        plot.SavePng(pngPath, width, height);
        return raster;
    }

    /// <summary>Every element edge as a polyline through its end nodes and mid-side node (quadratic along the edge).</summary>
    private static IEnumerable<(double[] X, double[] Y)> ElementEdges(VtuField vtu, double[] xy)
    {
        int[][] edges = [[0, 4, 1], [1, 5, 2], [2, 6, 3], [3, 7, 0]];
        const int segments = 8;
        for (int e = 0; e < vtu.ElementCount; e++)
        {
            foreach (var edge in edges)
            {
                var x = new double[segments + 1];
                var y = new double[segments + 1];
                for (int k = 0; k <= segments; k++)
                {
                    // 1D quadratic Lagrange along the edge, t ∈ [−1, 1]: the Q8 restricted to an edge.
                    double t = -1 + 2.0 * k / segments;
                    double n0 = 0.5 * t * (t - 1), n1 = 1 - t * t, n2 = 0.5 * t * (t + 1);
                    int a = vtu.Connectivity[8 * e + edge[0]], m = vtu.Connectivity[8 * e + edge[1]], b = vtu.Connectivity[8 * e + edge[2]];
                    x[k] = n0 * xy[2 * a] + n1 * xy[2 * m] + n2 * xy[2 * b];
                    y[k] = n0 * xy[2 * a + 1] + n1 * xy[2 * m + 1] + n2 * xy[2 * b + 1];
                }

                yield return (x, y);
            }
        }
    }
}
