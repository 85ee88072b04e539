namespace FemHost.Fem.Elements;

/// <summary>
/// A quadrature rule on a reference element: points (ξ, η) and weights. The Gauss–Legendre tensor
/// rules on [−1, 1]² integrate polynomials of degree 2n − 1 per direction exactly (Hughes, The Finite
/// Element Method, §3.8).
/// </summary>
public sealed class GaussRule
{
    private GaussRule(string name, double[] xi, double[] eta, double[] weights)
    {
        (Name, Xi, Eta, Weights) = (name, xi, eta, weights);
    }

    /// <summary>Short name, e.g. "3x3".</summary>
    public string Name { get; }

    /// <summary>First reference coordinate of each point.</summary>
    public double[] Xi { get; }

    /// <summary>Second reference coordinate of each point.</summary>
    public double[] Eta { get; }

    /// <summary>Weight of each point (they sum to the reference area, 4 for the square).</summary>
    public double[] Weights { get; }

    /// <summary>Number of points.</summary>
    public int Count => Weights.Length;

    /// <summary>The n-point Gauss–Legendre rule on [−1, 1] (n = 1, 2 or 3).</summary>
    public static (double[] Points, double[] Weights) Line(int n) => n switch
    {
        1 => ([0.0], [2.0]),
        2 => ([-1.0 / Math.Sqrt(3.0), 1.0 / Math.Sqrt(3.0)], [1.0, 1.0]),
        3 => ([-Math.Sqrt(0.6), 0.0, Math.Sqrt(0.6)], [5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0]),
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, "Gauss–Legendre rules with 1, 2 or 3 points are provided"),
    };

    /// <summary>
    /// The n × n tensor-product rule on the square [−1, 1]², points ordered with ξ fastest.
    /// 2×2 integrates the Q8 stiffness with reduced integration; 3×3 is full integration.
    /// </summary>
    public static GaussRule Square(int n)
    {
        var (p, w) = Line(n);
        var xi = new double[n * n];
        var eta = new double[n * n];
        var wt = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = j * n + i;
                (xi[k], eta[k], wt[k]) = (p[i], p[j], w[i] * w[j]);
            }
        }

        return new GaussRule($"{n}x{n}", xi, eta, wt);
    }
}
