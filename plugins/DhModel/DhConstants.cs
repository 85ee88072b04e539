using FemHost.MaterialSdk;

namespace FemHost.Materials.DhModel;

/// <summary>
/// The constants of the deviatoric-hardening (DH) model (paper Appendix A) and the scalar laws built on
/// them: pressure-dependent elastic moduli, the hyperbolic hardening law and its inverse.
/// Stresses in kPa; p is the mean stress, compression positive.
/// </summary>
/// <remarks>
/// Elastic moduli. The paper cites the Guo &amp; Li (2008) form but omits the formula; we use
/// K = K0·p_a·(p/p_a)^n and G = G0·p_a·(p/p_a)^n (DESIGN.md), with the paper's fitted K0 = 6.7207,
/// G0 = 84.2, n = 0.1789, p_a = 101.4 kPa. Note that these defaults give K &lt; G (Poisson's ratio
/// ν = (3K − 2G)/(2(3K + G)) ≈ −0.71), admissible (K, G &gt; 0) but unusual; every constant is a parameter.
/// Hardening constants. The paper fits A, η_c and η_f to DEM (its Fig. 4) without printing them; the
/// defaults A = 0.005, η_c = 1.0, η_f = 1.25 are representative of a dense granular assembly and are
/// parameters too.
/// </remarks>
public sealed record DhConstants
{
    /// <summary>Bulk-modulus constant K0 (-): K = K0·p_a·(p/p_a)^n.</summary>
    public double K0 { get; init; } = 6.7207;

    /// <summary>Shear-modulus constant G0 (-): G = G0·p_a·(p/p_a)^n.</summary>
    public double G0 { get; init; } = 84.2;

    /// <summary>Pressure exponent n (-) of the elastic moduli, 0 ≤ n &lt; 1.</summary>
    public double N { get; init; } = 0.1789;

    /// <summary>Reference (atmospheric) pressure p_a in kPa.</summary>
    public double Pa { get; init; } = 101.4;

    /// <summary>Hardening constant A (-) of η = η_f ε_q^p/(A + ε_q^p) .</summary>
    public double A { get; init; } = 0.005;

    /// <summary>Slope η_c (-) of the zero-dilatancy line .</summary>
    public double EtaC { get; init; } = 1.0;

    /// <summary>Slope η_f (-) of the failure line .</summary>
    public double EtaF { get; init; } = 1.25;

    /// <summary>
    /// Mean-stress floor p_min in kPa. A cohesionless soil carries no tension: a state whose mean stress
    /// would fall below p_min is returned to the apex σ = −p_min·1 (tension cut-off).
    /// </summary>
    public double PMin { get; init; } = 0.01;

    /// <summary>Largest strain-increment norm √(Δε:Δε) integrated in one call; larger ones ask for a smaller step.</summary>
    public double MaxStrainIncrement { get; init; } = 0.05;

    /// <summary>k = K0·p_a^(1−n), so that K(p) = k·p^n.</summary>
    public double BulkFactor => K0 * Math.Pow(Pa, 1.0 - N);

    /// <summary>Bulk modulus K(p) = K0·p_a·(p/p_a)^n (kPa).</summary>
    public double BulkModulus(double p) => K0 * Pa * Math.Pow(p / Pa, N);

    /// <summary>Shear modulus G(p) = G0·p_a·(p/p_a)^n (kPa).</summary>
    public double ShearModulus(double p) => G0 * Pa * Math.Pow(p / Pa, N);

    /// <summary>Mobilised stress ratio η(ε_q^p) = η_f ε_q^p/(A + ε_q^p), paper eq. .</summary>
    public double Eta(double epsQp) => EtaF * epsQp / (A + epsQp);

    /// <summary>dη/dε_q^p = η_f A/(A + ε_q^p)².</summary>
    public double EtaSlope(double epsQp) => EtaF * A / ((A + epsQp) * (A + epsQp));

    /// <summary>Inverse of: the plastic deviatoric strain at which η is mobilised, ε_q^p = Aη/(η_f − η).</summary>
    public double PlasticShearStrainFor(double eta) => eta <= 0 ? 0.0 : A * eta / (EtaF - eta);

    /// <summary>Parameter declarations, with the paper's values (or documented choices) as defaults.</summary>
    public static IReadOnlyList<ParameterInfo> Parameters { get; } =
    [
        ParameterInfo.Real("K0", "-", "bulk-modulus constant: K = K0 p_a (p/p_a)^n (paper: 6.7207)", 6.7207, min: 1e-9),
        ParameterInfo.Real("G0", "-", "shear-modulus constant: G = G0 p_a (p/p_a)^n (paper: 84.2)", 84.2, min: 1e-9),
        ParameterInfo.Real("n", "-", "pressure exponent of K and G (paper: 0.1789)", 0.1789, min: 0, max: 0.99),
        ParameterInfo.Real("p_a", "kPa", "reference atmospheric pressure (paper: 101.4 kPa)", 101.4, min: 1e-9),
        ParameterInfo.Real("A", "-", "hardening constant of eta = eta_f eps_q^p/(A + eps_q^p) (eq. A-2)", 0.005, min: 1e-12),
        ParameterInfo.Real("eta_c", "-", "slope of the zero-dilatancy line (eq. A-3)", 1.0, min: 0, max: 2.999),
        ParameterInfo.Real("eta_f", "-", "slope of the failure line (eq. A-2)", 1.25, min: 1e-9, max: 2.999),
        ParameterInfo.Real("p_min", "kPa", "mean-stress floor of the tension cut-off (cohesionless apex)", 0.01, min: 1e-12),
        ParameterInfo.Real("max_strain_increment", "-", "largest strain-increment norm per call before asking for a smaller step", 0.05, min: 1e-9),
    ];

    /// <summary>Reads validated SDK parameters.</summary>
    public static DhConstants From(MaterialParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new DhConstants
        {
            K0 = p.Real("K0"),
            G0 = p.Real("G0"),
            N = p.Real("n"),
            Pa = p.Real("p_a"),
            A = p.Real("A"),
            EtaC = p.Real("eta_c"),
            EtaF = p.Real("eta_f"),
            PMin = p.Real("p_min"),
            MaxStrainIncrement = p.Real("max_strain_increment"),
        };
    }

    /// <summary>The values by parameter name (for dataset provenance).</summary>
    public IReadOnlyDictionary<string, object> ToDictionary() => new Dictionary<string, object>
    {
        ["K0"] = K0,
        ["G0"] = G0,
        ["n"] = N,
        ["p_a"] = Pa,
        ["A"] = A,
        ["eta_c"] = EtaC,
        ["eta_f"] = EtaF,
        ["p_min"] = PMin,
        ["max_strain_increment"] = MaxStrainIncrement,
    };
}
