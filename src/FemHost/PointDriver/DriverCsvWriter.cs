using System.Globalization;
using FemHost.MaterialSdk;
using FemHost.Output;

namespace FemHost.PointDriver;

/// <summary>
/// Writes a driven point's history as CSV: step, time, strains eps_11.., stresses sig_11.. (tension
/// positive, engineering shear strain), state variables by name, Newton iterations, substeps, status.
/// </summary>
public static class DriverCsvWriter
{
    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> (creating its folder).</summary>
    public static void Write(DriverResult result, string path)
    {
        AtomicFile.WriteText(path, writer => Write(result, writer));
    }

    /// <summary>Writes <paramref name="result"/> as CSV text.</summary>
    public static void Write(DriverResult result, TextWriter writer)
    {
        var labels = Voigt.Labels(result.Hypothesis);
        var header = new List<string> { "step", "time" };
        header.AddRange(labels.Select(l => "eps_" + l));
        header.AddRange(labels.Select(l => "sig_" + l));
        header.AddRange(result.StateNames);
        header.AddRange(["iterations", "substeps", "status"]);
        writer.WriteLine(string.Join(',', header));
        foreach (var row in result.Rows)
        {
            var cells = new List<string> { row.Step.ToString(CultureInfo.InvariantCulture), Number(row.Time) };
            cells.AddRange(row.Strain.Select(Number));
            cells.AddRange(row.Stress.Select(Number));
            cells.AddRange(row.State.Select(Number));
            cells.Add(row.Iterations.ToString(CultureInfo.InvariantCulture));
            cells.Add(row.Substeps.ToString(CultureInfo.InvariantCulture));
            cells.Add(row.Step == 0 ? "initial" : "ok");
            writer.WriteLine(string.Join(',', cells));
        }
    }

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
