using FemHost.Cases;
using FemHost.MaterialSdk;
using Xunit.Abstractions;

namespace FemHost.UmatAdapter.Tests;

/// <summary>
/// The verification cases of cases/verification solved with the material as a Fortran UMAT (the *-umat.yaml
/// files) against the same cases with the native plug-in. Truth: the native runs, which FemHost.Tests checks
/// against Lamé, Hill and Prandtl; the UMAT runs must give the same displacements, stresses and plastic
/// strains to round-off, with the same Newton iterations; and the analytic figure each case file quotes.
/// </summary>
public class VerificationCaseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("lame-cylinder.yaml", "lame-cylinder-umat.yaml")]
    [InlineData("hill-cylinder.yaml", "hill-cylinder-umat.yaml")]
    [InlineData("prandtl-footing.yaml", "prandtl-footing-umat.yaml")]
    public void The_umat_case_gives_the_native_plugins_result_to_round_off(string nativeCase, string umatCase)
    {
        using var native = CaseRun.Solve(Paths.Case(nativeCase));
        using var umat = CaseRun.Solve(Paths.Case(umatCase));
        Assert.True(native.Result.Completed, native.Result.StopReason);
        Assert.True(umat.Result.Completed, umat.Result.StopReason);
        Assert.Equal("Umat", umat.Region.Model.Metadata.Name);

        double du = MaxDifference(native.U, umat.U) / native.U.Max(Math.Abs);
        double ds = MaxDifference(native.Region.Stress, umat.Region.Stress) / native.Region.Stress.Max(Math.Abs);
        double dp = 0;
        if (native.Region.Model.Metadata.StateSize == 1)
        {
            // VonMises: eqps; Umat: STATEV(1) = eqps, then SSE, SPD, SCD.
            int m = umat.Region.Model.Metadata.StateSize;
            var eqps = Enumerable.Range(0, umat.Region.Count).Select(q => umat.Region.State[q * m]).ToArray();
            dp = MaxDifference(native.Region.State, eqps) / Math.Max(native.Region.State.Max(), 1e-300);
            Assert.True(native.Region.State.Max() > 0, "the case is expected to yield");
        }

        output.WriteLine($"{umatCase}: max |Δu|/max|u| = {du:E2}, max |Δσ|/max|σ| = {ds:E2}, max |Δeqps|/max eqps = {dp:E2}; " +
            $"{native.Result.Increments} increments, {native.Result.Iterations} vs {umat.Result.Iterations} Newton iterations");
        Assert.True(du < 1e-10 && ds < 1e-10 && dp < 1e-10, $"du {du:E2}, dσ {ds:E2}, deqps {dp:E2}");
        Assert.Equal(native.Result.Increments, umat.Result.Increments);
        Assert.Equal(native.Result.Iterations, umat.Result.Iterations);
        for (int k = 0; k < native.Increments.Count; k++)
        {
            var a = native.Increments[k].Result.History;
            var b = umat.Increments[k].Result.History;
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                Assert.True(Math.Abs(a[i].Residual - b[i].Residual) <= 1e-9 * Math.Max(a[i].Residual, 1e-14),
                    $"increment {k}, iteration {i}: residual {a[i].Residual:E6} vs {b[i].Residual:E6}");
            }
        }
    }

    /// <summary>The analytic figures quoted by the UMAT case files, from the UMAT runs alone.</summary>
    [Fact]
    public void The_umat_cases_meet_their_analytic_solutions()
    {
        // Lamé: the support force on the symmetry plane y = 0 is −∫σθ dr = −p a = −10 kN/m.
        using (var lame = CaseRun.Solve(Paths.Case("lame-cylinder-umat.yaml")))
        {
            double ry = Reaction(lame, "symmetry_y0");
            output.WriteLine($"Lamé: support force {ry:F5} kN/m vs −10");
            Assert.InRange(ry, -10.05, -9.95);
        }

        // Hill: u_b = 2 σy c² (1 − ν²) / (√3 E b), with the plastic front c from p = σy/√3 [2 ln(c/a) + 1 − c²/b²].
        using (var hill = CaseRun.Solve(Paths.Case("hill-cylinder-umat.yaml")))
        {
            const double a = 1, b = 2, sy = 2.4, e = 1000, nu = 0.3, p = 1.8249;
            double lo = a, hi = b;
            for (int k = 0; k < 100; k++)
            {
                double c = 0.5 * (lo + hi);
                (lo, hi) = sy / Math.Sqrt(3) * (2 * Math.Log(c / a) + 1 - c * c / (b * b)) < p ? (c, hi) : (lo, c);
            }

            double front = 0.5 * (lo + hi), ubHill = 2 * sy * front * front * (1 - nu * nu) / (Math.Sqrt(3) * e * b);
            var mesh = hill.Model.Mesh;
            int outer = Enumerable.Range(0, mesh.NodeCount).Where(i => Math.Abs(mesh.Coordinates[2 * i + 1]) < 1e-9)
                .MaxBy(i => mesh.Coordinates[2 * i]);
            double ub = hill.U[2 * outer];
            output.WriteLine($"Hill: u_b {ub:E5} vs {ubHill:E5} (plastic front c = {front:F3})");
            Assert.True(Math.Abs(ub - ubHill) / ubHill < 0.02, $"u_b {ub} vs Hill {ubHill}");
        }
    }

    /// <summary>
    /// PNEWDT &lt; 1 during a run is a cut-back: a UMAT that refuses strain increments above 4e-3 (elastic otherwise)
    /// makes the host cut the one load step of the Lamé cylinder back until it accepts them, and the converged result
    /// is the elastic one.
    /// </summary>
    [Fact]
    public void Pnewdt_below_one_cuts_the_increment_back_and_the_run_still_reaches_the_elastic_solution()
    {
        using var elastic = CaseRun.Solve(Paths.Case("lame-cylinder.yaml"));
        using var cut = CaseRun.Solve(Paths.Case("lame-cylinder-umat.yaml"), c => WithMaterial(c, Paths.Asset("umat_faults.f90"), [1000, 0.3, 10, 0.5, 4e-3], 1));
        Assert.True(cut.Result.Completed, cut.Result.StopReason);
        output.WriteLine($"{cut.Result.Cutbacks} cut-backs, {cut.Result.Increments} increments");
        Assert.True(cut.Result.Cutbacks >= 1 && cut.Result.Increments >= 2, $"{cut.Result.Cutbacks} cut-backs, {cut.Result.Increments} increments");
        Assert.True(MaxDifference(elastic.U, cut.U) / elastic.U.Max(Math.Abs) < 1e-9);
    }

    /// <summary>
    /// A UMAT that returns NaN from some load level on: the host cuts back, then stops cleanly (exit code 3) with the
    /// element, the Gauss point, the model and the UMAT's reason, and no stack trace.
    /// </summary>
    [Fact]
    public void A_umat_returning_nan_stops_the_run_cleanly_with_the_point_and_the_reason()
    {
        var folder = Paths.TempFolder();
        var text = File.ReadAllText(Paths.Case("lame-cylinder-umat.yaml"))
            .Replace("../../tests/assets/", Path.Combine(Paths.Root, "tests", "assets") + "/", StringComparison.Ordinal)
            .Replace("../../plugins/UmatAdapter/examples/umat_elastic.f90", Paths.Asset("umat_faults.f90"), StringComparison.Ordinal)
            .Replace("props: [1000, 0.3]", "props: [1000, 0.3, 11, 4.0e-3, 0]", StringComparison.Ordinal)
            .Replace("nstatv: 0", "nstatv: 1", StringComparison.Ordinal)
            .Replace("  count: 1\n", "  count: 4\n  max_cutbacks: 3\n", StringComparison.Ordinal);
        var path = Path.Combine(folder, "nan.yaml");
        File.WriteAllText(path, text);
        var (code, stdout, stderr) = Femhost.InProcess("run", path, "--quiet", "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stdout + stderr);
        Assert.Equal(3, code);
        Assert.Contains("STOPPED", stdout, StringComparison.Ordinal);
        Assert.Matches(@"reason: .*element \d+, Gauss point \d+ \(region 'ring', material model 'Umat'\): failed: umat_faults.f90: the UMAT returned a non-finite STRESS\(2\) = NaN", stdout);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// cases/points/triaxial-drained-umat.yaml through `femhost point`: the same final state as the driver with
    /// model VonMises, and the deviatoric stress at the hardened yield stress, q = σ_y + H ε̄p (truth for J2).
    /// </summary>
    [Fact]
    public void The_point_driver_case_with_the_umat_matches_the_VonMises_plugin_and_yields_at_the_hardened_stress()
    {
        var folder = Paths.TempFolder();
        var umat = Path.Combine(Paths.Root, "cases", "points", "triaxial-drained-umat.yaml");
        var (code, stdout, stderr) = Femhost.InProcess("point", umat, "--output", Path.Combine(folder, "umat.csv"), "--plugin-dir", Paths.HostPlugins);
        Assert.True(code == 0, stderr + stdout);
        var native = Path.Combine(folder, "vm.yaml");
        File.WriteAllText(native, File.ReadAllText(umat).Replace("""
              model: Umat
              parameters:
                file: ../../plugins/UmatAdapter/examples/umat_vonmises.f90
                props: [20000, 0.3, 150, 500]
                nstatv: 1
            """, "  model: VonMises\n  parameters: {E: 20000, nu: 0.3, sigma_y: 150, H: 500}\n", StringComparison.Ordinal));
        var (code2, stdout2, stderr2) = Femhost.InProcess("point", native, "--output", Path.Combine(folder, "vm.csv"), "--plugin-dir", Paths.HostPlugins);
        Assert.True(code2 == 0, stderr2 + stdout2);
        output.WriteLine(stdout + stdout2);

        string Line(string text, string start) => text.Split('\n').Single(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal)).Trim();
        Assert.Equal(Line(stdout2, "final stress:"), Line(stdout, "final stress:"));
        Assert.StartsWith(Line(stdout2, "final state:"), Line(stdout, "final state:"), StringComparison.Ordinal);   // eqps = ..., then SSE, SPD, SCD
        var stress = Line(stdout, "final stress:").Split(' ');
        double s11 = double.Parse(stress[3].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture);
        double eqps = double.Parse(Line(stdout, "final state:").Split(' ', StringSplitOptions.RemoveEmptyEntries)[4].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(150 + 500 * eqps, -100 - s11, 1e-3);
    }

    private static CaseDefinition WithMaterial(CaseDefinition c, string file, double[] props, int nstatv) => c with
    {
        Materials =
        [
            c.Materials[0] with
            {
                Parameters = new Dictionary<string, object?> { ["file"] = file, ["props"] = props.Cast<object?>().ToList(), ["nstatv"] = (long)nstatv },
            },
        ],
    };

    private static double MaxDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    private static double Reaction(CaseRun run, string set)
    {
        var r = new double[run.Model.DofCount];
        run.Newton.Reactions(r);
        return run.Model.Mesh.FindNodes(set)!.Sum(node => r[2 * node + 1]);
    }
}
