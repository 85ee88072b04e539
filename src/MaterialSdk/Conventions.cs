namespace FemHost.MaterialSdk;

/// <summary>
/// The modelling hypothesis a material is evaluated under. It fixes the number and order of the
/// Voigt components exchanged through the SDK (see <see cref="Voigt"/>).
/// </summary>
public enum ModellingHypothesis
{
    /// <summary>Plane strain: ε33 = ε13 = ε23 = 0; four components 11, 22, 33, 12 (σ33 is tracked).</summary>
    PlaneStrain,

    /// <summary>Full 3D: six components 11, 22, 33, 12, 13, 23.</summary>
    Tridimensional,
}

/// <summary>
/// Conventions of every array that crosses the SDK boundary.
/// <list type="bullet">
/// <item>Small strain.</item>
/// <item>Voigt order 11, 22, 33, 12 for plane strain, then 13, 23 in 3D.</item>
/// <item>Strain uses engineering shear components: γ12 = 2ε12 (so σ·ε is the work per volume).</item>
/// <item>Stress uses the tensor shear components σ12.</item>
/// <item>Tension positive for stress and strain. Soil models that think in compression convert internally.</item>
/// <item>A tangent is a row-major n×n matrix D with D[i, j] = ∂σ_i/∂ε_j (ε in engineering components).</item>
/// </list>
/// </summary>
public static class Voigt
{
    /// <summary>Index of component 11.</summary>
    public const int XX = 0;

    /// <summary>Index of component 22.</summary>
    public const int YY = 1;

    /// <summary>Index of component 33 (out of plane in plane strain).</summary>
    public const int ZZ = 2;

    /// <summary>Index of the shear component 12 (γ12 for strain, σ12 for stress).</summary>
    public const int XY = 3;

    /// <summary>Index of the shear component 13 (3D only).</summary>
    public const int XZ = 4;

    /// <summary>Index of the shear component 23 (3D only).</summary>
    public const int YZ = 5;

    /// <summary>Number of Voigt components under a hypothesis: 4 in plane strain, 6 in 3D.</summary>
    public static int Size(ModellingHypothesis hypothesis) => hypothesis switch
    {
        ModellingHypothesis.PlaneStrain => 4,
        ModellingHypothesis.Tridimensional => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(hypothesis), hypothesis, "unknown modelling hypothesis"),
    };

    /// <summary>Component labels in SDK order, e.g. "11", "22", "33", "12".</summary>
    public static IReadOnlyList<string> Labels(ModellingHypothesis hypothesis) =>
        hypothesis == ModellingHypothesis.PlaneStrain ? ["11", "22", "33", "12"] : ["11", "22", "33", "12", "13", "23"];

    /// <summary>Whether component <paramref name="i"/> is a shear component (carries the factor 2 in strain).</summary>
    public static bool IsShear(int i) => i >= XY;

    /// <summary>Trace of a Voigt vector (stress or strain): v11 + v22 + v33.</summary>
    public static double Trace(ReadOnlySpan<double> v) => v[XX] + v[YY] + v[ZZ];

    /// <summary>
    /// Expands a Voigt <em>stress</em> vector to a full symmetric 3×3 tensor (row-major, 9 entries).
    /// </summary>
    public static void StressToTensor(ReadOnlySpan<double> s, Span<double> t)
    {
        t.Clear();
        t[0] = s[XX]; t[4] = s[YY]; t[8] = s[ZZ];
        t[1] = t[3] = s[XY];
        if (s.Length == 6)
        {
            t[2] = t[6] = s[XZ];
            t[5] = t[7] = s[YZ];
        }
    }

    /// <summary>
    /// Expands a Voigt <em>strain</em> vector (engineering shear) to a full symmetric 3×3 tensor
    /// (row-major, 9 entries): ε12 = γ12 / 2.
    /// </summary>
    public static void StrainToTensor(ReadOnlySpan<double> e, Span<double> t)
    {
        t.Clear();
        t[0] = e[XX]; t[4] = e[YY]; t[8] = e[ZZ];
        t[1] = t[3] = 0.5 * e[XY];
        if (e.Length == 6)
        {
            t[2] = t[6] = 0.5 * e[XZ];
            t[5] = t[7] = 0.5 * e[YZ];
        }
    }

    /// <summary>Inverse of <see cref="StressToTensor"/>: writes the Voigt components of a symmetric tensor.</summary>
    public static void TensorToStress(ReadOnlySpan<double> t, Span<double> s)
    {
        s[XX] = t[0]; s[YY] = t[4]; s[ZZ] = t[8]; s[XY] = 0.5 * (t[1] + t[3]);
        if (s.Length == 6)
        {
            s[XZ] = 0.5 * (t[2] + t[6]);
            s[YZ] = 0.5 * (t[5] + t[7]);
        }
    }

    /// <summary>Inverse of <see cref="StrainToTensor"/>: writes Voigt components with γ = 2ε for shear.</summary>
    public static void TensorToStrain(ReadOnlySpan<double> t, Span<double> e)
    {
        e[XX] = t[0]; e[YY] = t[4]; e[ZZ] = t[8]; e[XY] = t[1] + t[3];
        if (e.Length == 6)
        {
            e[XZ] = t[2] + t[6];
            e[YZ] = t[5] + t[7];
        }
    }
}
