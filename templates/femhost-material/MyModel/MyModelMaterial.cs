using FemHost.MaterialSdk;

namespace MyModel;

/// <summary>
/// Entry point the host discovers: metadata (name, parameters, state variables, capabilities) and a
/// factory. Replace the physics in <see cref="MyModelMaterial"/>; keep the metadata honest.
/// </summary>
public sealed class MyModelPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "MyModel",
        Version = new Version(0, 1, 0),
        Description = "Isotropic elasticity with a stiffness that grows with mean pressure (a starting point).",
        Parameters =
        [
            ParameterInfo.Real("G", "kPa", "shear modulus", 1e4, min: 1e-9),
            ParameterInfo.Real("K", "kPa", "bulk modulus", 2e4, min: 1e-9),
        ],
        StateVariables = [new StateVariableInfo("eps_v", "-", "accumulated volumetric strain")],
        TangentKinds = [TangentKind.Consistent],
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) =>
        new MyModelMaterial(Metadata, hypothesis, parameters.Real("K"), parameters.Real("G"));
}

/// <summary>The point update, UMAT-style: σ_{n+1} = σ_n + D Δε, D the isotropic stiffness.</summary>
internal sealed class MyModelMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, double bulk, double shear)
    : PointMaterial(metadata, hypothesis)
{
    protected override PointStatus Integrate(in MaterialPoint p)
    {
        Elasticity.Isotropic(bulk, shear, p.Tangent, p.Size);
        Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
        for (int i = 0; i < p.Size; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }

        p.State[0] = p.StateOld[0] + Voigt.Trace(p.StrainIncrement);
        return PointStatus.Ok;
    }
}
