namespace FemHost.Materials.DhModel;

/// <summary>
/// Exact integration of the pressure-dependent (hypoelastic) elasticity dp = K(p) dε_v^e,
/// ds = 2G(p) de^e with K = k p^n, G = (G0/K0) K, over an elastic strain increment taken along a straight
/// line (the same assumption as any strain-driven step).
/// </summary>
/// <remarks>
/// Separating variables, p^(−n) dp = k dε_v gives p_{n+1}^(1−n) = p_n^(1−n) + (1−n) k Δε_v^e, i.e.
/// p_{n+1} = p_n (1 + u)^β with u = (1−n) K_n Δε_v^e / p_n and β = 1/(1−n). Along the same line
/// ds = 2G de = 2 (G0/K0) (dp/dε_v) de, so the deviatoric update is exact with the <em>secant</em> shear modulus
/// Ḡ = (G0/K0)(p_{n+1} − p_n)/Δε_v^e = (G0/K0)(1−n) K_n h(u), h(u) = ((1+u)^β − 1)/u. Hence the elastic
/// predictor is energy-consistent for any step size, and h and h' are evaluated by a series near u = 0 to
/// avoid cancellation. Volumetric strain here is compression positive.
/// </remarks>
internal sealed class HypoelasticPressure
{
    // Below |u| = 1e-2 the Taylor series (to u^6, truncation ~1e-14) is both cheaper than Math.Pow and free of the
    // cancellation in ((1+u)^β − 1)/u; above it the closed form loses at most eps/u² ≈ 1e-12 in h'.
    private const double SeriesLimit = 1e-2;
    private readonly double _n, _beta, _ratio, _pMin;
    private readonly double _c2, _c3, _c4, _c5, _c6, _c7;

    public HypoelasticPressure(DhConstants c)
    {
        _n = c.N;
        _beta = 1.0 / (1.0 - c.N);
        _ratio = c.G0 / c.K0;
        _pMin = c.PMin;
        // Binomial coefficients C(β, k) of (1 + u)^β.
        _c2 = _beta * (_beta - 1) / 2;
        _c3 = _c2 * (_beta - 2) / 3;
        _c4 = _c3 * (_beta - 3) / 4;
        _c5 = _c4 * (_beta - 4) / 5;
        _c6 = _c5 * (_beta - 5) / 6;
        _c7 = _c6 * (_beta - 6) / 7;
    }

    /// <summary>
    /// Mean stress and secant shear modulus after an elastic volumetric strain <paramref name="e"/>
    /// (compression positive) from p_n with K_n = K(p_n). Returns false when the mean stress would fall below
    /// p_min (the tension cut-off). Outputs: p = p_{n+1}, bulk = K(p_{n+1}) = dp/de, gBar = Ḡ, gBarSlope = dḠ/de.
    /// </summary>
    public bool Evaluate(double pn, double kn, double e, out double p, out double bulk, out double gBar, out double gBarSlope)
    {
        double u = (1.0 - _n) * kn * e / pn;
        double onePlusU = 1.0 + u;
        double w, h, hp;
        if (Math.Abs(u) < SeriesLimit)
        {
            h = _beta + u * (_c2 + u * (_c3 + u * (_c4 + u * (_c5 + u * (_c6 + u * _c7)))));
            hp = _c2 + u * (2 * _c3 + u * (3 * _c4 + u * (4 * _c5 + u * (5 * _c6 + u * 6 * _c7))));
            w = 1.0 + u * h;
        }
        else if (onePlusU > 0)
        {
            w = Math.Pow(onePlusU, _beta);
            h = (w - 1.0) / u;
            hp = (_beta * w / onePlusU * u - (w - 1.0)) / (u * u);
        }
        else
        {
            p = bulk = gBar = gBarSlope = 0;
            return false;
        }

        p = pn * w;
        bulk = kn * w / onePlusU;
        double a = _ratio * (1.0 - _n) * kn;
        gBar = a * h;
        gBarSlope = a * (1.0 - _n) * kn / pn * hp;
        return p >= _pMin;
    }

    /// <summary>Elastic volumetric strain (compression positive) that takes p_n to p: (p^(1−n) − p_n^(1−n))/((1−n)k).</summary>
    public double VolumetricStrainTo(double pn, double kn, double p) =>
        pn / ((1.0 - _n) * kn) * (Math.Pow(p / pn, 1.0 - _n) - 1.0);
}
