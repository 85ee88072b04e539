namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// A named granular material: the particle-scale properties of Table 3 of Qu et al. (2023) and the
/// radius range of its uniform gradation.
/// </summary>
/// <param name="Name">Preset name used in case files ("M1", "M2").</param>
/// <param name="YoungsModulus">E (Pa).</param>
/// <param name="Poisson">ν, used as k_s/k_n.</param>
/// <param name="Density">ρ (kg/m³).</param>
/// <param name="FrictionAngleDegrees">Inter-particle friction angle φ (degrees).</param>
/// <param name="MinRadius">Smallest radius (m).</param>
/// <param name="MaxRadius">Largest radius (m).</param>
public sealed record MaterialPreset(
    string Name,
    double YoungsModulus,
    double Poisson,
    double Density,
    double FrictionAngleDegrees,
    double MinRadius,
    double MaxRadius)
{
    /// <summary>M1 of Table 3: E = 200 MPa, ν = 0.3, ρ = 2600 kg/m³, φ = 33°, r = 3–7 mm.</summary>
    public static MaterialPreset M1 { get; } = new("M1", 200e6, 0.3, 2600, 33, 0.003, 0.007);

    /// <summary>M2 of Table 3: E = 800 MPa, ν = 0.12, ρ = 2600 kg/m³, φ = 21.8°, r = 4.5–5.5 mm.</summary>
    public static MaterialPreset M2 { get; } = new("M2", 800e6, 0.12, 2600, 21.8, 0.0045, 0.0055);

    /// <summary>The presets by name.</summary>
    public static IReadOnlyList<MaterialPreset> All { get; } = [M1, M2];

    /// <summary>
    /// The value of a micro constant in the unit of the plug-in parameter of that name: E in MPa, nu,
    /// density in kg/m³, frictionAngle in degrees, rMin and rMax in mm.
    /// </summary>
    public double Value(string parameter) => parameter switch
    {
        "E" => YoungsModulus / 1e6,
        "nu" => Poisson,
        "density" => Density,
        "frictionAngle" => FrictionAngleDegrees,
        "rMin" => MinRadius * 1e3,
        "rMax" => MaxRadius * 1e3,
        _ => throw new ArgumentException($"'{parameter}' is not a micro constant of a preset", nameof(parameter)),
    };

    /// <summary>μ = tan φ.</summary>
    public double Friction => Math.Tan(FrictionAngleDegrees * Math.PI / 180.0);
}
