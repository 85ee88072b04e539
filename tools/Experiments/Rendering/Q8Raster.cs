namespace FemHost.Experiments.Rendering;

/// <summary>
/// Rasterises a nodal field on a Q8 mesh into a regular grid of pixel values. Each element is mapped with the
/// serendipity shape functions (Zienkiewicz &amp; Taylor, The FEM vol. 1, §8.7, eqs. 8.16–8.17; the host's
/// ShapeQ8), which interpolate both the (deformed) geometry and the field; the element is cut into
/// <c>s × s</c> parent-space cells, each split into two triangles, and every pixel whose centre lies in a
/// triangle gets the linear interpolation of its three vertex values. A field that is linear in x and y on a
/// straight-sided mesh is therefore reproduced exactly; curved edges and quadratic fields converge as s².
/// Pixels outside the mesh are NaN.
/// </summary>
public sealed class Q8Raster
{
    private static readonly double[] Xa = [-1, 1, 1, -1, 0, 1, 0, -1];
    private static readonly double[] Ea = [-1, -1, 1, 1, -1, 0, 1, 0];

    private Q8Raster(double[,] values, double xMin, double yMax, double pixel)
    {
        (Values, XMin, YMax, PixelSize) = (values, xMin, yMax, pixel);
    }

    /// <summary>Pixel values, [row, column], row 0 at the top (largest y); NaN outside the mesh.</summary>
    public double[,] Values { get; }

    /// <summary>Number of pixel rows.</summary>
    public int Rows => Values.GetLength(0);

    /// <summary>Number of pixel columns.</summary>
    public int Columns => Values.GetLength(1);

    /// <summary>World x of the raster's left edge.</summary>
    public double XMin { get; }

    /// <summary>World y of the raster's top edge.</summary>
    public double YMax { get; }

    /// <summary>Side of a square pixel in world units.</summary>
    public double PixelSize { get; }

    /// <summary>World x of the raster's right edge.</summary>
    public double XMax => XMin + Columns * PixelSize;

    /// <summary>World y of the raster's bottom edge.</summary>
    public double YMin => YMax - Rows * PixelSize;

    /// <summary>World coordinates of the centre of pixel (row, column).</summary>
    public (double X, double Y) CentreOf(int row, int column) => (XMin + (column + 0.5) * PixelSize, YMax - (row + 0.5) * PixelSize);

    /// <summary>Smallest and largest finite pixel value.</summary>
    public (double Min, double Max) Range()
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in Values)
        {
            if (double.IsFinite(v))
            {
                (min, max) = (Math.Min(min, v), Math.Max(max, v));
            }
        }

        return (min, max);
    }

    /// <summary>
    /// Rasterises <paramref name="nodal"/> over the mesh (node coordinates <paramref name="xy"/>, (x, y) per node,
    /// 8 nodes per element in <paramref name="connectivity"/>) into a raster <paramref name="columns"/> pixels wide
    /// with square pixels, the mesh's bounding box filling it; <paramref name="subdivisions"/> parent-space cells
    /// per element side.
    /// </summary>
    public static Q8Raster Render(double[] xy, int[] connectivity, double[] nodal, int columns, int subdivisions = 12)
    {
        if (connectivity.Length % 8 != 0 || connectivity.Length == 0)
        {
            throw new ArgumentException("connectivity must hold 8 nodes per Q8 element", nameof(connectivity));
        }

        if (nodal.Length * 2 != xy.Length)
        {
            throw new ArgumentException($"{nodal.Length} nodal values for {xy.Length / 2} nodes", nameof(nodal));
        }

        int s = Math.Max(1, subdivisions);
        int elements = connectivity.Length / 8;
        int grid = (s + 1) * (s + 1);
        var px = new double[elements * grid];
        var py = new double[elements * grid];
        var pv = new double[elements * grid];
        Span<double> n = stackalloc double[8];
        for (int e = 0; e < elements; e++)
        {
            for (int j = 0; j <= s; j++)
            {
                for (int i = 0; i <= s; i++)
                {
                    Shape(-1 + 2.0 * i / s, -1 + 2.0 * j / s, n);
                    double x = 0, y = 0, v = 0;
                    for (int a = 0; a < 8; a++)
                    {
                        int node = connectivity[8 * e + a];
                        x += n[a] * xy[2 * node];
                        y += n[a] * xy[2 * node + 1];
                        v += n[a] * nodal[node];
                    }

                    int k = e * grid + j * (s + 1) + i;
                    (px[k], py[k], pv[k]) = (x, y, v);
                }
            }
        }

        double xMin = px.Min(), xMax = px.Max(), yMin = py.Min(), yMax = py.Max();
        double pixel = (xMax - xMin) / columns;
        int rows = Math.Max(1, (int)Math.Ceiling((yMax - yMin) / pixel - 1e-9));
        var values = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r, c] = double.NaN;
            }
        }

        var raster = new Q8Raster(values, xMin, yMax, pixel);
        for (int e = 0; e < elements; e++)
        {
            for (int j = 0; j < s; j++)
            {
                for (int i = 0; i < s; i++)
                {
                    int k00 = e * grid + j * (s + 1) + i, k10 = k00 + 1, k01 = k00 + s + 1, k11 = k01 + 1;
                    raster.Fill(px, py, pv, k00, k10, k11);
                    raster.Fill(px, py, pv, k00, k11, k01);
                }
            }
        }

        return raster;
    }

    /// <summary>Serendipity Q8 shape functions at (ξ, η), node order as the host's ShapeQ8.</summary>
    internal static void Shape(double xi, double eta, Span<double> n)
    {
        for (int a = 0; a < 4; a++)
        {
            n[a] = 0.25 * (1 + xi * Xa[a]) * (1 + eta * Ea[a]) * (xi * Xa[a] + eta * Ea[a] - 1);
        }

        for (int a = 4; a < 8; a++)
        {
            n[a] = Xa[a] == 0 ? 0.5 * (1 - xi * xi) * (1 + eta * Ea[a]) : 0.5 * (1 + xi * Xa[a]) * (1 - eta * eta);
        }
    }

    /// <summary>Linear interpolation over one triangle into every pixel whose centre it contains (barycentric coordinates).</summary>
    private void Fill(double[] x, double[] y, double[] v, int a, int b, int c)
    {
        double det = (x[b] - x[a]) * (y[c] - y[a]) - (x[c] - x[a]) * (y[b] - y[a]);
        if (Math.Abs(det) < 1e-300)
        {
            return;
        }

        double lo = Math.Min(x[a], Math.Min(x[b], x[c])), hi = Math.Max(x[a], Math.Max(x[b], x[c]));
        double bottom = Math.Min(y[a], Math.Min(y[b], y[c])), top = Math.Max(y[a], Math.Max(y[b], y[c]));
        int c0 = Math.Max(0, (int)Math.Floor((lo - XMin) / PixelSize - 0.5));
        int c1 = Math.Min(Columns - 1, (int)Math.Ceiling((hi - XMin) / PixelSize - 0.5));
        int r0 = Math.Max(0, (int)Math.Floor((YMax - top) / PixelSize - 0.5));
        int r1 = Math.Min(Rows - 1, (int)Math.Ceiling((YMax - bottom) / PixelSize - 0.5));
        const double eps = -1e-12;
        for (int r = r0; r <= r1; r++)
        {
            for (int col = c0; col <= c1; col++)
            {
                var (X, Y) = CentreOf(r, col);
                double l1 = ((X - x[a]) * (y[c] - y[a]) - (x[c] - x[a]) * (Y - y[a])) / det;
                double l2 = ((x[b] - x[a]) * (Y - y[a]) - (X - x[a]) * (y[b] - y[a])) / det;
                double l0 = 1 - l1 - l2;
                if (l0 >= eps && l1 >= eps && l2 >= eps)
                {
                    Values[r, col] = l0 * v[a] + l1 * v[b] + l2 * v[c];
                }
            }
        }
    }
}
