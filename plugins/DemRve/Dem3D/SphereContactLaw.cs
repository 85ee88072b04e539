namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// Micro-mechanical constants of a 3D sphere assembly (SI: Pa, kg/m³): linear spring contacts with
/// Coulomb friction and rolling-free spheres (rotational degrees of freedom, no rolling resistance).
/// </summary>
/// <remarks>
/// The normal stiffness from the Young's modulus follows YADE's FrictMat (Ip2_FrictMat_FrictMat_FrictPhys,
/// the engine of Guo and Zhao 2014 and of the virtual laboratory of Qu et al. 2023): two springs in series
/// of stiffness E·2r each, k_n = 2 E r_i r_j / (r_i + r_j), i.e. E r for equal spheres; the Poisson's ratio of
/// Table 2 is the stiffness ratio k_s / k_n, and the friction coefficient is μ (Table 2: 0.4).
/// </remarks>
/// <param name="YoungsModulus">Contact modulus E (Pa).</param>
/// <param name="StiffnessRatio">k_s / k_n (Table 2's ν).</param>
/// <param name="Friction">Coulomb coefficient μ: |f_t| ≤ μ f_n.</param>
/// <param name="Density">Solid density ρ (kg/m³).</param>
/// <param name="LocalDamping">Cundall's local non-viscous damping coefficient α in [0, 1) (0: undamped).</param>
public sealed record SphereContactLaw(
    double YoungsModulus,
    double StiffnessRatio,
    double Friction,
    double Density,
    double LocalDamping = 0.7)
{
    /// <summary>Normal stiffness k_n = 2 E r_i r_j / (r_i + r_j) of the contact between spheres of radii r_i, r_j (N/m).</summary>
    public double NormalStiffness(double ri, double rj) => 2.0 * YoungsModulus * ri * rj / (ri + rj);

    /// <summary>The same law with another friction coefficient (used while preparing a packing).</summary>
    public SphereContactLaw WithFriction(double friction) => this with { Friction = friction };
}
