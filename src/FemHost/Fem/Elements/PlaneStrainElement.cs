using FemHost.MaterialSdk;

namespace FemHost.Fem.Elements;

/// <summary>
/// Isoparametric plane-strain displacement element of any <see cref="IElementShape"/>, unit thickness.
/// B rows in SDK Voigt order: ε11 = ∂u/∂x, ε22 = ∂v/∂y, ε33 = 0, γ12 = ∂u/∂y + ∂v/∂x
/// (Zienkiewicz &amp; Taylor vol. 1, eq. 6.18). Shape values at the rule's points are tabulated once.
/// </summary>
public sealed class PlaneStrainElement : IElementFormulation
{
    private readonly double[] _dndxi;
    private readonly double[] _dndeta;
    private readonly double[] _n;

    /// <summary>Creates the formulation for a shape and a Gauss order (points per direction).</summary>
    public PlaneStrainElement(IElementShape shape, int gaussOrder)
    {
        Shape = shape;
        Rule = shape.Rule(gaussOrder);
        int m = shape.NodeCount, nq = Rule.Count;
        _n = new double[nq * m];
        _dndxi = new double[nq * m];
        _dndeta = new double[nq * m];
        for (int q = 0; q < nq; q++)
        {
            shape.Evaluate(Rule.Xi[q], Rule.Eta[q], _n.AsSpan(q * m, m), _dndxi.AsSpan(q * m, m), _dndeta.AsSpan(q * m, m));
        }
    }

    /// <inheritdoc/>
    public IElementShape Shape { get; }

    /// <inheritdoc/>
    public ModellingHypothesis Hypothesis => ModellingHypothesis.PlaneStrain;

    /// <inheritdoc/>
    public GaussRule Rule { get; }

    /// <inheritdoc/>
    public int StrainSize => 4;

    /// <inheritdoc/>
    public int DofsPerNode => 2;

    /// <inheritdoc/>
    public int ElementDofs => 2 * Shape.NodeCount;

    /// <inheritdoc/>
    public double Evaluate(int element, ReadOnlySpan<double> nodeXy, int q, Span<double> b, Span<double> x)
    {
        int m = Shape.NodeCount;
        var n = _n.AsSpan(q * m, m);
        var dxi = _dndxi.AsSpan(q * m, m);
        var deta = _dndeta.AsSpan(q * m, m);
        double detJ = Jacobian(nodeXy, dxi, deta, out double j11, out double j12, out double j21, out double j22);
        if (!(detJ > 0))
        {
            Fail(element, nodeXy, Rule.Xi[q], Rule.Eta[q], detJ);
        }

        // dN/dx = J⁻¹ dN/dξ with J = [∂x/∂ξ ∂y/∂ξ; ∂x/∂η ∂y/∂η].
        double inv = 1.0 / detJ;
        int nd = 2 * m;
        b[..(4 * nd)].Clear();
        double px = 0, py = 0;
        for (int a = 0; a < m; a++)
        {
            double dx = inv * (j22 * dxi[a] - j12 * deta[a]);
            double dy = inv * (-j21 * dxi[a] + j11 * deta[a]);
            b[2 * a] = dx;
            b[nd + 2 * a + 1] = dy;
            b[3 * nd + 2 * a] = dy;
            b[3 * nd + 2 * a + 1] = dx;
            px += n[a] * nodeXy[2 * a];
            py += n[a] * nodeXy[2 * a + 1];
        }

        x[0] = px;
        x[1] = py;
        return Rule.Weights[q] * detJ;
    }

    /// <inheritdoc/>
    public ReadOnlySpan<double> ShapeValues(int q) => _n.AsSpan(q * Shape.NodeCount, Shape.NodeCount);

    /// <inheritdoc/>
    public void CheckGeometry(int element, ReadOnlySpan<double> nodeXy)
    {
        int m = Shape.NodeCount;
        Span<double> n = stackalloc double[m];
        Span<double> dxi = stackalloc double[m];
        Span<double> deta = stackalloc double[m];
        foreach (var (xi, eta) in Shape.NodeCoordinates.Concat(Enumerable.Range(0, Rule.Count).Select(q => (Rule.Xi[q], Rule.Eta[q]))))
        {
            Shape.Evaluate(xi, eta, n, dxi, deta);
            double detJ = Jacobian(nodeXy, dxi, deta, out _, out _, out _, out _);
            if (!(detJ > 0))
            {
                Fail(element, nodeXy, xi, eta, detJ);
            }
        }
    }

    private static double Jacobian(ReadOnlySpan<double> xy, ReadOnlySpan<double> dxi, ReadOnlySpan<double> deta,
        out double j11, out double j12, out double j21, out double j22)
    {
        (j11, j12, j21, j22) = (0, 0, 0, 0);
        for (int a = 0; a < dxi.Length; a++)
        {
            j11 += dxi[a] * xy[2 * a];
            j12 += dxi[a] * xy[2 * a + 1];
            j21 += deta[a] * xy[2 * a];
            j22 += deta[a] * xy[2 * a + 1];
        }

        return j11 * j22 - j12 * j21;
    }

    private void Fail(int element, ReadOnlySpan<double> nodeXy, double xi, double eta, double detJ)
    {
        int m = Shape.NodeCount;
        Span<double> n = stackalloc double[m];
        Span<double> d1 = stackalloc double[m];
        Span<double> d2 = stackalloc double[m];
        Shape.Evaluate(xi, eta, n, d1, d2);
        double x = 0, y = 0;
        for (int a = 0; a < m; a++)
        {
            x += n[a] * nodeXy[2 * a];
            y += n[a] * nodeXy[2 * a + 1];
        }

        throw new ElementGeometryException(element, xi, eta, detJ, x, y);
    }
}
