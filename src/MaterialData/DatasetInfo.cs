namespace FemHost.MaterialData;

/// <summary>Provenance of a dataset: what produced it and with which inputs.</summary>
/// <param name="Generator">Program that wrote it, e.g. "DhSequences 1.0" or "femhost run".</param>
/// <param name="Material">Material model, e.g. "DhModel" or "DemRve".</param>
/// <param name="Parameters">Material/generator parameters (values are double, long, bool, string, or a list of numbers read back as double[]).</param>
/// <param name="Seed">Random seed, when one was used.</param>
/// <param name="CaseHash">Hash of the case file for FEM logs, when there is one.</param>
public sealed record DatasetSource(
    string Generator,
    string Material,
    IReadOnlyDictionary<string, object> Parameters,
    long? Seed = null,
    string? CaseHash = null);

/// <summary>
/// Metadata of a dataset (everything in the JSON sidecar except the column list and path count,
/// which follow from it and from the rows). Units are fixed by the format: stress in kPa, strain and
/// time dimensionless; tension positive; engineering shear strain.
/// </summary>
public sealed record DatasetInfo
{
    /// <summary>Stress unit of the format.</summary>
    public const string StressUnit = "kPa";

    /// <summary>Sign convention of the format.</summary>
    public const string SignConvention = "tension positive; engineering shear strain";

    /// <summary>Voigt layout.</summary>
    public required DatasetHypothesis Hypothesis { get; init; }

    /// <summary>Whether the rows carry the tangent's upper triangle.</summary>
    public bool HasTangent { get; init; }

    /// <summary>Names of the extra columns without the "x_" prefix, e.g. "coordination".</summary>
    public IReadOnlyList<string> ExtraColumns { get; init; } = [];

    /// <summary>Provenance.</summary>
    public required DatasetSource Source { get; init; }

    /// <summary>Creation time (UTC).</summary>
    public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>Number of Voigt components.</summary>
    public int VoigtSize => DatasetLayout.VoigtSize(Hypothesis);

    /// <summary>The CSV column names in order.</summary>
    public IReadOnlyList<string> Columns => DatasetLayout.Columns(Hypothesis, HasTangent, ExtraColumns);
}
