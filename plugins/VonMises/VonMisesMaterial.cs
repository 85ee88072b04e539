using FemHost.MaterialSdk;

namespace FemHost.Materials.VonMises;

/// <summary>Material constants of the J2 model.</summary>
/// <param name="Bulk">Bulk modulus K.</param>
/// <param name="Shear">Shear modulus G.</param>
/// <param name="YieldStress">Initial uniaxial yield stress σ_y0.</param>
/// <param name="Hardening">Linear isotropic hardening modulus H: σ_y(ε̄p) = σ_y0 + H ε̄p.</param>
public readonly record struct VonMisesConstants(double Bulk, double Shear, double YieldStress, double Hardening);

/// <summary>
/// The point update: backward-Euler integration of J2 plasticity by the radial return mapping
/// (de Souza Neto, Perić &amp; Owen, Computational Methods for Plasticity, 2008, Box 7.3; Simo &amp;
/// Hughes, Computational Inelasticity, Box 3.2).
/// <para>
/// Elastic predictor: σ_tr = σ_n + D_e Δε, q_tr = √(3/2 s_tr:s_tr). If f = q_tr − σ_y(ε̄p_n) ≤ 0 the step
/// is elastic. Otherwise the consistency condition, linear in Δγ for linear hardening, gives
/// Δγ = f / (3G + H) (eq. 7.91), and s = (1 − 3GΔγ/q_tr) s_tr, p = p_tr, ε̄p = ε̄p_n + Δγ.
/// </para>
/// <para>
/// Consistent tangent (eq. 7.120): D = 2G(1 − 3GΔγ/q_tr) I_dev + 6G²(Δγ/q_tr − 1/(3G + H)) N̂⊗N̂ + K 1⊗1
/// with N̂ = s_tr/‖s_tr‖. It is what keeps the host's Newton iterations quadratic.
/// </para>
/// <para>
/// Plane strain needs no special treatment: the four components 11, 22, 33, 12 carry σ33 and the
/// strain increment has Δε33 = 0, so the 3D algorithm applies unchanged to the components present.
/// In Voigt form with engineering shear strain, the deviatoric projector maps γ to G·γ (factor ½ on the
/// shear diagonal) and s:s counts each shear component twice.
/// </para>
/// </summary>
internal sealed class VonMisesMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, VonMisesConstants c)
    : PointMaterial(metadata, hypothesis)
{
    private const int Eqps = 0;

    protected override PointStatus Integrate(in MaterialPoint p)
    {
        int n = p.Size;
        double k = c.Bulk, g = c.Shear, h = c.Hardening;
        double eqpsOld = p.StateOld[Eqps];

        // Elastic predictor σ_tr = σ_n + D_e Δε.
        Span<double> de = stackalloc double[n * n];
        Elasticity.Isotropic(k, g, de, n);
        Elasticity.Multiply(de, p.StrainIncrement, p.Stress);
        for (int i = 0; i < n; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }

        Span<double> s = stackalloc double[n];
        double pressure = Voigt.Trace(p.Stress) / 3.0;
        double norm = Deviator(p.Stress, pressure, s);
        double qTrial = Math.Sqrt(1.5) * norm;
        double yield = c.YieldStress + h * eqpsOld;
        double f = qTrial - yield;

        // Elastic step (a relative tolerance keeps round-off at the yield surface elastic).
        if (f <= 1e-12 * c.YieldStress)
        {
            p.State[Eqps] = eqpsOld;
            de.CopyTo(p.Tangent);
            return PointStatus.Ok;
        }

        // Plastic corrector: radial return to the updated yield surface.
        double dGamma = f / (3.0 * g + h);
        double shrink = 1.0 - 3.0 * g * dGamma / qTrial;
        for (int i = 0; i < 3; i++)
        {
            p.Stress[i] = pressure + shrink * s[i];
        }

        for (int i = 3; i < n; i++)
        {
            p.Stress[i] = shrink * s[i];
        }

        p.State[Eqps] = eqpsOld + dGamma;

        if (p.RequestedTangent == TangentKind.Elastic)
        {
            de.CopyTo(p.Tangent);
            return PointStatus.Ok;
        }

        ConsistentTangent(p.Tangent, s, norm, k, g, shrink, 6.0 * g * g * (dGamma / qTrial - 1.0 / (3.0 * g + h)));
        return PointStatus.Ok;
    }

    /// <summary>s = σ − p 1; returns ‖s‖ = √(s:s) with shear components counted twice.</summary>
    private static double Deviator(ReadOnlySpan<double> sigma, double pressure, Span<double> s)
    {
        double ss = 0;
        for (int i = 0; i < sigma.Length; i++)
        {
            s[i] = i < 3 ? sigma[i] - pressure : sigma[i];
            ss += (Voigt.IsShear(i) ? 2.0 : 1.0) * s[i] * s[i];
        }

        return Math.Sqrt(ss);
    }

    /// <summary>D = 2G·shrink·I_dev + β N̂⊗N̂ + K 1⊗1 in Voigt form with engineering shear (eq. 7.120).</summary>
    private static void ConsistentTangent(Span<double> d, ReadOnlySpan<double> s, double norm, double k, double g, double shrink, double beta)
    {
        int n = s.Length;
        double g2 = 2.0 * g * shrink;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dev = i < 3 && j < 3 ? (i == j ? 1.0 : 0.0) - 1.0 / 3.0 : (i == j ? 0.5 : 0.0);
                double vol = i < 3 && j < 3 ? k : 0.0;
                d[i * n + j] = g2 * dev + vol + beta * s[i] * s[j] / (norm * norm);
            }
        }
    }
}
