using System.Globalization;
using System.Text.Json;

namespace FemHost.MaterialData;

/// <summary>
/// Reads a "femhost-path-dataset" v1 file (CSV plus <c>&lt;file&gt;.json</c> sidecar) into memory. Every
/// problem becomes a <see cref="PathDatasetFormatException"/> naming file, line and column.
/// </summary>
public static class PathDatasetReader
{
    /// <summary>Reads the dataset whose CSV file is <paramref name="csvPath"/>.</summary>
    public static PathDataset Read(string csvPath)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        if (!File.Exists(csvPath))
        {
            throw new PathDatasetFormatException($"{csvPath}: dataset file not found (expected a CSV file with a '{Path.GetFileName(csvPath)}.json' sidecar next to it).");
        }

        string sidecarPath = PathDatasetWriter.SidecarPath(csvPath);
        var (info, columns, pathCount) = ReadSidecar(sidecarPath);
        var paths = ReadRows(csvPath, info, columns);
        if (paths.Count != pathCount)
        {
            throw new PathDatasetFormatException($"{sidecarPath}: \"paths\" says {pathCount} but {csvPath} holds {paths.Count} distinct path ids.");
        }

        return new PathDataset(info, paths);
    }

    private static (DatasetInfo Info, string[] Columns, int Paths) ReadSidecar(string file)
    {
        if (!File.Exists(file))
        {
            throw new PathDatasetFormatException($"{file}: sidecar not found; every dataset CSV needs '<name>.csv.json' describing format, units and columns (see docs/dataset-format.md).");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new PathDatasetFormatException($"{file}:{e.LineNumber + 1}: not valid JSON ({e.Message}).");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(file, "the sidecar must be a JSON object");
            }

            string format = String(file, root, "format");
            if (format != DatasetLayout.FormatName)
            {
                throw Bad(file, $"\"format\" is '{format}', expected '{DatasetLayout.FormatName}'");
            }

            int version = Int(file, root, "version");
            if (version != DatasetLayout.FormatVersion)
            {
                throw Bad(file, $"\"version\" is {version}; this reader understands version {DatasetLayout.FormatVersion}");
            }

            string hyp = String(file, root, "hypothesis");
            if (!Enum.TryParse<DatasetHypothesis>(hyp, ignoreCase: false, out var hypothesis) || !Enum.IsDefined(hypothesis))
            {
                throw Bad(file, $"\"hypothesis\" is '{hyp}', expected PlaneStrain or Tridimensional");
            }

            if (root.TryGetProperty("units", out var units) && units.ValueKind == JsonValueKind.Object
                && units.TryGetProperty("stress", out var su) && su.GetString() != DatasetInfo.StressUnit)
            {
                throw Bad(file, $"\"units.stress\" is '{su.GetString()}'; the format stores stress in {DatasetInfo.StressUnit}");
            }

            bool hasTangent = Property(file, root, "has_tangent", JsonValueKind.True, JsonValueKind.False).GetBoolean();
            var columnsElement = Property(file, root, "columns", JsonValueKind.Array);
            var columns = columnsElement.EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
            var fixedColumns = DatasetLayout.Columns(hypothesis, hasTangent, []);
            for (int i = 0; i < fixedColumns.Count; i++)
            {
                if (i >= columns.Length || columns[i] != fixedColumns[i])
                {
                    throw Bad(file, $"\"columns\"[{i}] is '{(i < columns.Length ? columns[i] : "(missing)")}', expected '{fixedColumns[i]}' for a {hypothesis} dataset{(hasTangent ? " with tangent" : "")}");
                }
            }

            var extras = new List<string>();
            for (int i = fixedColumns.Count; i < columns.Length; i++)
            {
                string c = columns[i];
                if (!c.StartsWith(DatasetLayout.ExtraPrefix, StringComparison.Ordinal) || !DatasetLayout.IsValidExtraName(c[DatasetLayout.ExtraPrefix.Length..]))
                {
                    throw Bad(file, $"\"columns\"[{i}] is '{c}'; columns after the {(hasTangent ? "tangent" : "stress")} must be extra columns named x_<letters, digits, _>");
                }

                extras.Add(c[DatasetLayout.ExtraPrefix.Length..]);
            }

            int paths = Int(file, root, "paths");
            var source = ReadSource(file, Property(file, root, "source", JsonValueKind.Object));
            DateTime created = root.TryGetProperty("created_utc", out var cu) && cu.ValueKind == JsonValueKind.String
                && DateTime.TryParse(cu.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                ? t : DateTime.MinValue;
            var info = new DatasetInfo
            {
                Hypothesis = hypothesis,
                HasTangent = hasTangent,
                ExtraColumns = extras,
                Source = source,
                CreatedUtc = created,
            };
            return (info, columns, paths);
        }
    }

    private static DatasetSource ReadSource(string file, JsonElement s)
    {
        var parameters = new Dictionary<string, object>();
        if (s.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            foreach (var kv in p.EnumerateObject())
            {
                parameters[kv.Name] = kv.Value.ValueKind switch
                {
                    JsonValueKind.Number when kv.Value.TryGetInt64(out long l) && !kv.Value.GetRawText().Contains('.') && !kv.Value.GetRawText().Contains('e') && !kv.Value.GetRawText().Contains('E') => l,
                    JsonValueKind.Number => kv.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Array when kv.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number) =>
                        kv.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                    _ => kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString()! : kv.Value.GetRawText(),
                };
            }
        }

        long? seed = s.TryGetProperty("seed", out var sd) && sd.ValueKind == JsonValueKind.Number ? sd.GetInt64() : null;
        string? hash = s.TryGetProperty("case_hash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        return new DatasetSource(String(file, s, "generator"), String(file, s, "material"), parameters, seed, hash);
    }

    private static List<DatasetPath> ReadRows(string file, DatasetInfo info, string[] columns)
    {
        int n = info.VoigtSize;
        int nt = info.HasTangent ? DatasetLayout.TangentSize(info.Hypothesis) : 0;
        int nx = info.ExtraColumns.Count;
        var byId = new Dictionary<int, List<PathRow>>();
        var order = new List<int>();
        using var reader = new StreamReader(file);
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new PathDatasetFormatException($"{file}:1: empty file; expected the header '{string.Join(',', columns)}'.");
        }

        var headerCells = header.Split(',');
        for (int i = 0; i < Math.Max(headerCells.Length, columns.Length); i++)
        {
            string got = i < headerCells.Length ? headerCells[i].Trim() : "(missing)";
            string want = i < columns.Length ? columns[i] : "(none)";
            if (got != want)
            {
                throw new PathDatasetFormatException($"{file}:1: header column {i + 1} is '{got}', the sidecar lists '{want}'; the header must match the sidecar's \"columns\".");
            }
        }

        int lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new PathDatasetFormatException($"{file}:{lineNo}: {cells.Length} values, expected {columns.Length} (one per column: {string.Join(',', columns)}).");
            }

            int id = ParseInt(file, lineNo, columns, cells, 0);
            int step = ParseInt(file, lineNo, columns, cells, 1);
            double time = ParseDouble(file, lineNo, columns, cells, 2);
            int c = 3;
            double[] Take(int count)
            {
                var a = new double[count];
                for (int k = 0; k < count; k++, c++)
                {
                    a[k] = ParseDouble(file, lineNo, columns, cells, c);
                }

                return a;
            }

            var strain = Take(n);
            var phi = Take(n);
            var stress = Take(n);
            double[]? tangent = info.HasTangent ? Take(nt) : null;
            var extras = Take(nx);
            if (!byId.TryGetValue(id, out var rows))
            {
                byId[id] = rows = [];
                order.Add(id);
            }
            else if (rows[^1].Step >= step)
            {
                throw new PathDatasetFormatException($"{file}:{lineNo}: column 'step': path {id} has step {step} after step {rows[^1].Step}; steps of a path must increase.");
            }

            rows.Add(new PathRow(step, time, strain, phi, stress, tangent, extras));
        }

        return order.Select(id => new DatasetPath(id, byId[id])).ToList();
    }

    private static int ParseInt(string file, int line, string[] columns, string[] cells, int i) =>
        int.TryParse(cells[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
        : throw new PathDatasetFormatException($"{file}:{line}: column '{columns[i]}': '{cells[i]}' is not an integer.");

    private static double ParseDouble(string file, int line, string[] columns, string[] cells, int i) =>
        double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
        : throw new PathDatasetFormatException($"{file}:{line}: column '{columns[i]}': '{cells[i]}' is not a finite number (invariant culture, '.' decimal point).");

    private static PathDatasetFormatException Bad(string file, string what) =>
        new($"{file}: {what} (see docs/dataset-format.md).");

    private static JsonElement Property(string file, JsonElement obj, string name, params JsonValueKind[] kinds)
    {
        if (!obj.TryGetProperty(name, out var v))
        {
            throw Bad(file, $"missing \"{name}\"");
        }

        if (!kinds.Contains(v.ValueKind))
        {
            throw Bad(file, $"\"{name}\" is a JSON {v.ValueKind}, expected {string.Join(" or ", kinds)}");
        }

        return v;
    }

    private static string String(string file, JsonElement obj, string name) => Property(file, obj, name, JsonValueKind.String).GetString()!;

    private static int Int(string file, JsonElement obj, string name)
    {
        var v = Property(file, obj, name, JsonValueKind.Number);
        return v.TryGetInt32(out int i) ? i : throw Bad(file, $"\"{name}\" must be an integer");
    }
}
