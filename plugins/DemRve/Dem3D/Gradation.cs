using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>The shape of a particle-size distribution between its smallest and largest diameter.</summary>
public enum GradationShape
{
    /// <summary>
    /// Bell-shaped frequency curve: diameters by number from a normal distribution centred on the middle of
    /// the range with standard deviation (d_max − d_min)/6 (the range is ±3 standard deviations), truncated
    /// to the range.
    /// </summary>
    BellShaped,

    /// <summary>
    /// Straight gradation curve: the mass percentage passing grows linearly from d_min to d_max (mass uniform in
    /// d), so by number the density is ∝ d⁻³ and the inverse of the number distribution is closed form:
    /// d = (d_min⁻² − u (d_min⁻² − d_max⁻²))^(−½).
    /// </summary>
    LinearByMass,
}

/// <summary>A particle-size distribution: diameters (m) between <paramref name="MinDiameter"/> and <paramref name="MaxDiameter"/>.</summary>
/// <param name="Shape">Shape of the distribution.</param>
/// <param name="MinDiameter">Smallest diameter d_min (m).</param>
/// <param name="MaxDiameter">Largest diameter d_max (m).</param>
public sealed record Gradation(GradationShape Shape, double MinDiameter, double MaxDiameter)
{
    /// <summary>One diameter drawn from the distribution.</summary>
    public double Sample(ref SplitMix64 rng)
    {
        if (!(MinDiameter > 0 && MaxDiameter > MinDiameter))
        {
            throw new InvalidOperationException($"gradation range [{MinDiameter}, {MaxDiameter}] m is invalid");
        }

        switch (Shape)
        {
            case GradationShape.BellShaped:
                double mean = 0.5 * (MinDiameter + MaxDiameter), sd = (MaxDiameter - MinDiameter) / 6;
                while (true)
                {
                    // Box–Muller; reject outside the range (0.27 % of draws).
                    double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                    double d = mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                    if (d >= MinDiameter && d <= MaxDiameter)
                    {
                        return d;
                    }
                }

            case GradationShape.LinearByMass:
                double a = 1 / (MinDiameter * MinDiameter), b = 1 / (MaxDiameter * MaxDiameter);
                return 1 / Math.Sqrt(a - rng.NextDouble() * (a - b));
            default:
                throw new InvalidOperationException($"unknown gradation shape {Shape}");
        }
    }
}

/// <summary>
/// A 3D granular material of Qu et al. (2023) §4.1: the particle properties of Table 2 and a gradation.
/// Table 2 gives one set of properties for both materials (ρ = 2600 kg/m³, E = 0.8 GPa, ν = 0.12, μ = 0.4,
/// restitution 0.95, rolling coefficient 0.05); the two materials differ by their gradation. The paper shows
/// the gradation curves only as a figure (Fig. 11) and states their ranges; the shapes here are documented
/// choices (<see cref="GradationShape"/>). Restitution and rolling resistance are not modelled: the engine
/// uses local damping for quasi-static loading and rolling-free spheres.
/// </summary>
/// <param name="Name">Name.</param>
/// <param name="Law">Contact law (Table 2).</param>
/// <param name="Gradation">Particle-size distribution.</param>
public sealed record SphereMaterial(string Name, SphereContactLaw Law, Gradation Gradation)
{
    /// <summary>The contact law of Table 2: E = 0.8 GPa, k_s/k_n = ν = 0.12, μ = 0.4, ρ = 2600 kg/m³, local damping 0.7.</summary>
    public static SphereContactLaw Table2Law { get; } = new(0.8e9, 0.12, 0.4, 2600);

    /// <summary>Material 1: bell-shaped gradation, diameters 4.8–13.9 mm.</summary>
    public static SphereMaterial Material1 { get; } = new("Material1", Table2Law, new Gradation(GradationShape.BellShaped, 4.8e-3, 13.9e-3));

    /// <summary>Material 2: diameters 3.39–28.27 mm (straight gradation curve by mass).</summary>
    public static SphereMaterial Material2 { get; } = new("Material2", Table2Law, new Gradation(GradationShape.LinearByMass, 3.39e-3, 28.27e-3));
}
