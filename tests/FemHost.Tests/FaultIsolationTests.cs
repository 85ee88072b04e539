using System.Globalization;
using System.Xml.Linq;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Plug-in fault isolation (issue 7, item 2), driven through `femhost run` in-process with the deliberately
/// faulty test plug-in (tests/assets/FaultyMaterial: linear elastic until an injected fault strikes). The
/// case is the plane-strain compression of an elastic block (0.5 × 1, 1 × 2 Q8, 3 × 3 Gauss points) whose
/// closed form is σ22 = E/(1 − ν²) ε22, so the top force at λ = 1 is −E/(1 − ν²) · 0.001 · 0.5.
/// The fault strikes at point 10 = element 1, Gauss point 1, in increments ending after λ = 0.5 (step 3 of 4).
/// </summary>
public sealed class FaultIsolationTests
{
    private const double E = 20000, Nu = 0.3;

    private static readonly string FaultyFolder = RepoPaths.TestPlugins("faulty");

    /// <summary>Every fault the plug-in injects and a fragment of the reason the host must give for it.</summary>
    public static TheoryData<string, string> Faults => new()
    {
        { "throw", "the plug-in threw InvalidOperationException: injected exception at point 10" },
        { "nan_stress", "non-finite stress: component 1 of 4 is NaN" },
        { "inf_tangent", "non-finite tangent: D[2,2] is Infinity" },
        { "wrong_size_tangent", "wrote only 9 of the 4×4 tangent entries (wrong-sized tangent)" },
        { "failed_point", "failed: injected failed point" },
        { "smaller_step", "asks for a smaller step: injected request for a smaller step" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_transient_fault_is_cut_back_and_the_run_completes_with_the_fault_free_results(string fault, string reason)
    {
        // Truth: the fault strikes once; the rejected increment is retried smaller, and since the material is
        // linear the converged results are those of the fault-free run and of the closed form.
        var reference = RunCase("none", strikes: 0);
        Assert.True(reference.Code == 0, reference.Err);
        var run = RunCase(fault, strikes: 1);
        Assert.True(run.Code == 0, run.Err + run.Out);
        if (fault == "throw")
        {
            // A throw that does not recur when the host re-integrates the batch point by point cannot be
            // pinned on one point: the whole batch is failed (reported at its first point) and cut back.
            Assert.Contains("step 3: increment rejected (element 0, Gauss point 0 (region 'all', material model 'Faulty'): failed: " +
                "the plug-in threw InvalidOperationException for the batch (not reproduced point by point): injected exception at point 10", run.Out, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("step 3: increment rejected (element 1, Gauss point 1 (region 'all', material model 'Faulty'): ", run.Out, StringComparison.Ordinal);
            Assert.Contains(reason, run.Out, StringComparison.Ordinal);
        }
        Assert.Contains("completed: 4/4 steps", run.Out, StringComparison.Ordinal);
        Assert.Contains(" 1 cut-backs", run.Out, StringComparison.Ordinal);

        var expected = Curves(reference.Folder);
        var actual = Curves(run.Folder);
        Assert.Equal(4, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            for (int c = 0; c < expected[r].Length; c++)
            {
                Assert.Equal(expected[r][c], actual[r][c], 1e-9 * (1 + Math.Abs(expected[r][c])));
            }
        }

        double force = actual[^1][Column(run.Folder, "top_force")];
        Assert.Equal(-E / (1 - Nu * Nu) * 0.001 * 0.5, force, 1e-8);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_persistent_fault_stops_the_run_cleanly_naming_step_point_plugin_and_reason_and_keeps_the_results(string fault, string reason)
    {
        // Truth: a fault that strikes in every call from step 3 on can never be cut back away; the run must
        // stop with exit code 3 after max_cutbacks, report where and why, and leave steps 1–2 intact on disk.
        var run = RunCase(fault, strikes: 0);
        Assert.Equal(3, run.Code);
        Assert.DoesNotContain("   at ", run.Out + run.Err, StringComparison.Ordinal); // contained: no stack trace
        Assert.Contains("STOPPED: 2/4 steps, λ = 0.5", run.Out, StringComparison.Ordinal);
        Assert.Contains("reason: step 3: increment λ = 0.5 → ", run.Out, StringComparison.Ordinal);
        Assert.Contains("failed after 2 cut-backs: element 1, Gauss point 1 (region 'all', material model 'Faulty'): ", run.Out, StringComparison.Ordinal);
        Assert.Contains(reason, run.Out[run.Out.IndexOf("reason: ", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // The converged steps are written and readable: curves.csv has steps 1–2 (σ22 linear in λ), the .pvd
        // is valid XML whose every data set exists and parses, and no temporary file is left behind.
        var rows = Curves(run.Folder);
        Assert.Equal(2, rows.Count);
        Assert.Equal(-E / (1 - Nu * Nu) * 0.001 * 0.5 * 0.5, rows[^1][Column(run.Folder, "top_force")], 1e-8);
        var pvd = Assert.Single(Directory.GetFiles(run.Folder, "*.pvd"));
        var sets = XDocument.Load(pvd).Descendants("DataSet").Select(d => (string?)d.Attribute("file")).ToList();
        Assert.Equal(2, sets.Count);
        foreach (var file in sets)
        {
            Assert.NotNull(file);
            Assert.Equal("VTKFile", XDocument.Load(Path.Combine(run.Folder, file)).Root?.Name.LocalName);
        }

        Assert.Empty(Directory.GetFiles(run.Folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("", 17)]
    [InlineData("1.0e-3", 10)]
    public void A_cut_back_below_the_minimum_increment_stops_the_run(string minIncrement, int expectedCutbacks)
    {
        // Truth: 4 nominal steps of 0.25; from λ = 0.5 the struck point refuses every increment and asks for half of
        // it, with 50 cut-backs allowed. Halving 0.25 goes below the minimum increment m × 0.25 after the k-th
        // cut-back with 0.5^k < m: k = 17 for the default m = 1e-5, k = 10 for m = 1e-3. The run stops there
        // (exit 3, steps 1-2 kept) instead of halving on to the cut-back limit.
        var run = RunCase("smaller_step", strikes: 0, cutbacks: 50, minIncrement: minIncrement);
        Assert.True(run.Code == 3, run.Err + run.Out);
        Assert.Contains("STOPPED: 2/4 steps", run.Out, StringComparison.Ordinal);
        Assert.Contains($" {expectedCutbacks} cut-backs", run.Out, StringComparison.Ordinal);
        Assert.Contains("would be below the minimum increment", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Out + run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_cut_back_the_increment_grows_back_to_the_nominal_step()
    {
        // Truth: 8 nominal steps of Δλ = 0.125 with growth allowed; the fault strikes once in step 5 (the first
        // increment ending after λ = 0.5) and asks for half the step. Step 5 is then made of two equal increments
        // of 0.0625, each converging at once on this linear material, so Δλ grows back (×1.5, capped at the
        // nominal step) and steps 6–8 take one increment each: 9 increments in all, and the fault-free results.
        var run = RunCase("smaller_step", strikes: 1, steps: 8, growth: true);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.Contains("step 5: increment rejected (element 1, Gauss point 1 (region 'all', material model 'Faulty'): ", run.Out, StringComparison.Ordinal);
        Assert.Contains("completed: 8/8 steps", run.Out, StringComparison.Ordinal);
        Assert.Contains(" 9 increments, ", run.Out, StringComparison.Ordinal);
        Assert.Contains(" 1 cut-backs", run.Out, StringComparison.Ordinal);
        double force = Curves(run.Folder)[^1][Column(run.Folder, "top_force")];
        Assert.Equal(-E / (1 - Nu * Nu) * 0.001 * 0.5, force, 1e-8);
    }

    [Fact]
    public void Plugins_lists_a_plugin_with_a_missing_dependency_with_path_and_reason_while_the_others_still_list()
    {
        // Truth: the Faulty plug-in builds its metadata from its private dependency FemHost.TestAssets.FaultKinds;
        // deployed without that DLL it cannot be created, which `femhost plugins` must report (path and reason),
        // not crash on, while the other plug-ins (and the working one next to a throwing constructor) still list.
        var source = Path.Combine(FaultyFolder, "FemHost.TestAssets.FaultyMaterial");
        var folder = Path.Combine(RepoPaths.TempFolder(), "FemHost.TestAssets.FaultyMaterial");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith("FaultKinds.dll", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var (code, output, err) = FemhostCli.Run("plugins", "--plugin-dir", folder, "--plugin-dir", RepoPaths.ElasticFolder,
            "--plugin-dir", RepoPaths.TestPlugins("broken"));
        Assert.True(code == 0, err);
        string all = output + err;
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.Contains("\nElastic 1.0.0", all, StringComparison.Ordinal);
        Assert.Contains("\nFrozenStress 1.0.0", all, StringComparison.Ordinal);
        Assert.DoesNotContain("\nFaulty 1.0.0", all, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "FemHost.TestAssets.FaultyMaterial.dll") + ": plug-in type FemHost.TestAssets.FaultyMaterial.FaultyMaterialPlugin " +
            "could not be created: FileNotFoundException: Could not load file or assembly 'FemHost.TestAssets.FaultKinds", all, StringComparison.Ordinal);
        Assert.Contains("FemHost.TestAssets.ThrowingPlugin.dll: plug-in type FemHost.TestAssets.ThrowingPlugin.ThrowingPlugin could not be created: " +
            "InvalidOperationException: licence file not found", all, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err, string Folder) RunCase(string fault, int strikes, int steps = 4, bool growth = false,
        int cutbacks = 2, string minIncrement = "")
    {
        var dir = RepoPaths.TempFolder();
        var path = Path.Combine(dir, "case.yaml");
        File.WriteAllText(path, $$"""
            name: faulty
            hypothesis: plane_strain
            mesh:
              rectangle: {width: 0.5, height: 1.0, nx: 1, ny: 2}
              element: q8
              gauss_order: 3
            materials:
              soil:
                model: Faulty
                tangent: consistent
                parameters: {E: {{E}}, nu: {{Nu}}, fault: {{fault}}, from_time: 0.5, strikes: {{strikes}}, point: 10}
            regions:
              all: soil
            boundary_conditions:
              - {set: bottom, uy: 0}
              - {set: bottom_left, ux: 0}
              - {set: top, uy: -0.001, history: ramp}
            steps:
              count: {{steps}}
              max_cutbacks: {{cutbacks}}{{(minIncrement.Length > 0 ? "\n  min_increment: " + minIncrement : "")}}
              allow_growth: {{(growth ? "true" : "false")}}
            solver:
              residual_tolerance: 1.0e-10
              linear: managed
            output:
              folder: out
              vtu: true
              plots: false
              curves:
                - {name: top_force, kind: reaction_y, set: top}
            """);
        var (code, output, err) = FemhostCli.Run("run", path, "--plugin-dir", FaultyFolder);
        return (code, output, err, Path.Combine(dir, "out"));
    }

    private static List<double[]> Curves(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "curves.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();

    private static int Column(string folder, string name) =>
        Array.IndexOf(File.ReadLines(Path.Combine(folder, "curves.csv")).First().Split(','), name);
}
