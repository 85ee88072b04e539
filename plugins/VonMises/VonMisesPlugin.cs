using FemHost.MaterialSdk;

namespace FemHost.Materials.VonMises;

/// <summary>
/// Plug-in entry point: declares the model (parameters, state, capabilities) and creates instances.
/// The host discovers this class because it implements <see cref="IMaterialPlugin"/> and has a
/// parameterless constructor.
/// </summary>
public sealed class VonMisesPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "VonMises",
        Version = new Version(1, 0, 0),
        Description = "J2 (von Mises) plasticity: isotropic linear elasticity, yield stress sigma_y with optional linear isotropic " +
            "hardening H, associated flow, backward-Euler radial return with the consistent tangent; plane strain and 3D. " +
            "Tresca's cohesion c corresponds to sigma_y = sqrt(3) c in plane strain.",
        Parameters =
        [
            ParameterInfo.Real("E", "kPa", "Young's modulus", min: 1e-12),
            ParameterInfo.Real("nu", "-", "Poisson's ratio", 0.3, min: -0.999, max: 0.499),
            ParameterInfo.Real("sigma_y", "kPa", "initial uniaxial yield stress", min: 1e-12),
            ParameterInfo.Real("H", "kPa", "linear isotropic hardening modulus dσ_y/dε̄p (0: perfectly plastic)", 0.0, min: 0.0),
        ],
        StateVariables = [new StateVariableInfo("eqps", "-", "accumulated equivalent plastic strain ε̄p = ∫ √(2/3 ε̇p:ε̇p) dt")],
        TangentKinds = [TangentKind.Consistent, TangentKind.Elastic],
        IsThreadSafe = true,
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) =>
        new VonMisesMaterial(Metadata, hypothesis, new VonMisesConstants(
            Elasticity.BulkModulus(parameters.Real("E"), parameters.Real("nu")),
            Elasticity.ShearModulus(parameters.Real("E"), parameters.Real("nu")),
            parameters.Real("sigma_y"),
            parameters.Real("H")));
}
