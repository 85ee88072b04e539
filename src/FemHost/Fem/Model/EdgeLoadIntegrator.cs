using FemHost.Fem.Meshes;

namespace FemHost.Fem.Model;

/// <summary>
/// Consistent nodal forces of a distributed load on one element edge, f_a = ∫ N_a t ds with
/// t = −p n + (t_x, t_y) (Zienkiewicz &amp; Taylor vol. 1, eq. 6.19). The edge nodes come in element
/// (counter-clockwise) order, so the outward normal times ds is (dy, −dx). A 3-point Gauss rule is
/// exact for quadratic edges with a straight or parabolic geometry.
/// </summary>
internal static class EdgeLoadIntegrator
{
    public static void Add(Mesh mesh, ReadOnlySpan<int> nodes, double pressure, double tx, double ty, double[] f)
    {
        int m = nodes.Length;
        Span<double> n = stackalloc double[m];
        Span<double> dn = stackalloc double[m];
        var (points, weights) = Elements.GaussRule.Line(3);
        for (int g = 0; g < points.Length; g++)
        {
            mesh.Shape.EvaluateEdge(points[g], n, dn);
            double dxds = 0, dyds = 0;
            for (int a = 0; a < m; a++)
            {
                dxds += dn[a] * mesh.Coordinates[2 * nodes[a]];
                dyds += dn[a] * mesh.Coordinates[2 * nodes[a] + 1];
            }

            double length = Math.Sqrt(dxds * dxds + dyds * dyds);
            // Pressure pushes into the body: −p n ds = −p (dy, −dx).
            double fx = -pressure * dyds + tx * length;
            double fy = pressure * dxds + ty * length;
            for (int a = 0; a < m; a++)
            {
                f[2 * nodes[a]] += weights[g] * n[a] * fx;
                f[2 * nodes[a] + 1] += weights[g] * n[a] * fy;
            }
        }
    }
}
