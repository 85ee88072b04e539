namespace FemHost.Fem.Solution;

/// <summary>
/// Limited-memory inverse BFGS update of a factorised kernel K₀ (Matthies &amp; Strang, "The solution of nonlinear
/// finite element equations", IJNME 14, 1979; the two-loop recursion of Nocedal &amp; Wright, Numerical
/// Optimization, 2nd ed., Algorithm 7.4). With the pairs s_i = u_{i+1} − u_i and y_i = F_int(u_{i+1}) − F_int(u_i)
/// = R_i − R_{i+1} of the iterations so far, the correction δu = H R applies
/// H_{i+1} = (I − ρ_i s_i y_iᵀ) H_i (I − ρ_i y_i s_iᵀ) + ρ_i s_i s_iᵀ, ρ_i = 1 / (y_iᵀ s_i), H_0 = K₀⁻¹,
/// so that H y_i = s_i for the last pair (secant condition): the stiffness the iterations have measured replaces the
/// kernel's along the directions they explored. That is what a tangent that is not the derivative of the stress
/// update (an approximate or elastic tangent) lacks, and why plain iterations with it converge only linearly.
/// </summary>
internal sealed class BfgsUpdate
{
    private readonly double[][] _s, _y;
    private readonly double[] _rho, _alpha, _q;

    /// <summary>Storage for <paramref name="memory"/> pairs of vectors of <paramref name="length"/> values.</summary>
    public BfgsUpdate(int length, int memory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memory, 1);
        _s = new double[memory][];
        _y = new double[memory][];
        for (int i = 0; i < memory; i++)
        {
            _s[i] = new double[length];
            _y[i] = new double[length];
        }

        _rho = new double[memory];
        _alpha = new double[memory];
        _q = new double[length];
    }

    /// <summary>Pairs held.</summary>
    public int Count { get; private set; }

    /// <summary>Whether no further pair fits (the caller then re-forms the kernel).</summary>
    public bool IsFull => Count == _s.Length;

    /// <summary>Drops every pair: H = K₀⁻¹ again (a new increment, a re-formed kernel).</summary>
    public void Clear() => Count = 0;

    /// <summary>
    /// Adds the pair (s, y) when the curvature condition yᵀs &gt; 10⁻¹² ‖y‖ ‖s‖ holds (H stays positive definite);
    /// along a softening direction (yᵀs ≤ 0) the pair is skipped and false returned.
    /// </summary>
    public bool Add(ReadOnlySpan<double> s, ReadOnlySpan<double> y)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("the BFGS update holds its full memory of pairs; re-form the kernel first");
        }

        double ys = 0, ss = 0, yy = 0;
        for (int i = 0; i < s.Length; i++)
        {
            ys += y[i] * s[i];
            ss += s[i] * s[i];
            yy += y[i] * y[i];
        }

        if (!(ys > 1e-12 * Math.Sqrt(ss * yy)))
        {
            return false;
        }

        s.CopyTo(_s[Count]);
        y.CopyTo(_y[Count]);
        _rho[Count] = 1 / ys;
        Count++;
        return true;
    }

    /// <summary>
    /// d = H r by the two-loop recursion; <paramref name="kernelSolve"/>(q, z) must solve K₀ z = q with the factorised
    /// kernel (and leave constrained equations at zero).
    /// </summary>
    public void Apply(ReadOnlySpan<double> r, double[] d, Action<double[], double[]> kernelSolve)
    {
        r.CopyTo(_q);
        for (int k = Count - 1; k >= 0; k--)
        {
            _alpha[k] = _rho[k] * Dot(_s[k], _q);
            Axpy(-_alpha[k], _y[k], _q);
        }

        kernelSolve(_q, d);
        for (int k = 0; k < Count; k++)
        {
            double beta = _rho[k] * Dot(_y[k], d);
            Axpy(_alpha[k] - beta, _s[k], d);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
