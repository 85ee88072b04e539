using System.Globalization;
using System.Text;
using FemHost.MaterialData;

namespace FemHost.Experiments.Collapse;

/// <summary>What a replayed (or logged) Gauss-point history shows of its RVE.</summary>
/// <param name="FinalPressure">In-plane mean stress p = −(σ11 + σ22)/2 at the end (kPa, compression positive).</param>
/// <param name="MinPressure">Smallest p along the history (kPa).</param>
/// <param name="MinCoordination">Smallest coordination number along the history.</param>
/// <param name="MeanDemSteps">Mean DEM steps per increment (loading + relaxation).</param>
/// <param name="MaxUnbalanced">Largest unbalanced force ratio at the end of an increment.</param>
public sealed record RveHistory(double FinalPressure, double MinPressure, double MinCoordination, double MeanDemSteps, double MaxUnbalanced)
{
    /// <summary>An RVE is collapsed when its mean stress is below this (kPa): 5 % of the 100 kPa it was consolidated to.</summary>
    public const double CollapsePressure = 5.0;

    /// <summary>Whether the RVE ends with (almost) no stress.</summary>
    public bool CollapsedAtEnd => FinalPressure < CollapsePressure;

    /// <summary>Whether the RVE lost (almost) all its stress at some increment.</summary>
    public bool PassedThroughCollapse => MinPressure < CollapsePressure;

    /// <summary>Reads the history of one path of a point log (a FEM run's Gauss point).</summary>
    public static RveHistory Of(DatasetPath path, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(info);
        int z = info.ExtraColumns.ToList().IndexOf("coordination"), u = info.ExtraColumns.ToList().IndexOf("unbalanced"), d = info.ExtraColumns.ToList().IndexOf("dem_steps");
        var rows = path.Rows.Where(r => r.Step > 0).ToList();
        double P(PathRow r) => -0.5 * (r.Stress[0] + r.Stress[1]);
        return new RveHistory(P(path.Rows[^1]), path.Rows.Min(P), z < 0 ? double.NaN : path.Rows.Min(r => r.Extras[z]),
            d < 0 || rows.Count == 0 ? double.NaN : rows.Average(r => r.Extras[d]), u < 0 || rows.Count == 0 ? double.NaN : rows.Max(r => r.Extras[u]));
    }

    /// <summary>Reads the history from a <c>femhost point</c> CSV (plane strain; DemRve's state variables by name).</summary>
    public static RveHistory OfDriverCsv(string file)
    {
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',').ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new ExperimentException($"'{file}' has no column '{name}': expected the CSV of 'femhost point' with model DemRve.");
        int s11 = Col("sig_11"), s22 = Col("sig_22"), z = Col("coordination"), u = Col("unbalanced"), d = Col("dem_steps");
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN).ToArray()).ToList();
        double P(double[] r) => -0.5 * (r[s11] + r[s22]);
        var steps = rows.Skip(1).ToList();
        return new RveHistory(P(rows[^1]), rows.Min(P), rows.Min(r => r[z]), steps.Count == 0 ? 0 : steps.Average(r => r[d]), steps.Count == 0 ? 0 : steps.Max(r => r[u]));
    }
}

/// <summary>
/// A Gauss-point strain history of a FEM run replayed on one RVE through <c>femhost point</c>: one strain-controlled
/// segment per converged increment of the run (total ε11, ε22, γ12; ε33 = 0 by the plane-strain hypothesis), from the
/// same initial stress, with the run's material parameters and optional overrides. The RVE of every Gauss point is
/// a copy of one packing (DemRve), so the replay starts from the same state as the FEM run's point did.
/// </summary>
public static class PathReplay
{
    /// <summary>The point-driver file of <paramref name="path"/> with <paramref name="parameters"/> (the run's, then the overrides).</summary>
    public static string DriverYaml(string name, DatasetPath path, IReadOnlyDictionary<string, object> parameters, double initialPressure)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"# Gauss point {path.Id} of a FEM run replayed on its RVE, written by femhost-experiments rve-collapse.");
        sb.AppendLine(c, $"name: {name}");
        sb.AppendLine("hypothesis: plane_strain");
        sb.AppendLine("material:");
        sb.AppendLine("  model: DemRve");
        sb.AppendLine("  tangent: approximate");
        sb.AppendLine("  parameters:");
        foreach (var (key, value) in parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.AppendLine(c, $"    {key}: {Yaml(value)}");
        }

        sb.AppendLine(c, $"initial_stress: {{isotropic: {-initialPressure:R}}}");
        sb.AppendLine("path:");
        foreach (var row in path.Rows.Where(r => r.Step > 0))
        {
            sb.AppendLine(c, $"  - {{steps: 1, strain: {{\"11\": {row.Strain[0]:R}, \"22\": {row.Strain[1]:R}, \"12\": {row.Strain[3]:R}}}}}");
        }

        return sb.ToString();
    }

    private static string Yaml(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s.Length == 0 ? "\"\"" : s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
