using System.Globalization;
using System.Text;

namespace FemHost.Experiments.Reporting;

/// <summary>Atomic text output (temporary file, then rename) and invariant-culture number formatting.</summary>
public static class TextFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (UTF-8, no BOM).</summary>
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes a CSV file: a header and one line per row, numbers in round-trip invariant form.</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', header));
        foreach (var row in rows)
        {
            sb.AppendLine(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        Write(path, sb.ToString());
    }

    /// <summary>Formats a number with <paramref name="format"/> in the invariant culture.</summary>
    public static string F(double value, string format = "G4") => value.ToString(format, CultureInfo.InvariantCulture);
}
