namespace FemHost.Fem.Elements;

/// <summary>
/// The 8-node serendipity quadrilateral. Node order (Gmsh and VTK_QUADRATIC_QUAD alike): corners 0–3
/// counter-clockwise from (−1, −1), then mid-side nodes 4 (edge 0–1), 5 (1–2), 6 (2–3), 7 (3–0).
/// Shape functions (Zienkiewicz &amp; Taylor, The FEM vol. 1, §8.7, eqs. 8.16–8.17):
/// corners N = ¼(1 + ξξ_a)(1 + ηη_a)(ξξ_a + ηη_a − 1); mid-sides with ξ_a = 0:
/// N = ½(1 − ξ²)(1 + ηη_a); with η_a = 0: N = ½(1 + ξξ_a)(1 − η²).
/// </summary>
public sealed class ShapeQ8 : IElementShape
{
    private static readonly double[] Xa = [-1, 1, 1, -1, 0, 1, 0, -1];
    private static readonly double[] Ea = [-1, -1, 1, 1, -1, 0, 1, 0];

    /// <summary>The shared instance (the class has no state).</summary>
    public static ShapeQ8 Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "Q8";

    /// <inheritdoc/>
    public int NodeCount => 8;

    /// <inheritdoc/>
    public int EdgeNodeCount => 3;

    /// <inheritdoc/>
    public IReadOnlyList<int[]> Edges { get; } = [[0, 1, 4], [1, 2, 5], [2, 3, 6], [3, 0, 7]];

    /// <inheritdoc/>
    public IReadOnlyList<(double Xi, double Eta)> NodeCoordinates { get; } =
        Enumerable.Range(0, 8).Select(a => (Xa[a], Ea[a])).ToArray();

    /// <inheritdoc/>
    public void Evaluate(double xi, double eta, Span<double> n, Span<double> dndxi, Span<double> dndeta)
    {
        for (int a = 0; a < 4; a++)
        {
            double xa = Xa[a], ea = Ea[a];
            double fx = 1 + xi * xa, fe = 1 + eta * ea, g = xi * xa + eta * ea - 1;
            n[a] = 0.25 * fx * fe * g;
            dndxi[a] = 0.25 * xa * fe * (g + fx);
            dndeta[a] = 0.25 * ea * fx * (g + fe);
        }

        for (int a = 4; a < 8; a++)
        {
            double xa = Xa[a], ea = Ea[a];
            if (xa == 0)
            {
                n[a] = 0.5 * (1 - xi * xi) * (1 + eta * ea);
                dndxi[a] = -xi * (1 + eta * ea);
                dndeta[a] = 0.5 * (1 - xi * xi) * ea;
            }
            else
            {
                n[a] = 0.5 * (1 + xi * xa) * (1 - eta * eta);
                dndxi[a] = 0.5 * xa * (1 - eta * eta);
                dndeta[a] = -eta * (1 + xi * xa);
            }
        }
    }

    /// <summary>Quadratic Lagrange functions on an edge: ends at s = ∓1, the mid-side node at s = 0.</summary>
    public void EvaluateEdge(double s, Span<double> n, Span<double> dnds)
    {
        n[0] = 0.5 * s * (s - 1);
        n[1] = 0.5 * s * (s + 1);
        n[2] = 1 - s * s;
        dnds[0] = s - 0.5;
        dnds[1] = s + 0.5;
        dnds[2] = -2 * s;
    }

    /// <inheritdoc/>
    public GaussRule Rule(int order) => order is 2 or 3 ? GaussRule.Square(order)
        : throw new ArgumentOutOfRangeException(nameof(order), order, "Q8 uses 2×2 (reduced) or 3×3 (full) Gauss integration");

    /// <summary>
    /// 2×2: the bilinear basis {1, ξ, η, ξη} (exact interpolation through the 4 points);
    /// 3×3: the serendipity basis {1, ξ, η, ξ², ξη, η², ξ²η, ξη²} fitted to 9 points by least squares.
    /// </summary>
    public int ExtrapolationBasis(int order, double xi, double eta, Span<double> basis)
    {
        basis[0] = 1; basis[1] = xi; basis[2] = eta; basis[3] = xi * eta;
        if (order == 2)
        {
            return 4;
        }

        basis[4] = xi * xi; basis[5] = eta * eta; basis[6] = xi * xi * eta; basis[7] = xi * eta * eta;
        return 8;
    }
}
