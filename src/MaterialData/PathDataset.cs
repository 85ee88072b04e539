namespace FemHost.MaterialData;

/// <summary>One converged step of one path.</summary>
/// <param name="Step">Step number; 0 is the initial state.</param>
/// <param name="Time">Time (or load factor) of the step.</param>
/// <param name="Strain">Total strain ε (Voigt, engineering shear, tension positive).</param>
/// <param name="Phi">Accumulated absolute strain increments φ_j = Σ|Δε_j| (paper eq. 5).</param>
/// <param name="Stress">Stress σ in kPa (Voigt, tension positive).</param>
/// <param name="Tangent">Packed upper triangle of D (i ≤ j, row-major), or null when the dataset has none.</param>
/// <param name="Extras">Extra values in the order of <see cref="DatasetInfo.ExtraColumns"/> (empty when none).</param>
public sealed record PathRow(int Step, double Time, double[] Strain, double[] Phi, double[] Stress, double[]? Tangent, double[] Extras);

/// <summary>One path: a DH triaxial sequence, a virtual-lab test, or one Gauss point's history.</summary>
/// <param name="Id">Path id as written in the "path" column.</param>
/// <param name="Rows">Rows in increasing step order.</param>
public sealed record DatasetPath(int Id, IReadOnlyList<PathRow> Rows);

/// <summary>A whole dataset in memory: metadata and its paths in order of first appearance in the file.</summary>
/// <param name="Info">Metadata from the sidecar.</param>
/// <param name="Paths">The paths.</param>
public sealed record PathDataset(DatasetInfo Info, IReadOnlyList<DatasetPath> Paths)
{
    /// <summary>Total number of rows over all paths.</summary>
    public int RowCount => Paths.Sum(p => p.Rows.Count);

    /// <summary>Writes the dataset to <paramref name="csvPath"/> (and its sidecar), path by path.</summary>
    public void Write(string csvPath)
    {
        var writer = new PathDatasetWriter(csvPath, Info);
        try
        {
            foreach (var path in Paths)
            {
                foreach (var row in path.Rows)
                {
                    writer.WriteRow(path.Id, row.Step, row.Time, row.Strain, row.Phi, row.Stress, row.Tangent, row.Extras);
                }
            }

            writer.Complete();
        }
        catch
        {
            writer.Abort(); // a row the writer refuses leaves no dataset behind, not a completed part of one
            throw;
        }
    }
}
