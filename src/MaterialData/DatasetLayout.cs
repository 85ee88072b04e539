namespace FemHost.MaterialData;

/// <summary>
/// Strain/stress layout of a dataset. The names match the SDK's modelling hypotheses so a host can write
/// <c>hypothesis.ToString()</c> without this library depending on the SDK.
/// </summary>
public enum DatasetHypothesis
{
    /// <summary>Four Voigt components 11, 22, 33, 12 (ε33 = 0; σ33 is tracked).</summary>
    PlaneStrain,

    /// <summary>Six Voigt components 11, 22, 33, 12, 13, 23.</summary>
    Tridimensional,
}

/// <summary>
/// The column layout of a "femhost-path-dataset" v1 CSV file: <c>path, step, time</c>, then the strain
/// <c>eps_*</c>, the accumulated absolute strain increments <c>phi_*</c> (paper eq. 5), the stress
/// <c>sig_*</c>, the optional upper triangle of the tangent <c>D_i_j</c> (i ≤ j, row-major) and optional
/// extra columns <c>x_name</c>.
/// </summary>
public static class DatasetLayout
{
    /// <summary>Name written in the sidecar's "format" field.</summary>
    public const string FormatName = "femhost-path-dataset";

    /// <summary>Format version written in the sidecar's "version" field.</summary>
    public const int FormatVersion = 1;

    /// <summary>Prefix of extra columns in the CSV header.</summary>
    public const string ExtraPrefix = "x_";

    /// <summary>Number of Voigt components: 4 (plane strain) or 6 (3D).</summary>
    public static int VoigtSize(DatasetHypothesis hypothesis) => hypothesis == DatasetHypothesis.PlaneStrain ? 4 : 6;

    /// <summary>Voigt component labels in order.</summary>
    public static IReadOnlyList<string> Labels(DatasetHypothesis hypothesis) =>
        hypothesis == DatasetHypothesis.PlaneStrain ? ["11", "22", "33", "12"] : ["11", "22", "33", "12", "13", "23"];

    /// <summary>Number of stored tangent entries: the upper triangle n(n+1)/2.</summary>
    public static int TangentSize(DatasetHypothesis hypothesis)
    {
        int n = VoigtSize(hypothesis);
        return n * (n + 1) / 2;
    }

    /// <summary>The full ordered list of CSV column names for a layout.</summary>
    public static IReadOnlyList<string> Columns(DatasetHypothesis hypothesis, bool hasTangent, IReadOnlyList<string> extraColumns)
    {
        ArgumentNullException.ThrowIfNull(extraColumns);
        var labels = Labels(hypothesis);
        var columns = new List<string> { "path", "step", "time" };
        columns.AddRange(labels.Select(l => "eps_" + l));
        columns.AddRange(labels.Select(l => "phi_" + l));
        columns.AddRange(labels.Select(l => "sig_" + l));
        if (hasTangent)
        {
            for (int i = 0; i < labels.Count; i++)
            {
                for (int j = i; j < labels.Count; j++)
                {
                    columns.Add($"D_{labels[i]}_{labels[j]}");
                }
            }
        }

        columns.AddRange(extraColumns.Select(x => ExtraPrefix + x));
        return columns;
    }

    /// <summary>
    /// Packs the upper triangle (i ≤ j, row-major) of a row-major n×n tangent into <paramref name="packed"/>
    /// (length n(n+1)/2). The SDK tangent may be unsymmetric; only D_ij with i ≤ j is stored.
    /// </summary>
    public static void PackUpperTriangle(ReadOnlySpan<double> full, int n, Span<double> packed)
    {
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                packed[k++] = full[i * n + j];
            }
        }
    }

    /// <summary>Expands a packed upper triangle to a symmetric row-major n×n matrix.</summary>
    public static void UnpackSymmetric(ReadOnlySpan<double> packed, int n, Span<double> full)
    {
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                full[i * n + j] = full[j * n + i] = packed[k++];
            }
        }
    }

    /// <summary>Checks that an extra-column name is a plain identifier (letters, digits, underscore).</summary>
    internal static bool IsValidExtraName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
