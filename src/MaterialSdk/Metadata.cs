namespace FemHost.MaterialSdk;

/// <summary>The kinds of tangent a material can return, and the host can ask for.</summary>
public enum TangentKind
{
    /// <summary>
    /// The consistent (algorithmic) tangent ∂σ_{n+1}/∂Δε of the integration actually performed.
    /// It keeps Newton–Raphson quadratic and is checked against finite differences by the
    /// conformance kit.
    /// </summary>
    Consistent,

    /// <summary>The elastic stiffness at the current state: robust, linear convergence.</summary>
    Elastic,

    /// <summary>
    /// A physically motivated approximation that is not expected to match finite differences,
    /// e.g. the homogenised contact stiffness of a DEM RVE or a learned tangent network.
    /// </summary>
    Approximate,
}

/// <summary>Value type of a material parameter.</summary>
public enum ParameterKind
{
    /// <summary>A real number, checked against <see cref="ParameterInfo.Minimum"/> and <see cref="ParameterInfo.Maximum"/>.</summary>
    Real,

    /// <summary>An integer, checked against the bounds.</summary>
    Integer,

    /// <summary>One word out of <see cref="ParameterInfo.Choices"/> (or free text when no choices are given).</summary>
    Text,

    /// <summary>A file path; relative paths are resolved against the folder of the case file by the host.</summary>
    Path,

    /// <summary>
    /// A list of real numbers (a YAML sequence such as <c>[1000, 0.3, 2.4]</c>), each checked against
    /// <see cref="ParameterInfo.Minimum"/> and <see cref="ParameterInfo.Maximum"/>; e.g. the PROPS array of a UMAT.
    /// Added in SDK 1.1.
    /// </summary>
    RealList,
}

/// <summary>
/// Declaration of one material parameter: what the user may write in a case and how it is checked.
/// </summary>
/// <param name="Name">Key used in case files, e.g. "E".</param>
/// <param name="Kind">Value type.</param>
/// <param name="Unit">Physical unit, e.g. "kPa", "-", "mm".</param>
/// <param name="Description">One sentence for `femhost plugins`.</param>
/// <param name="Default">Default value; null means the parameter is required.</param>
/// <param name="Minimum">Inclusive lower bound for numbers.</param>
/// <param name="Maximum">Inclusive upper bound for numbers.</param>
/// <param name="Choices">Allowed words for <see cref="ParameterKind.Text"/>; empty means free text.</param>
public sealed record ParameterInfo(
    string Name,
    ParameterKind Kind,
    string Unit,
    string Description,
    object? Default = null,
    double Minimum = double.NegativeInfinity,
    double Maximum = double.PositiveInfinity,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>Whether a case must give this parameter.</summary>
    public bool IsRequired => Default is null;

    /// <summary>Allowed words for text parameters (never null).</summary>
    public IReadOnlyList<string> AllowedChoices => Choices ?? [];

    /// <summary>A real parameter with bounds.</summary>
    public static ParameterInfo Real(string name, string unit, string description, double? defaultValue = null,
        double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(name, ParameterKind.Real, unit, description, defaultValue, min, max);

    /// <summary>An integer parameter with bounds.</summary>
    public static ParameterInfo Integer(string name, string description, long? defaultValue = null,
        long min = long.MinValue, long max = long.MaxValue) =>
        new(name, ParameterKind.Integer, "-", description, defaultValue, min, max);

    /// <summary>A word out of a fixed list.</summary>
    public static ParameterInfo Choice(string name, string description, string? defaultValue, params string[] choices) =>
        new(name, ParameterKind.Text, "-", description, defaultValue, Choices: choices);

    /// <summary>A file path (resolved relative to the case file).</summary>
    public static ParameterInfo File(string name, string description, string? defaultValue = null) =>
        new(name, ParameterKind.Path, "-", description, defaultValue);

    /// <summary>
    /// A list of real numbers, each within [<paramref name="min"/>, <paramref name="max"/>]. A null default makes
    /// the list required; an empty default makes it optional and empty unless given (SDK 1.1).
    /// </summary>
    public static ParameterInfo RealList(string name, string unit, string description, IReadOnlyList<double>? defaultValue = null,
        double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(name, ParameterKind.RealList, unit, description, defaultValue, min, max);

    /// <summary>Human-readable description of the allowed values, used in error messages.</summary>
    public string AllowedValues() => Kind switch
    {
        ParameterKind.Real or ParameterKind.Integer => $"{(Kind == ParameterKind.Integer ? "an integer" : "a number")} in [{Fmt(Minimum)}, {Fmt(Maximum)}]{(Unit is "" or "-" ? "" : " " + Unit)}",
        ParameterKind.Text when AllowedChoices.Count > 0 => "one of " + string.Join(", ", AllowedChoices),
        ParameterKind.Text => "a text value",
        ParameterKind.RealList when double.IsNegativeInfinity(Minimum) && double.IsPositiveInfinity(Maximum) =>
            $"a list of numbers such as [1, 2.5]{(Unit is "" or "-" ? "" : " (" + Unit + ")")}",
        ParameterKind.RealList => $"a list of numbers in [{Fmt(Minimum)}, {Fmt(Maximum)}]{(Unit is "" or "-" ? "" : " " + Unit)}",
        _ => "a file path",
    };

    private static string Fmt(double v) => double.IsNegativeInfinity(v) || v <= long.MinValue ? "-inf"
        : double.IsPositiveInfinity(v) || v >= long.MaxValue ? "+inf"
        : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Declaration of one scalar internal state variable kept by the host on the plug-in's behalf.</summary>
/// <param name="Name">Short name, e.g. "eqps".</param>
/// <param name="Unit">Physical unit.</param>
/// <param name="Description">One sentence.</param>
public sealed record StateVariableInfo(string Name, string Unit, string Description);

/// <summary>
/// Everything the host needs to know about a material before calling it (MGIS-style metadata).
/// </summary>
public sealed record MaterialMetadata
{
    /// <summary>Material name used in case files (unique among loaded plug-ins), e.g. "Elastic".</summary>
    public required string Name { get; init; }

    /// <summary>Version of the material model itself (not of the SDK).</summary>
    public required Version Version { get; init; }

    /// <summary>One paragraph for `femhost plugins`.</summary>
    public required string Description { get; init; }

    /// <summary>Parameters the case may (or must) set.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; init; } = [];

    /// <summary>
    /// Scalar state variables per point, stored by the host (committed and trial copies).
    /// The state size is <c>StateVariables.Count</c>. When the number of state variables depends on the
    /// parameters (a UMAT's NSTATV), the plug-in declares what it can here and each model instance states
    /// its own list in <see cref="IMaterialModel.Metadata"/>: the host sizes its arrays from the instance's.
    /// </summary>
    public IReadOnlyList<StateVariableInfo> StateVariables { get; init; } = [];

    /// <summary>Modelling hypotheses the model supports.</summary>
    public IReadOnlyList<ModellingHypothesis> Hypotheses { get; init; } = [ModellingHypothesis.PlaneStrain, ModellingHypothesis.Tridimensional];

    /// <summary>Tangent kinds the model can return; the first one is the default.</summary>
    public IReadOnlyList<TangentKind> TangentKinds { get; init; } = [TangentKind.Consistent];

    /// <summary>
    /// Whether <see cref="IMaterialModel.Integrate"/> may be called concurrently on disjoint batches.
    /// When false the host makes one call at a time (the model may still parallelise inside). A model instance
    /// may state its own value in <see cref="IMaterialModel.Metadata"/> (e.g. from a parameter); the host uses the instance's.
    /// </summary>
    public bool IsThreadSafe { get; init; } = true;

    /// <summary>
    /// Whether the model keeps internal state the host cannot see (e.g. a DEM packing). Such models get
    /// the lifecycle calls of <see cref="IOpaqueStateMaterial"/>.
    /// </summary>
    public bool HasOpaqueState { get; init; }

    /// <summary>Whether the response is isotropic (a rotated strain increment gives a rotated stress).</summary>
    public bool IsIsotropic { get; init; }

    /// <summary>Number of state variables per point.</summary>
    public int StateSize => StateVariables.Count;

    /// <summary>Looks up a parameter declaration by name (case-sensitive), or null.</summary>
    public ParameterInfo? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
