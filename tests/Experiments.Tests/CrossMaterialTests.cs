using System.IO.Compression;
using FemHost.Experiments.CrossMaterial;
using FemHost.Experiments.Transfer;
using FemHost.MaterialData;
using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>The cross-material study's own logic (paper §4.2): the lab commands, the sweep file, the curves it plots, the verdicts on Fig. 13.</summary>
public sealed class CrossMaterialTests
{
    /// <summary>Truth: the paper's families are p (Material 1) or σ3 (Material 2) = 1, 2, 4 MPa × b = 0, 0.25, 0.5, 0.75, 1, i.e. 15 paths per packing; full mode has the paper's 60 paths of 10 000 spheres.</summary>
    [Fact]
    public void SizesHoldThePapersFamilies()
    {
        var full = CrossMaterialSizes.Of(ExperimentMode.Full);
        Assert.Equal(60, full.PathsPerMaterial);
        Assert.Equal(10000, full.Spheres);
        Assert.Contains(20, full.Budgets);
        Assert.Equal(20, full.PlottedBudget);
        var quick = CrossMaterialSizes.Of(ExperimentMode.Quick);
        Assert.Equal(30, quick.PathsPerMaterial);
        foreach (var s in new[] { quick, full })
        {
            // Every budget must fit the 60 % training share of the target's paths.
            Assert.True(s.Budgets.Max() <= (int)(0.6 * s.PathsPerMaterial), $"budget {s.Budgets.Max()} > 60 % of {s.PathsPerMaterial}");
            Assert.Contains(s.PlottedBudget, s.Budgets);
        }
    }

    /// <summary>Truth: both materials run the same strain and rows (a GRU window must mean the same strain history in source and target).</summary>
    [Fact]
    public void BothLabCommandsShareStrainAndRowsAndDifferOnlyInMaterialAndFolder()
    {
        var sizes = CrossMaterialSizes.Of(ExperimentMode.Quick);
        var m1 = CrossMaterialExperiment.LabArguments(1, sizes, "a");
        var m2 = CrossMaterialExperiment.LabArguments(2, sizes, "b");
        string Value(List<string> args, string flag) => args[args.IndexOf(flag) + 1];
        Assert.Equal(["lab", "triaxial3d"], m1.Take(2));
        Assert.Equal("1", Value(m1, "--material"));
        Assert.Equal("2", Value(m2, "--material"));
        Assert.Equal("1,2,4", Value(m1, "--pressures"));
        Assert.Equal("0,0.25,0.5,0.75,1", Value(m2, "--b-values"));
        Assert.Equal("1,2", Value(m2, "--seeds"));
        foreach (var flag in new[] { "--spheres", "--pressures", "--b-values", "--seeds", "--strain", "--records" })
        {
            Assert.Equal(Value(m1, flag), Value(m2, flag));
        }
    }

    /// <summary>Truth: the sweep trains the paper's three schemes with Material 1 as source and Material 2 as target, four outputs (84 output-layer parameters = 4 × 20 + 4).</summary>
    [Fact]
    public void SweepFileNamesTheThreeSchemesSourceAndTarget()
    {
        var json = CrossMaterialExperiment.SweepConfig("m1.csv", "m2.csv", CrossMaterialSizes.Of(ExperimentMode.Quick));
        Assert.Equal(["scratch", "fine-tune", "active"], json["schemes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("m1.csv", json["job"]!["source"]!.GetValue<string>());
        Assert.Equal("m2.csv", json["job"]!["target"]!.GetValue<string>());
        Assert.Equal(4, json["job"]!["outputs"]!.AsArray().Count);
        Assert.Equal([2, 5, 10], json["budgets"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    /// <summary>Truth: a table where both transfer schemes beat no transfer and active beats transfer at every N holds both findings; otherwise the verdict names where.</summary>
    [Fact]
    public void VerdictsOnFigure13()
    {
        static SweepPoint P(string s, int n, double m) => new(s, n, 1, m, 0, m, m);
        var holds = new[] { P("scratch", 2, 10), P("fine-tune", 2, 5), P("active", 2, 4), P("scratch", 5, 8), P("fine-tune", 5, 3), P("active", 5, 2) };
        Assert.Equal(
            ["Both transfer schemes beat no transfer: **holds** at every N.", "Transfer + active learning beats transfer alone: **holds** at every N."],
            CrossMaterialExperiment.Verdicts(holds));
        var partly = new[] { P("scratch", 2, 10), P("fine-tune", 2, 5), P("active", 2, 6), P("scratch", 5, 1), P("fine-tune", 5, 3), P("active", 5, 2) };
        var v = CrossMaterialExperiment.Verdicts(partly);
        Assert.Equal("Both transfer schemes beat no transfer: **holds partly**, at N = 2 of 2, 5.", v[0]);
        Assert.Equal("Transfer + active learning beats transfer alone: **holds partly**, at N = 5 of 2, 5.", v[1]);
    }

    /// <summary>Truth: the curves read ε1, σ1, ε_v per row and the held stress and b of the path's first row; a dataset without the lab's columns is a clear error.</summary>
    [Fact]
    public void CurvesReadTheLabsGeotechnicalColumns()
    {
        var source = new DatasetSource("test", "DemRve", new Dictionary<string, object>());
        string[] extras = ["held_kPa", "b_target", "e1", "s1_kPa", "ev"];
        var info = new DatasetInfo { Hypothesis = DatasetHypothesis.Tridimensional, ExtraColumns = extras, Source = source };
        double[] zero6 = [0, 0, 0, 0, 0, 0];
        var rows = new List<PathRow>
        {
            new(0, 0, zero6, zero6, zero6, null, [2000, 0.5, 0, 2000, 0]),
            new(1, 0.01, zero6, zero6, zero6, null, [2000, 0.5, 0.01, 3500, 0.002]),
        };
        var curve = TrueTriaxialCurve.FromDataset(new PathDataset(info, [new DatasetPath(3, rows)]))[3];
        Assert.Equal((2000.0, 0.5), (curve.HeldStress, curve.B));
        Assert.Equal([0, 0.01], curve.AxialStrain);
        Assert.Equal([2000, 3500], curve.MajorStress);
        Assert.Equal([0, 0.002], curve.VolumetricStrain);
        var bad = new PathDataset(info with { ExtraColumns = ["coordination"] }, []);
        var e = Assert.Throws<ExperimentException>(() => TrueTriaxialCurve.FromDataset(bad));
        Assert.Contains("x_held_kPa", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Truth: a lab dataset made elsewhere is accepted only when its sidecar states the mode's family (material,
    /// spheres, held stresses, b values, packings, final strain) and it holds that family's path count; it arrives
    /// compressed or not, bitwise the same, with its sidecar.
    /// </summary>
    [Fact]
    public void ALabDatasetMadeElsewhereMustBeTheModesFamily()
    {
        var sizes = CrossMaterialSizes.Of(ExperimentMode.Quick);
        string dir = Directory.CreateTempSubdirectory("femhost-dem3d-import-").FullName;
        try
        {
            string Write(string name, int material, int spheres, int paths)
            {
                var parameters = new Dictionary<string, object>
                {
                    ["material"] = $"Material{material}",
                    ["spheres"] = (long)spheres,
                    ["held_stresses_MPa"] = "1,2,4",
                    ["b_values"] = "0,0.25,0.5,0.75,1",
                    ["seeds"] = "1,2",
                    ["final_axial_strain"] = 0.1,
                };
                var info = new DatasetInfo { Hypothesis = DatasetHypothesis.Tridimensional, Source = new DatasetSource("test", "DemRve.Dem3D", parameters) };
                string csv = Path.Combine(dir, name);
                var writer = new PathDatasetWriter(csv, info);
                double[] v = [0, 0, 0, 0, 0, 0];
                for (int k = 0; k < paths; k++)
                {
                    writer.WriteRow(k, 0, 0, v, v, v, [], []);
                }

                writer.Complete();
                return csv;
            }

            string good = Write("good.csv", 2, 1000, 30);
            using (var gz = new GZipStream(File.Create(good + ".gz"), CompressionLevel.Optimal))
            {
                using var raw = File.OpenRead(good);
                raw.CopyTo(gz);
            }

            string imported = Path.Combine(dir, "run", "material2", "triaxial3d-material2.csv");
            CrossMaterialExperiment.ImportDataset(good + ".gz", imported, "FEMHOST_DEM3D_M2");
            Assert.Equal(File.ReadAllBytes(good), File.ReadAllBytes(imported));
            var dataset = PathDatasetReader.Read(imported);
            Assert.Null(CrossMaterialExperiment.LabMismatch(dataset, 2, sizes));
            Assert.Contains("material is 'Material2' instead of 'Material1'", CrossMaterialExperiment.LabMismatch(dataset, 1, sizes), StringComparison.Ordinal);
            Assert.Contains("spheres is '1000' instead of '10000'",
                CrossMaterialExperiment.LabMismatch(dataset, 2, CrossMaterialSizes.Of(ExperimentMode.Full)), StringComparison.Ordinal);
            var fewer = PathDatasetReader.Read(Write("fewer.csv", 2, 1000, 29));
            Assert.Contains("29 paths instead of 30", CrossMaterialExperiment.LabMismatch(fewer, 2, sizes), StringComparison.Ordinal);

            var e = Assert.Throws<ExperimentException>(() => CrossMaterialExperiment.ImportDataset(Path.Combine(dir, "none.csv.gz"), imported, "FEMHOST_DEM3D_M2"));
            Assert.Contains("FEMHOST_DEM3D_M2", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
