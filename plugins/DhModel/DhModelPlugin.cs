using FemHost.MaterialSdk;

namespace FemHost.Materials.DhModel;

/// <summary>
/// Plug-in entry point of the deviatoric-hardening (DH) soil model of Qu, Zhao, Guan &amp; Feng (2023),
/// Appendix A: pressure-dependent elasticity, yield f = q − ηp with hyperbolic hardening in the plastic
/// deviatoric strain, non-associated flow with dilatancy η_c − η.
/// </summary>
public sealed class DhModelPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "DhModel",
        Version = new Version(1, 0, 0),
        Description = "Deviatoric-hardening granular soil model (Qu et al. 2023, Appendix A): K, G ~ p^n, yield q = eta p with "
            + "eta = eta_f eps_q_p/(A + eps_q_p), non-associated flow with dilatancy eta_c - eta; implicit return mapping with "
            + "consistent tangent, tension cut-off at p_min. Plane strain and 3D; stresses in kPa.",
        Parameters = DhConstants.Parameters,
        StateVariables = DhState.Variables,
        TangentKinds = [TangentKind.Consistent, TangentKind.Elastic],
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis)
    {
        // Bounds (eta_c, eta_f < 3: q = 3p is where the minor principal stress of a cohesionless soil vanishes in
        // triaxial compression) are enforced by the parameter declarations.
        var constants = DhConstants.From(parameters);
        return new DhMaterial(Metadata, hypothesis, new DhReturnMapping(constants));
    }
}

/// <summary>The point loop: each point is one call of <see cref="DhReturnMapping.Integrate"/>.</summary>
internal sealed class DhMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, DhReturnMapping mapping)
    : PointMaterial(metadata, hypothesis)
{
    /// <summary>The initial state puts the initial stress on the yield surface: ε_q^p = Aη0/(η_f − η0) with η0 = q0/p0.</summary>
    protected override void InitialState(ReadOnlySpan<double> initialStress, Span<double> state)
    {
        var c = mapping.Constants;
        double p = -(initialStress[0] + initialStress[1] + initialStress[2]) / 3.0;
        double eta0 = p > c.PMin ? DhInvariants.Q(initialStress, p) / p : 0.0;
        // An initial stress ratio at or beyond failure cannot be hardened to; start just below it.
        eta0 = Math.Min(eta0, 0.999 * c.EtaF);
        state.Clear();
        state[DhState.PlasticShearStrain] = c.PlasticShearStrainFor(eta0);
        state[DhState.MobilisedEta] = eta0;
    }

    protected override PointStatus Integrate(in MaterialPoint point) =>
        mapping.Integrate(point.StressOld, point.StateOld, point.StrainIncrement, point.Stress, point.State, point.Tangent, point.RequestedTangent);
}

/// <summary>Stress invariants in the DH model's compression-positive convention.</summary>
public static class DhInvariants
{
    /// <summary>Mean stress p = −tr σ/3 (compression positive) of a tension-positive Voigt stress.</summary>
    public static double P(ReadOnlySpan<double> stress) => -(stress[0] + stress[1] + stress[2]) / 3.0;

    /// <summary>Deviatoric stress q = √(3/2 s:s) of a Voigt stress with mean stress <paramref name="p"/>.</summary>
    public static double Q(ReadOnlySpan<double> stress, double p)
    {
        double ss = 0;
        for (int i = 0; i < stress.Length; i++)
        {
            double s = i < 3 ? stress[i] + p : stress[i];
            ss += i < 3 ? s * s : 2.0 * s * s;
        }

        return Math.Sqrt(1.5 * ss);
    }
}
