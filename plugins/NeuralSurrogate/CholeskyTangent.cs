namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// The output map of a tangent network that is symmetric positive definite by construction: the MLP gives the
/// n(n+1)/2 entries of a lower-triangular L (row-major, l_pk for k ≤ p), the diagonal through a softplus,
/// L_pp = ln(1 + e^{l_pp}) &gt; 0, and D = c² L Lᵀ. Since L is non-singular, xᵀ D x = c² |Lᵀ x|² &gt; 0 for every
/// x ≠ 0, whatever the weights: Newton–Raphson never sees an indefinite or singular material tangent from the
/// network, however far the inputs are from the training data. c (kPa^½) makes the entries of L of order one.
/// The n components are those of the tangent outputs D_ij_kl, which must be a complete upper triangle.
/// </summary>
public sealed class CholeskyTangent
{
    private readonly int[] _row;   // for each output, its position p in the component list
    private readonly int[] _col;   // and q ≥ p

    /// <summary>Creates the map for the given tangent outputs; throws <see cref="ArgumentException"/> when they are not a complete upper triangle.</summary>
    public CholeskyTangent(Feature[] outputs, double scale)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentException($"the Cholesky scale c must be positive and finite, not {scale}");
        }

        if (outputs.Any(f => f.Kind != QuantityKind.Tangent))
        {
            throw new ArgumentException("a Cholesky tangent network outputs only tangent entries D_ij_kl");
        }

        var components = outputs.SelectMany(f => new[] { f.Row, f.Column }).Distinct().Order().ToArray();
        int n = components.Length;
        var pairs = outputs.Select(f => (Array.IndexOf(components, f.Row), Array.IndexOf(components, f.Column))).ToArray();
        if (outputs.Length != n * (n + 1) / 2 || pairs.Distinct().Count() != pairs.Length)
        {
            throw new ArgumentException($"a Cholesky tangent network needs the complete upper triangle of its {n} components ({n * (n + 1) / 2} distinct D_ij_kl entries), not {string.Join(", ", outputs.Select(f => f.Name))}");
        }

        (Size, Scale) = (n, scale);
        _row = [.. pairs.Select(p => p.Item1)];
        _col = [.. pairs.Select(p => p.Item2)];
    }

    /// <summary>c (kPa^½).</summary>
    public double Scale { get; }

    /// <summary>n, the number of strain components of the tangent.</summary>
    public int Size { get; }

    /// <summary>Position of entry L_pk (k ≤ p) in the network's raw output.</summary>
    public static int Index(int p, int k) => p * (p + 1) / 2 + k;

    /// <summary>For each output, the positions (p, q) of its row and column among the components.</summary>
    public (int P, int Q) Entry(int output) => (_row[output], _col[output]);

    /// <summary>
    /// The scale that makes L of order one for a tangent of the given output scaling: c = √(mean |mean of D_pp|) over
    /// the diagonal outputs (1 when they all average zero).
    /// </summary>
    public static double ScaleFor(Feature[] outputs, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(outputScaling);
        var diagonal = outputs.Select((f, i) => (f, i)).Where(t => t.f.Row == t.f.Column).Select(t => Math.Abs(outputScaling.Mean[t.i])).ToArray();
        double mean = diagonal.Length == 0 ? 0 : diagonal.Average();
        return mean > 0 ? Math.Sqrt(mean) : 1;
    }

    /// <summary>softplus(x) = ln(1 + eˣ), evaluated without overflow; x itself above 20, as libtorch's softplus (the difference is below e⁻²⁰).</summary>
    public static double Softplus(double x) => x > 20 ? x : double.LogP1(Math.Exp(x));

    /// <summary>Maps <paramref name="count"/> raw outputs (count × n(n+1)/2, L row-major) to tangent entries in output order (kPa).</summary>
    public void Apply(ReadOnlySpan<double> raw, Span<double> d, int count)
    {
        int m = _row.Length;
        Span<double> l = stackalloc double[m];
        double c2 = Scale * Scale;
        for (int s = 0; s < count; s++)
        {
            var r = raw.Slice(s * m, m);
            for (int p = 0; p < Size; p++)
            {
                for (int k = 0; k <= p; k++)
                {
                    l[Index(p, k)] = k == p ? Softplus(r[Index(p, k)]) : r[Index(p, k)];
                }
            }

            for (int o = 0; o < m; o++)
            {
                // D_pq = c² Σ_{k ≤ min(p, q)} L_pk L_qk.
                int p = _row[o], q = _col[o];
                double sum = 0;
                for (int k = 0; k <= p; k++)
                {
                    sum += l[Index(p, k)] * l[Index(q, k)];
                }

                d[s * m + o] = c2 * sum;
            }
        }
    }
}
