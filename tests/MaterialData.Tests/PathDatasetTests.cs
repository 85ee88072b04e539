using FemHost.MaterialData;
using Xunit;

namespace FemHost.MaterialData.Tests;

/// <summary>Round trip and bad-file behaviour of the "femhost-path-dataset" v1 format.</summary>
public sealed class PathDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pathdataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DatasetInfo Info(DatasetHypothesis h, bool tangent, params string[] extras) => new()
    {
        Hypothesis = h,
        HasTangent = tangent,
        ExtraColumns = extras,
        Source = new DatasetSource("unit test", "DhModel", new Dictionary<string, object> { ["K0"] = 6.7207, ["steps"] = 2500L, ["mode"] = "stress", ["props"] = new List<object> { 1000L, 0.3, 2.4 } }, Seed: 42, CaseHash: "abc"),
        CreatedUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
    };

    /// <summary>Deterministic awkward values: tiny, huge, negative, non-terminating binary fractions.</summary>
    private static double[] Values(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300) / 10.0)).ToArray();
    }

    private static PathDataset Sample(DatasetHypothesis h, bool tangent)
    {
        var info = Info(h, tangent, "coordination", "p");
        int n = info.VoigtSize, nt = DatasetLayout.TangentSize(h);
        var paths = new List<DatasetPath>();
        for (int id = 0; id < 3; id++)
        {
            var rows = Enumerable.Range(0, 4).Select(s => new PathRow(s, s * 0.1, Values(n, 10 * id + s), Values(n, 100 + s), Values(n, 200 + s),
                tangent ? Values(nt, 300 + s) : null, Values(2, 400 + s))).ToList();
            paths.Add(new DatasetPath(id * 7, rows));
        }

        return new PathDataset(info, paths);
    }

    /// <summary>Truth: round-trip ("R") formatting restores every double bit for bit, and metadata survives.</summary>
    [Theory]
    [InlineData(DatasetHypothesis.PlaneStrain, false)]
    [InlineData(DatasetHypothesis.PlaneStrain, true)]
    [InlineData(DatasetHypothesis.Tridimensional, true)]
    public void RoundTripIsExact(DatasetHypothesis h, bool tangent)
    {
        var original = Sample(h, tangent);
        string file = Path.Combine(_dir, "a.csv");
        original.Write(file);
        Assert.False(File.Exists(file + ".tmp"));
        var read = PathDatasetReader.Read(file);

        Assert.Equal(original.Info.Hypothesis, read.Info.Hypothesis);
        Assert.Equal(tangent, read.Info.HasTangent);
        Assert.Equal(["coordination", "p"], read.Info.ExtraColumns);
        Assert.Equal(original.Info.Columns, read.Info.Columns);
        Assert.Equal("DhModel", read.Info.Source.Material);
        Assert.Equal(6.7207, read.Info.Source.Parameters["K0"]);
        Assert.Equal(2500L, read.Info.Source.Parameters["steps"]);
        Assert.Equal("stress", read.Info.Source.Parameters["mode"]);
        Assert.Equal(new[] { 1000.0, 0.3, 2.4 }, read.Info.Source.Parameters["props"]); // a list parameter (UMAT props) reads back as double[]
        Assert.Equal(42L, read.Info.Source.Seed);
        Assert.Equal("abc", read.Info.Source.CaseHash);
        Assert.Equal(original.Info.CreatedUtc, read.Info.CreatedUtc);
        Assert.Equal(original.Paths.Select(p => p.Id), read.Paths.Select(p => p.Id));
        for (int p = 0; p < original.Paths.Count; p++)
        {
            for (int r = 0; r < original.Paths[p].Rows.Count; r++)
            {
                var a = original.Paths[p].Rows[r];
                var b = read.Paths[p].Rows[r];
                Assert.Equal(a.Step, b.Step);
                Assert.Equal(a.Time, b.Time);
                Assert.Equal(a.Strain, b.Strain);
                Assert.Equal(a.Phi, b.Phi);
                Assert.Equal(a.Stress, b.Stress);
                Assert.Equal(a.Tangent, b.Tangent);
                Assert.Equal(a.Extras, b.Extras);
            }
        }
    }

    /// <summary>Truth: the header follows the documented order (path, step, time, eps, phi, sig, D upper triangle, x_).</summary>
    [Fact]
    public void HeaderFollowsTheSpecification()
    {
        var cols = DatasetLayout.Columns(DatasetHypothesis.PlaneStrain, true, ["z"]);
        Assert.Equal(["path", "step", "time", "eps_11", "eps_22", "eps_33", "eps_12", "phi_11", "phi_22", "phi_33", "phi_12",
            "sig_11", "sig_22", "sig_33", "sig_12", "D_11_11", "D_11_22", "D_11_33", "D_11_12", "D_22_22", "D_22_33", "D_22_12",
            "D_33_33", "D_33_12", "D_12_12", "x_z"], cols);
        Assert.Equal(3 + 18 + 21, DatasetLayout.Columns(DatasetHypothesis.Tridimensional, true, []).Count);
    }

    /// <summary>Truth: rows of interleaved paths (a FEM log writes all Gauss points per step) are regrouped by id.</summary>
    [Fact]
    public void InterleavedPathsAreGrouped()
    {
        var info = Info(DatasetHypothesis.PlaneStrain, false);
        string file = Path.Combine(_dir, "log.csv");
        double[] v = [1, 2, 3, 4];
        using (var w = new PathDatasetWriter(file, info))
        {
            for (int step = 0; step < 3; step++)
            {
                for (int gp = 0; gp < 5; gp++)
                {
                    w.WriteRow(gp, step, step, v, v, v, [], []);
                }
            }
        }

        var d = PathDatasetReader.Read(file);
        Assert.Equal(5, d.Paths.Count);
        Assert.All(d.Paths, p => Assert.Equal([0, 1, 2], p.Rows.Select(r => r.Step)));
    }

    /// <summary>Truth: the packed upper triangle maps D_ij (i ≤ j) and unpacks to the symmetric matrix.</summary>
    [Fact]
    public void TangentPackingIsUpperTriangleRowMajor()
    {
        double[] full = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var packed = new double[6];
        DatasetLayout.PackUpperTriangle(full, 3, packed);
        Assert.Equal([1, 2, 3, 5, 6, 9], packed);
        var sym = new double[9];
        DatasetLayout.UnpackSymmetric(packed, 3, sym);
        Assert.Equal([1, 2, 3, 2, 5, 6, 3, 6, 9], sym);
    }

    /// <summary>Truth: an aborted writer leaves no dataset behind; a completed one leaves no temporary file.</summary>
    [Fact]
    public void AbortLeavesNothing()
    {
        string file = Path.Combine(_dir, "x.csv");
        var w = new PathDatasetWriter(file, Info(DatasetHypothesis.PlaneStrain, false));
        w.WriteRow(0, 0, 0, [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [], []);
        Assert.True(File.Exists(file + ".tmp"));
        w.Abort();
        w.Dispose();
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".tmp"));
    }

    /// <summary>Truth: the writer refuses wrong sizes, decreasing steps and non-finite values.</summary>
    [Fact]
    public void WriterRejectsInconsistentRows()
    {
        string file = Path.Combine(_dir, "w.csv");
        using var w = new PathDatasetWriter(file, Info(DatasetHypothesis.PlaneStrain, false));
        double[] v = [0, 0, 0, 0];
        Assert.Throws<ArgumentException>(() => w.WriteRow(0, 0, 0, [0, 0, 0], v, v, [], []));
        Assert.Throws<ArgumentException>(() => w.WriteRow(0, 0, 0, v, v, v, [1], []));
        w.WriteRow(0, 1, 0, v, v, v, [], []);
        Assert.Throws<ArgumentException>(() => w.WriteRow(0, 1, 0, v, v, v, [], []));
        Assert.Throws<ArgumentException>(() => w.WriteRow(1, 0, double.NaN, v, v, v, [], []));
        w.Abort();
    }

    private string WriteSmall()
    {
        string file = Path.Combine(_dir, "s.csv");
        Sample(DatasetHypothesis.PlaneStrain, false).Write(file);
        return file;
    }

    private static void Edit(string file, Func<string[], string[]> change) => File.WriteAllLines(file, change(File.ReadAllLines(file)));

    /// <summary>Truth: a bad number is reported with file:line and the column name.</summary>
    [Fact]
    public void BadNumberNamesLineAndColumn()
    {
        string file = WriteSmall();
        Edit(file, lines =>
        {
            var cells = lines[3].Split(',');
            cells[12] = "1,5".Replace(',', ';');
            lines[3] = string.Join(',', cells);
            return lines;
        });
        var e = Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file));
        Assert.Contains("s.csv:4", e.Message);
        Assert.Contains("'sig_22'", e.Message);
    }

    /// <summary>Truth: a short row, a wrong header and a missing sidecar are each reported clearly.</summary>
    [Fact]
    public void StructuralErrorsAreReported()
    {
        string file = WriteSmall();
        Edit(file, lines => { lines[2] = lines[2][..lines[2].LastIndexOf(',')]; return lines; });
        var e1 = Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file));
        Assert.Contains("s.csv:3", e1.Message);
        Assert.Contains("expected 17", e1.Message);

        file = WriteSmall();
        Edit(file, lines => { lines[0] = lines[0].Replace("phi_11", "phi_xx"); return lines; });
        var e2 = Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file));
        Assert.Contains("s.csv:1", e2.Message);
        Assert.Contains("phi_xx", e2.Message);

        file = WriteSmall();
        File.Delete(file + ".json");
        var e3 = Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file));
        Assert.Contains("sidecar not found", e3.Message);
    }

    /// <summary>Truth: a sidecar of another format/version or inconsistent path count is refused.</summary>
    [Fact]
    public void BadSidecarIsReported()
    {
        string file = WriteSmall();
        string json = File.ReadAllText(file + ".json");
        File.WriteAllText(file + ".json", json.Replace("\"version\": 1", "\"version\": 2"));
        Assert.Contains("\"version\" is 2", Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file)).Message);

        File.WriteAllText(file + ".json", json.Replace("\"paths\": 3", "\"paths\": 4"));
        Assert.Contains("distinct path ids", Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file)).Message);

        File.WriteAllText(file + ".json", json[..^5]);
        Assert.Contains("not valid JSON", Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file)).Message);
    }

    /// <summary>Truth: steps of a path must increase in the file.</summary>
    [Fact]
    public void DecreasingStepIsReported()
    {
        string file = WriteSmall();
        Edit(file, lines => { (lines[1], lines[2]) = (lines[2], lines[1]); return lines; });
        var e = Assert.Throws<PathDatasetFormatException>(() => PathDatasetReader.Read(file));
        Assert.Contains("s.csv:3", e.Message);
        Assert.Contains("'step'", e.Message);
    }
}
