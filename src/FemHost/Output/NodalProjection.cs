using FemHost.Fem.Elements;
using FemHost.Fem.Meshes;

namespace FemHost.Output;

/// <summary>
/// Gauss-point values → nodal values for plotting. In each element the point values are fitted by least
/// squares with the shape's extrapolation basis (bilinear for 2×2, serendipity for 3×3; Hinton &amp;
/// Campbell 1974, "Local and global smoothing of discontinuous finite element functions") and the fit is
/// evaluated at the element's nodes; nodal values are then the plain average over the elements sharing
/// the node. Cell values are the volume-weighted averages of the element's points.
/// </summary>
public sealed class NodalProjection
{
    private readonly Mesh _mesh;
    private readonly int _points;
    private readonly double[] _extrapolation; // nodes × points, row-major
    private readonly int[] _share;

    /// <summary>Precomputes the element extrapolation matrix for a mesh and formulation.</summary>
    public NodalProjection(Mesh mesh, IElementFormulation element)
    {
        _mesh = mesh;
        var shape = element.Shape;
        var rule = element.Rule;
        _points = rule.Count;
        int nodes = shape.NodeCount;
        Span<double> basis = stackalloc double[16];
        int size = shape.ExtrapolationBasis(rule.Count == 4 ? 2 : 3, 0, 0, basis);
        int order = size == 4 ? 2 : 3;

        // A (points × size); extrapolation E = P (AᵀA)⁻¹ Aᵀ with P (nodes × size) the basis at the nodes.
        var a = new double[_points, size];
        for (int q = 0; q < _points; q++)
        {
            shape.ExtrapolationBasis(order, rule.Xi[q], rule.Eta[q], basis);
            for (int k = 0; k < size; k++)
            {
                a[q, k] = basis[k];
            }
        }

        var ata = new double[size, size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                for (int q = 0; q < _points; q++)
                {
                    ata[i, j] += a[q, i] * a[q, j];
                }
            }
        }

        var inv = Invert(ata);
        _extrapolation = new double[nodes * _points];
        for (int node = 0; node < nodes; node++)
        {
            var (xi, eta) = shape.NodeCoordinates[node];
            shape.ExtrapolationBasis(order, xi, eta, basis);
            for (int q = 0; q < _points; q++)
            {
                double s = 0;
                for (int i = 0; i < size; i++)
                {
                    for (int j = 0; j < size; j++)
                    {
                        s += basis[i] * inv[i, j] * a[q, j];
                    }
                }

                _extrapolation[node * _points + q] = s;
            }
        }

        _share = new int[mesh.NodeCount];
        foreach (int node in mesh.Connectivity)
        {
            _share[node]++;
        }
    }

    /// <summary>Nodal values (nodes × components) of a point field (points × components, global point order).</summary>
    public double[] ToNodes(double[] pointValues, int components)
    {
        int nen = _mesh.Shape.NodeCount;
        var result = new double[_mesh.NodeCount * components];
        for (int e = 0; e < _mesh.ElementCount; e++)
        {
            var nodes = _mesh.ElementNodes(e);
            for (int a = 0; a < nen; a++)
            {
                for (int c = 0; c < components; c++)
                {
                    double s = 0;
                    for (int q = 0; q < _points; q++)
                    {
                        s += _extrapolation[a * _points + q] * pointValues[(e * _points + q) * components + c];
                    }

                    result[nodes[a] * components + c] += s / _share[nodes[a]];
                }
            }
        }

        return result;
    }

    /// <summary>Volume-weighted element averages (elements × components).</summary>
    public double[] ToCells(double[] pointValues, int components, double[] pointVolumes)
    {
        var result = new double[_mesh.ElementCount * components];
        for (int e = 0; e < _mesh.ElementCount; e++)
        {
            double v = 0;
            for (int q = 0; q < _points; q++)
            {
                int p = e * _points + q;
                v += pointVolumes[p];
                for (int c = 0; c < components; c++)
                {
                    result[e * components + c] += pointVolumes[p] * pointValues[p * components + c];
                }
            }

            for (int c = 0; c < components; c++)
            {
                result[e * components + c] /= v;
            }
        }

        return result;
    }

    private static double[,] Invert(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (inv[col, k], inv[pivot, k]) = (inv[pivot, k], inv[col, k]);
            }

            double d = a[col, col];
            for (int k = 0; k < n; k++)
            {
                a[col, k] /= d;
                inv[col, k] /= d;
            }

            for (int r = 0; r < n; r++)
            {
                if (r != col)
                {
                    double f = a[r, col];
                    for (int k = 0; k < n; k++)
                    {
                        a[r, k] -= f * a[col, k];
                        inv[r, k] -= f * inv[col, k];
                    }
                }
            }
        }

        return inv;
    }
}
