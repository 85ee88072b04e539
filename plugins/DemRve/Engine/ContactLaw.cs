namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// Micro-mechanical constants of a 2D disk assembly, in SI units per unit out-of-plane thickness
/// (forces in N/m, stiffnesses in N/m², masses in kg/m). Every constant is a parameter.
/// </summary>
/// <remarks>
/// Contact stiffness from the Young's modulus follows the "deformability method" of the linear contact
/// model in PFC2D (Itasca; Potyondy and Cundall 2004, eq. 4 with unit thickness): the contact acts as an
/// elastic beam of cross-section A = 2 min(r_i, r_j)·t and length L = r_i + r_j, so
/// k_n = E A / L = 2 E t min(r_i, r_j) / (r_i + r_j), which is E·t for equal disks. The Poisson's ratio
/// of Table 3 is used as the stiffness ratio k_s/k_n, as in YADE's FrictMat (the engine of Guo and Zhao
/// 2014). The friction coefficient is μ = tan φ.
/// </remarks>
/// <param name="YoungsModulus">Contact modulus E (Pa).</param>
/// <param name="StiffnessRatio">k_s / k_n (Table 3's ν).</param>
/// <param name="Friction">Coulomb coefficient μ = tan φ.</param>
/// <param name="Density">Solid density ρ (kg/m³).</param>
/// <param name="LocalDamping">Cundall's local non-viscous damping coefficient α in [0, 1).</param>
/// <param name="RollingStiffnessFactor">β in k_r = β k_s r̄² (0 switches rolling resistance off).</param>
/// <param name="RollingFriction">η in |M_r| ≤ η r̄ f_n (0 switches rolling resistance off).</param>
public sealed record ContactLaw(
    double YoungsModulus,
    double StiffnessRatio,
    double Friction,
    double Density,
    double LocalDamping = 0.7,
    double RollingStiffnessFactor = 0.0,
    double RollingFriction = 0.0)
{
    /// <summary>Whether rolling resistance is active.</summary>
    public bool HasRollingResistance => RollingStiffnessFactor > 0 && RollingFriction > 0;

    /// <summary>Normal stiffness of the contact between disks of radii r_i, r_j (N/m per m thickness).</summary>
    public double NormalStiffness(double ri, double rj) => 2.0 * YoungsModulus * Math.Min(ri, rj) / (ri + rj);

    /// <summary>The same law with another friction coefficient (used while preparing a packing).</summary>
    public ContactLaw WithFriction(double friction) => this with { Friction = friction };
}
