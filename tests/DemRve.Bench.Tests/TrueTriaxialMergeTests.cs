using System.Globalization;
using System.IO.Compression;
using FemHost.MaterialData;
using Xunit;

namespace FemHost.Materials.DemRve.Bench.Tests;

/// <summary>The merge of true triaxial lab runs made seed by seed (demrve-bench lab triaxial3d-merge).</summary>
public sealed class TrueTriaxialMergeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"triaxial3d-merge-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    private string Lab(string seeds, string bValues, string name)
    {
        string folder = Path.Combine(_folder, name);
        var error = new StringWriter();
        int code = TrueTriaxialLab.Run(
            ["lab", "triaxial3d", "--material", "1", "--spheres", "60", "--pressures", "1", "--b-values", bValues, "--seeds", seeds,
                "--strain", "0.002", "--records", "10", "--out", folder],
            new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        return Path.Combine(folder, "triaxial3d-material1.csv");
    }

    private static string Gzip(string csv)
    {
        using (var input = File.OpenRead(csv))
        using (var output = new GZipStream(File.Create(csv + ".gz"), CompressionLevel.Fastest))
        {
            input.CopyTo(output);
        }

        File.Delete(csv);
        return csv + ".gz";
    }

    private static string Parameter(PathDataset data, string key) => Convert.ToString(data.Info.Source.Parameters[key], CultureInfo.InvariantCulture)!;

    /// <summary>
    /// Truth: every path of the lab depends only on its (seed, held stress, b), and paths are numbered seed by seed,
    /// so the runs of seed 1 and of seed 2 (one of them gzip-compressed), merged, are row for row — every strain,
    /// φ, stress and extra bit for bit — the run of `--seeds 1,2`, with the same path ids and the same sidecar
    /// parameters ("seeds" = "1,2", no single seed).
    /// </summary>
    [Fact]
    public void PartsRunSeedBySeedMergeIntoTheRunOfAllSeeds()
    {
        string whole = Lab("1,2", "0,1", "whole");
        string first = Lab("1", "0,1", "seed1");
        string second = Gzip(Lab("2", "0,1", "seed2"));
        string merged = Path.Combine(_folder, "merged");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrueTriaxialMerge.Run(["lab", "triaxial3d-merge", "--out", merged, first, second], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.True(File.Exists(Path.Combine(merged, "triaxial3d-material1.png")));

        var expected = PathDatasetReader.Read(whole);
        var actual = PathDatasetReader.Read(Path.Combine(merged, "triaxial3d-material1.csv"));
        Assert.Equal(4, actual.Paths.Count);
        Assert.Equal(expected.Paths.Select(p => p.Id), actual.Paths.Select(p => p.Id));
        for (int k = 0; k < expected.Paths.Count; k++)
        {
            var e = expected.Paths[k].Rows;
            var a = actual.Paths[k].Rows;
            Assert.Equal(e.Count, a.Count);
            for (int r = 0; r < e.Count; r++)
            {
                Assert.Equal(e[r].Step, a[r].Step);
                Assert.Equal(e[r].Time, a[r].Time);
                Assert.Equal(e[r].Strain, a[r].Strain);
                Assert.Equal(e[r].Phi, a[r].Phi);
                Assert.Equal(e[r].Stress, a[r].Stress);
                Assert.Equal(e[r].Extras, a[r].Extras);
            }
        }

        Assert.Equal("1,2", Parameter(actual, "seeds"));
        Assert.Null(actual.Info.Source.Seed);
        Assert.Equal(expected.Info.Source.Generator, actual.Info.Source.Generator);
        foreach (var key in expected.Info.Source.Parameters.Keys)
        {
            Assert.Equal(Parameter(expected, key), Parameter(actual, key));
        }

        Assert.Contains("seeds 1,2, 4 paths", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Truth: parts that are not one family — a seed twice, or other b values — are refused with exit code 2, one clear line, and nothing written.</summary>
    [Fact]
    public void PartsOfDifferentFamiliesOrWithARepeatedSeedAreRefused()
    {
        string first = Lab("1", "0", "a");
        string again = Lab("1", "0", "b");
        string other = Lab("2", "1", "c");
        string merged = Path.Combine(_folder, "merged");
        foreach (var (parts, message) in new[]
        {
            (new[] { first, again }, "seed 1 of"),
            (new[] { first, other }, "has b_values = '1' but"),
            (new[] { first, Path.Combine(_folder, "none.csv.gz") }, "does not exist"),
            (new[] { first }, "at least two datasets"),
        })
        {
            var error = new StringWriter();
            int code = TrueTriaxialMerge.Run(["lab", "triaxial3d-merge", "--out", merged, .. parts], new StringWriter(), error);
            Assert.Equal(2, code);
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
            Assert.Contains("usage: demrve-bench lab triaxial3d-merge", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
            Assert.False(Directory.Exists(merged));
        }
    }
}
