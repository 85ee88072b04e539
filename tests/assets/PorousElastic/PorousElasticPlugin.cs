using FemHost.MaterialSdk;

namespace FemHost.Materials.PorousElastic;

/// <summary>
/// Porous (pressure-dependent) elasticity, the nonlinear elastic law of Cam-clay type soils
/// (Abaqus "porous elasticity" with a constant shear modulus): with p = −tr σ / 3 and the volumetric
/// strain ε_v = −tr ε (both compression positive), dp = (p + p_t) dε_v / κ, so over an increment
/// p_{n+1} + p_t = (p_n + p_t) exp(Δε_v / κ) exactly; the deviatoric stress follows s_{n+1} = s_n + 2G Δe.
/// The bulk modulus K = (p + p_t) / κ grows with pressure. A point whose p + p_t reaches zero fails.
/// </summary>
public sealed class PorousElasticPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "PorousElastic",
        Version = new Version(1, 0, 0),
        Description = "Pressure-dependent elasticity: p + p_t = (p0 + p_t) exp(eps_v / kappa) (compression positive), constant shear modulus G. Needs p + p_t > 0.",
        Parameters =
        [
            ParameterInfo.Real("kappa", "-", "logarithmic bulk modulus (slope of the unloading line in ε_v–ln p)", min: 1e-6, max: 1),
            ParameterInfo.Real("G", "kPa", "shear modulus", min: 1e-12),
            ParameterInfo.Real("p_t", "kPa", "tensile strength: the law holds while p > −p_t", 0.0, min: 0),
        ],
        TangentKinds = [TangentKind.Consistent],
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) =>
        new PorousElasticMaterial(Metadata, hypothesis, parameters.Real("kappa"), parameters.Real("G"), parameters.Real("p_t"));
}

/// <summary>The exact update of the porous elastic law and its consistent tangent D = K_t 1⊗1 + 2G(I − ⅓1⊗1), K_t = (p_{n+1} + p_t)/κ.</summary>
internal sealed class PorousElasticMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, double kappa, double shear, double tension)
    : PointMaterial(metadata, hypothesis)
{
    protected override PointStatus Integrate(in MaterialPoint p)
    {
        double pOld = -Voigt.Trace(p.StressOld) / 3.0;
        if (pOld + tension <= 0)
        {
            return PointStatus.Failed($"mean stress p = {pOld:G4} kPa is at or beyond the tensile limit -p_t = {-tension:G4} kPa");
        }

        double volumetric = -Voigt.Trace(p.StrainIncrement);
        double pNew = (pOld + tension) * Math.Exp(volumetric / kappa) - tension;

        // σ_{n+1} = s_n + 2G Δe − p_{n+1} 1, written as σ_n + 2G Δe + (p_n − p_{n+1}) 1.
        for (int i = 0; i < p.Size; i++)
        {
            double deviatoric = i < 3 ? 2.0 * shear * (p.StrainIncrement[i] + volumetric / 3.0) : shear * p.StrainIncrement[i];
            p.Stress[i] = p.StressOld[i] + deviatoric + (i < 3 ? pOld - pNew : 0.0);
        }

        Elasticity.Isotropic((pNew + tension) / kappa, shear, p.Tangent, p.Size);
        return PointStatus.Ok;
    }
}
