namespace FemHost.Materials.NeuralSurrogate;

/// <summary>What a named network column measures.</summary>
public enum QuantityKind
{
    /// <summary>Total strain component ε_j (engineering shear), column name <c>eps_ij</c>.</summary>
    Strain,

    /// <summary>Accumulated absolute strain increment φ_j = Σ|Δε_j| (paper eq. 5), column name <c>phi_ij</c>.</summary>
    AccumulatedStrain,

    /// <summary>Stress component σ_i (kPa), column name <c>sig_ij</c>.</summary>
    Stress,

    /// <summary>Tangent entry D_ij = ∂σ_i/∂ε_j (kPa), column name <c>D_ij_kl</c>; i ≤ j in Voigt order.</summary>
    Tangent,
}

/// <summary>
/// One named column of a network input or output, in the column names of the shared
/// "femhost-path-dataset" format (<c>eps_11</c>, <c>phi_22</c>, <c>sig_12</c>, <c>D_11_22</c>, …) mapped to
/// plane-strain Voigt indices (11, 22, 33, 12 → 0, 1, 2, 3).
/// </summary>
/// <param name="Name">Column name as written in datasets and model files.</param>
/// <param name="Kind">Quantity the column measures.</param>
/// <param name="Row">Voigt index of the component (the row i for a tangent entry).</param>
/// <param name="Column">For a tangent entry the Voigt index j; −1 otherwise.</param>
public readonly record struct Feature(string Name, QuantityKind Kind, int Row, int Column)
{
    private static readonly string[] Labels = ["11", "22", "33", "12"];

    /// <summary>Number of plane-strain Voigt components the features refer to.</summary>
    public const int VoigtSize = 4;

    /// <summary>
    /// Parses a column name; throws <see cref="FormatException"/> with the accepted forms for anything else.
    /// </summary>
    public static Feature Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('_');
        int Index(string label) => Array.IndexOf(Labels, label) is var k and >= 0 ? k
            : throw new FormatException($"'{name}': component '{label}' is not a plane-strain Voigt label (11, 22, 33, 12)");
        return parts switch
        {
            ["eps", var c] => new Feature(name, QuantityKind.Strain, Index(c), -1),
            ["phi", var c] => new Feature(name, QuantityKind.AccumulatedStrain, Index(c), -1),
            ["sig", var c] => new Feature(name, QuantityKind.Stress, Index(c), -1),
            ["D", var r, var c] when Index(r) <= Index(c) => new Feature(name, QuantityKind.Tangent, Index(r), Index(c)),
            ["D", _, _] => throw new FormatException($"'{name}': tangent columns are the upper triangle D_i_j with i before j in Voigt order 11, 22, 33, 12"),
            _ => throw new FormatException($"'{name}' is not a known column; expected eps_ij, phi_ij, sig_ij or D_ij_kl with ij, kl in 11, 22, 33, 12"),
        };
    }

    /// <summary>Parses a column name without throwing.</summary>
    public static bool TryParse(string name, out Feature feature)
    {
        try
        {
            feature = Parse(name);
            return true;
        }
        catch (FormatException)
        {
            feature = default;
            return false;
        }
    }

    /// <summary>Parses a list of column names.</summary>
    public static Feature[] ParseAll(IEnumerable<string> names) => names.Select(Parse).ToArray();

    /// <summary>The paper's five NN1/NN2 inputs as chosen here: ε11, ε22, γ12, φ11, φ22 (see docs/neural-surrogate.md).</summary>
    public static IReadOnlyList<string> DefaultInputs { get; } = ["eps_11", "eps_22", "eps_12", "phi_11", "phi_22"];

    /// <summary>NN1's three outputs: the in-plane stresses σ11, σ22, σ12.</summary>
    public static IReadOnlyList<string> DefaultStressOutputs { get; } = ["sig_11", "sig_22", "sig_12"];

    /// <summary>NN2's six outputs: the upper triangle of the symmetric in-plane tangent over (11, 22, 12).</summary>
    public static IReadOnlyList<string> DefaultTangentOutputs { get; } = ["D_11_11", "D_11_22", "D_11_12", "D_22_22", "D_22_12", "D_12_12"];
}
