using FemHost.MaterialData;

namespace FemHost.NeuralTrainer;

/// <summary>
/// Reads one named column of a dataset row: <c>eps_ij</c>, <c>phi_ij</c>, <c>sig_ij</c>, <c>D_ij_kl</c>
/// (upper triangle) or an extra column <c>x_name</c>, by the layout of the shared "femhost-path-dataset"
/// format (docs/dataset-format.md).
/// </summary>
public sealed class ColumnReader
{
    private readonly Func<PathRow, double> _read;

    private ColumnReader(string name, Func<PathRow, double> read) => (Name, _read) = (name, read);

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>The column's value in a row.</summary>
    public double Read(PathRow row) => _read(row);

    /// <summary>Resolves a column name against a dataset's layout; unknown names list what exists.</summary>
    public static ColumnReader For(string name, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var labels = DatasetLayout.Labels(info.Hypothesis);
        int n = labels.Count;
        int Index(string label) => labels.ToList().IndexOf(label);
        var parts = name.Split('_', 2);
        switch (parts)
        {
            case ["eps", var c] when Index(c) >= 0:
                return new ColumnReader(name, r => r.Strain[Index(c)]);
            case ["phi", var c] when Index(c) >= 0:
                return new ColumnReader(name, r => r.Phi[Index(c)]);
            case ["sig", var c] when Index(c) >= 0:
                return new ColumnReader(name, r => r.Stress[Index(c)]);
            case ["D", var rc] when info.HasTangent && rc.Split('_') is [var a, var b] && Index(a) >= 0 && Index(b) >= Index(a):
                int i = Index(a), j = Index(b);
                int packed = i * n - i * (i - 1) / 2 + (j - i);
                return new ColumnReader(name, r => r.Tangent![packed]);
            case ["x", var extra] when info.ExtraColumns.Contains(extra):
                int e = info.ExtraColumns.ToList().IndexOf(extra);
                return new ColumnReader(name, r => r.Extras[e]);
            default:
                throw new TrainerInputException($"column '{name}' is not in the dataset; it has {string.Join(", ", info.Columns.Skip(3))}");
        }
    }
}

/// <summary>A user mistake in a trainer configuration or its data: the message says where and what is expected.</summary>
public sealed class TrainerInputException(string message, Exception? inner = null) : Exception(message, inner);
