using FemHost.MaterialData;
using Xunit;

namespace FemHost.Materials.DemRve.Bench.Tests;

/// <summary>The 3D virtual laboratory command (demrve-bench lab triaxial3d).</summary>
public sealed class TrueTriaxialLabTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"triaxial3d-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    /// <summary>
    /// Truth: the servo holds the prescribed path, so every recorded state of the dataset has p (Material 1) within
    /// 1 % of the requested 1 MPa and, once q ≥ 0.3 p (where b is defined to that accuracy), b within 0.02 of the
    /// requested value; the dataset reads back with the reader of the trainer (Tridimensional, one path per b),
    /// its Voigt stress is the tension-positive counterpart of the compression-positive principal extras
    /// (σ11 = −s1 in kPa), p = (s1 + s2 + s3)/3, and the path is really loaded (axial strain reaches the target).
    /// </summary>
    [Fact]
    public void CommandWritesADatasetWhosePathsHoldTheRequestedPAndB()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrueTriaxialLab.Run(
            ["lab", "triaxial3d", "--material", "1", "--spheres", "150", "--pressures", "1", "--b-values", "0,0.5", "--strain", "0.015", "--records", "40", "--out", _folder],
            output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("path 2/2", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "triaxial3d-material1.png")));

        var data = PathDatasetReader.Read(Path.Combine(_folder, "triaxial3d-material1.csv"));
        Assert.Equal(DatasetHypothesis.Tridimensional, data.Info.Hypothesis);
        Assert.Equal(2, data.Paths.Count);
        var columns = data.Info.ExtraColumns.ToList();
        int held = columns.IndexOf("held_kPa"), target = columns.IndexOf("b_target"), s1 = columns.IndexOf("s1_kPa"), s2 = columns.IndexOf("s2_kPa"),
            s3 = columns.IndexOf("s3_kPa"), p = columns.IndexOf("p_kPa"), q = columns.IndexOf("q_kPa"), b = columns.IndexOf("b");
        double[] expectedB = [0, 0.5];
        for (int k = 0; k < 2; k++)
        {
            var rows = data.Paths[k].Rows;
            Assert.True(rows[^1].Time >= 0.015, $"path {k} ended at axial strain {rows[^1].Time}");
            Assert.True(rows.Max(r => r.Extras[q]) > 500, $"path {k}: q reached only {rows.Max(r => r.Extras[q])} kPa");
            foreach (var r in rows)
            {
                Assert.Equal(1000, r.Extras[held]);
                Assert.Equal(expectedB[k], r.Extras[target]);
                Assert.Equal(-r.Stress[0], r.Extras[s1], 1e-9);
                Assert.Equal((r.Extras[s1] + r.Extras[s2] + r.Extras[s3]) / 3, r.Extras[p], 1e-9);
                Assert.InRange(r.Extras[p], 990, 1010);
                if (r.Extras[q] >= 300)
                {
                    Assert.InRange(r.Extras[b], expectedB[k] - 0.02, expectedB[k] + 0.02);
                }
            }
        }
    }

    /// <summary>Truth: bad input is refused before any work with exit code 2, one clear line naming the problem, the usage, and no files written.</summary>
    [Theory]
    [InlineData("--material 3", "--material must be 1")]
    [InlineData("--b-values 0,1.5", "--b-values must lie in [0, 1]")]
    [InlineData("--pressures 1,-2", "--pressures are the held stresses in MPa")]
    [InlineData("--quick --full", "at most one of --quick, --full")]
    [InlineData("--spheres abc", "--spheres 'abc' is not an integer")]
    [InlineData("--colour red", "unknown option '--colour'")]
    [InlineData("--strain", "option --strain needs a value")]
    [InlineData("--material 2 --spheres 30", "cannot make a packing of Material2")]
    public void BadArgumentsExitWithCodeTwoAndAClearMessage(string options, string message)
    {
        var error = new StringWriter();
        string[] args = ["lab", "triaxial3d", .. options.Split(' '), "--out", _folder];
        int code = TrueTriaxialLab.Run(args, new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: demrve-bench lab triaxial3d", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder));
    }
}
