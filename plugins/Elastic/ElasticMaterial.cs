using FemHost.MaterialSdk;

namespace FemHost.Materials.Elastic;

/// <summary>Isotropic linear elasticity, σ_{n+1} = σ_n + D Δε with D = K 1⊗1 + 2G(I − ⅓ 1⊗1).</summary>
public sealed class ElasticPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "Elastic",
        Version = new Version(1, 0, 0),
        Description = "Isotropic linear elasticity (Young's modulus E, Poisson's ratio nu); plane strain and 3D.",
        Parameters =
        [
            ParameterInfo.Real("E", "kPa", "Young's modulus", min: 1e-12),
            ParameterInfo.Real("nu", "-", "Poisson's ratio", 0.3, min: -0.999, max: 0.499),
        ],
        TangentKinds = [TangentKind.Consistent, TangentKind.Elastic],
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) =>
        new ElasticMaterial(Metadata, hypothesis, parameters.Real("E"), parameters.Real("nu"));
}

/// <summary>The point update: the whole model is one matrix–vector product.</summary>
internal sealed class ElasticMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, double youngs, double poisson)
    : PointMaterial(metadata, hypothesis)
{
    private readonly double _bulk = Elasticity.BulkModulus(youngs, poisson);
    private readonly double _shear = Elasticity.ShearModulus(youngs, poisson);

    protected override PointStatus Integrate(in MaterialPoint p)
    {
        Elasticity.Isotropic(_bulk, _shear, p.Tangent, p.Size);
        Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
        for (int i = 0; i < p.Size; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }

        return PointStatus.Ok;
    }
}
