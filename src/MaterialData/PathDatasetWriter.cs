using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FemHost.MaterialData;

/// <summary>
/// Streams a "femhost-path-dataset" v1 file: rows go to <c>&lt;file&gt;.tmp</c> as they come, and
/// <see cref="Complete"/> (or <see cref="Dispose"/>) writes the JSON sidecar and renames both into place,
/// so a reader never sees a half-written dataset. Rows of different paths may interleave (a FEM log writes
/// every Gauss point at each step); within a path, steps must increase. Numbers are written in the
/// invariant culture with round-trip ("R") formatting. Not thread-safe.
/// </summary>
public sealed class PathDatasetWriter : IDisposable
{
    private readonly string _csvPath;
    private readonly string _tmpPath;
    private readonly DatasetInfo _info;
    private readonly int _n;
    private readonly int _tangentSize;
    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly Dictionary<int, int> _lastStep = [];
    private int _used;
    private bool _finished;

    /// <summary>Opens <paramref name="csvPath"/>.tmp and writes the header.</summary>
    /// <exception cref="ArgumentException">An extra-column name is not a plain identifier.</exception>
    public PathDatasetWriter(string csvPath, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(info);
        foreach (var name in info.ExtraColumns)
        {
            if (!DatasetLayout.IsValidExtraName(name))
            {
                throw new ArgumentException($"extra column name '{name}' must be letters, digits or '_' (it is written as x_{name})", nameof(info));
            }
        }

        _csvPath = Path.GetFullPath(csvPath);
        _tmpPath = _csvPath + ".tmp";
        _info = info;
        _n = info.VoigtSize;
        _tangentSize = DatasetLayout.TangentSize(info.Hypothesis);
        Directory.CreateDirectory(Path.GetDirectoryName(_csvPath)!);
        _stream = new FileStream(_tmpPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteAscii(string.Join(',', info.Columns));
        WriteByte((byte)'\n');
    }

    /// <summary>Path of the sidecar of a dataset CSV file: <c>&lt;file&gt;.json</c>.</summary>
    public static string SidecarPath(string csvPath) => csvPath + ".json";

    /// <summary>
    /// The CSV path a dataset file stands for: <paramref name="file"/> itself, or <c>X.csv</c> for a gzip-compressed
    /// <c>X.csv.gz</c>, whose sidecar stays uncompressed as <c>X.csv.json</c> beside it.
    /// </summary>
    public static string CsvPathOf(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
    }

    /// <summary>
    /// Copies the dataset <paramref name="file"/> (a CSV, or a <c>.csv.gz</c> that is decompressed) and its sidecar
    /// to <paramref name="csvPath"/>. The CSV goes to a temporary name first and is renamed after the sidecar is in
    /// place, so a half-copied dataset never carries the final name.
    /// </summary>
    /// <exception cref="InvalidDataException">A <c>.gz</c> file is not gzip.</exception>
    public static void CopyDataset(string file, string csvPath)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(csvPath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csvPath))!);
        string tmp = csvPath + ".tmp";
        using (var input = File.OpenRead(file))
        using (var output = File.Create(tmp))
        {
            if (CsvPathOf(file) != file)
            {
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                gzip.CopyTo(output);
            }
            else
            {
                input.CopyTo(output);
            }
        }

        File.Copy(SidecarPath(CsvPathOf(file)), SidecarPath(csvPath), overwrite: true);
        File.Move(tmp, csvPath, overwrite: true);
    }

    /// <summary>Number of rows written so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Number of distinct paths written so far.</summary>
    public int PathCount => _lastStep.Count;

    /// <summary>
    /// Appends one row. Spans must have the dataset's Voigt size n; <paramref name="tangentUpper"/> holds the
    /// packed upper triangle (n(n+1)/2, see <see cref="DatasetLayout.PackUpperTriangle"/>) when the dataset has a
    /// tangent and must be empty otherwise; <paramref name="extras"/> one value per extra column.
    /// </summary>
    public void WriteRow(int path, int step, double time, ReadOnlySpan<double> strain, ReadOnlySpan<double> phi,
        ReadOnlySpan<double> stress, ReadOnlySpan<double> tangentUpper, ReadOnlySpan<double> extras)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        CheckLength(strain.Length, _n, nameof(strain));
        CheckLength(phi.Length, _n, nameof(phi));
        CheckLength(stress.Length, _n, nameof(stress));
        CheckLength(tangentUpper.Length, _info.HasTangent ? _tangentSize : 0, nameof(tangentUpper));
        CheckLength(extras.Length, _info.ExtraColumns.Count, nameof(extras));
        if (_lastStep.TryGetValue(path, out int last) && step <= last)
        {
            throw new ArgumentException($"path {path}: step {step} does not follow step {last}", nameof(step));
        }

        if (!AllFinite(time, strain, phi, stress, tangentUpper, extras))
        {
            throw new ArgumentException($"path {path}, step {step}: a value is NaN or infinite; only converged, finite states belong in a dataset");
        }

        _lastStep[path] = step;
        WriteInt(path);
        WriteByte((byte)',');
        WriteInt(step);
        WriteByte((byte)',');
        WriteDouble(time);
        WriteValues(strain);
        WriteValues(phi);
        WriteValues(stress);
        WriteValues(tangentUpper);
        WriteValues(extras);
        WriteByte((byte)'\n');
        RowCount++;
    }

    /// <summary>Flushes the rows, writes the sidecar and renames both files into place.</summary>
    public void Complete()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        Flush();
        _stream.Dispose();
        string sidecar = SidecarPath(_csvPath);
        File.WriteAllBytes(sidecar + ".tmp", SidecarJson());
        File.Move(_tmpPath, _csvPath, overwrite: true);
        File.Move(sidecar + ".tmp", sidecar, overwrite: true);
    }

    /// <summary>Discards everything written: deletes the temporary file; nothing is renamed.</summary>
    public void Abort()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _stream.Dispose();
        File.Delete(_tmpPath);
    }

    /// <summary>Completes the dataset if neither <see cref="Complete"/> nor <see cref="Abort"/> was called.</summary>
    public void Dispose() => Complete();

    private byte[] SidecarJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", DatasetLayout.FormatName);
            w.WriteNumber("version", DatasetLayout.FormatVersion);
            w.WriteString("hypothesis", _info.Hypothesis.ToString());
            w.WriteStartObject("units");
            w.WriteString("stress", DatasetInfo.StressUnit);
            w.WriteString("strain", "-");
            w.WriteString("time", "-");
            w.WriteEndObject();
            w.WriteString("sign_convention", DatasetInfo.SignConvention);
            w.WriteStartArray("columns");
            foreach (var c in _info.Columns)
            {
                w.WriteStringValue(c);
            }

            w.WriteEndArray();
            w.WriteNumber("paths", PathCount);
            w.WriteNumber("rows", RowCount);
            w.WriteBoolean("has_tangent", _info.HasTangent);
            w.WriteStartObject("source");
            w.WriteString("generator", _info.Source.Generator);
            w.WriteString("material", _info.Source.Material);
            w.WriteStartObject("parameters");
            foreach (var (key, value) in _info.Source.Parameters)
            {
                WriteJsonValue(w, key, value);
            }

            w.WriteEndObject();
            if (_info.Source.Seed is long seed)
            {
                w.WriteNumber("seed", seed);
            }
            else
            {
                w.WriteNull("seed");
            }

            w.WriteString("case_hash", _info.Source.CaseHash);
            w.WriteEndObject();
            w.WriteString("created_utc", _info.CreatedUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    private static void WriteJsonValue(Utf8JsonWriter w, string key, object value)
    {
        switch (value)
        {
            case double d: w.WriteNumber(key, d); break;
            case float f: w.WriteNumber(key, f); break;
            case int i: w.WriteNumber(key, i); break;
            case long l: w.WriteNumber(key, l); break;
            case bool b: w.WriteBoolean(key, b); break;
            case string s: w.WriteString(key, s); break;
            case System.Collections.IEnumerable list:
                // A list parameter (e.g. a UMAT's PROPS): a JSON array of numbers (or of texts).
                w.WriteStartArray(key);
                foreach (var item in list)
                {
                    switch (item)
                    {
                        case double d: w.WriteNumberValue(d); break;
                        case float f: w.WriteNumberValue(f); break;
                        case int i: w.WriteNumberValue(i); break;
                        case long l: w.WriteNumberValue(l); break;
                        default: w.WriteStringValue(Convert.ToString(item, CultureInfo.InvariantCulture)); break;
                    }
                }

                w.WriteEndArray();
                break;
            default: w.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} values, the dataset expects {expected}", name);
        }
    }

    private static bool AllFinite(double time, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c,
        ReadOnlySpan<double> d, ReadOnlySpan<double> e) =>
        double.IsFinite(time) && AllFinite(a) && AllFinite(b) && AllFinite(c) && AllFinite(d) && AllFinite(e);

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private void WriteValues(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            WriteByte((byte)',');
            WriteDouble(v);
        }
    }

    private void Reserve(int bytes)
    {
        if (_used + bytes > _buffer.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    private void WriteByte(byte b)
    {
        Reserve(1);
        _buffer[_used++] = b;
    }

    private void WriteInt(int value)
    {
        Reserve(16);
        value.TryFormat(_buffer.AsSpan(_used), out int written, default, CultureInfo.InvariantCulture);
        _used += written;
    }

    private void WriteDouble(double value)
    {
        Reserve(40);
        // "R" gives the shortest string that parses back to the same double.
        value.TryFormat(_buffer.AsSpan(_used), out int written, "R", CultureInfo.InvariantCulture);
        _used += written;
    }

    private void WriteAscii(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Reserve(bytes.Length);
        if (bytes.Length > _buffer.Length)
        {
            _stream.Write(bytes);
            return;
        }

        bytes.CopyTo(_buffer, _used);
        _used += bytes.Length;
    }
}
