using FemHost.MaterialData;

namespace FemHost.Materials.DhModel;

/// <summary>
/// A family of triaxial paths obtained by stepping the confining pressure (paper §3.2.1: 450 sequences), and
/// its export to the shared path-dataset format.
/// </summary>
public static class TriaxialFamily
{
    /// <summary>Names of the extra dataset columns (geotechnical signs, compression positive).</summary>
    public static IReadOnlyList<string> ExtraColumns { get; } = ["confining", "p", "q", "eps_v", "eps_q", "eps_q_p"];

    /// <summary><paramref name="count"/> evenly spaced confining pressures from <paramref name="min"/> to <paramref name="max"/> (kPa).</summary>
    public static double[] ConfiningPressures(double min, double max, int count)
    {
        if (count < 1 || !(min > 0) || !(max >= min))
        {
            throw new ArgumentException($"need count ≥ 1 and 0 < min ≤ max (got count {count}, min {min}, max {max})");
        }

        return Enumerable.Range(0, count).Select(i => count == 1 ? min : min + (max - min) * i / (count - 1)).ToArray();
    }

    /// <summary>Runs <paramref name="run"/> for every confining pressure, in parallel (each path is independent).</summary>
    public static TriaxialPath[] Generate(IReadOnlyList<double> confiningPressures, Func<double, TriaxialPath> run, bool parallel = true)
    {
        ArgumentNullException.ThrowIfNull(confiningPressures);
        ArgumentNullException.ThrowIfNull(run);
        var paths = new TriaxialPath[confiningPressures.Count];
        if (parallel)
        {
            Parallel.For(0, paths.Length, i => paths[i] = run(confiningPressures[i]));
        }
        else
        {
            for (int i = 0; i < paths.Length; i++)
            {
                paths[i] = run(confiningPressures[i]);
            }
        }

        return paths;
    }

    /// <summary>
    /// Writes the paths as a "femhost-path-dataset" (Tridimensional, axial direction 2, tension positive),
    /// path id = index, time = step, with the p–q description in extra columns. Returns the number of rows.
    /// </summary>
    public static long Write(string csvPath, IReadOnlyList<TriaxialPath> paths, DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var info = new DatasetInfo { Hypothesis = DatasetHypothesis.Tridimensional, ExtraColumns = ExtraColumns, Source = source };
        using var writer = new PathDatasetWriter(csvPath, info);
        Span<double> strain = stackalloc double[6], previous = stackalloc double[6], phi = stackalloc double[6];
        Span<double> stress = stackalloc double[6], extras = stackalloc double[6];
        for (int id = 0; id < paths.Count; id++)
        {
            var path = paths[id];
            phi.Clear();
            previous.Clear();
            for (int i = 0; i < path.Count; i++)
            {
                path.Tensors(i, strain, stress);
                for (int j = 0; j < 6; j++)
                {
                    phi[j] += Math.Abs(strain[j] - previous[j]); // paper eq. (5)
                }

                strain.CopyTo(previous);
                extras[0] = path.ConfiningPressure;
                extras[1] = path.P[i];
                extras[2] = path.Q[i];
                extras[3] = path.VolumetricStrain[i];
                extras[4] = path.DeviatoricStrain[i];
                extras[5] = path.PlasticShearStrain[i];
                writer.WriteRow(id, i, i, strain, phi, stress, [], extras);
            }
        }

        writer.Complete();
        return writer.RowCount;
    }
}
