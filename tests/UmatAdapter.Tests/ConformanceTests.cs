using FemHost.MaterialSdk.Testing;
using Xunit.Abstractions;

namespace FemHost.UmatAdapter.Tests;

/// <summary>
/// The conformance kit of MaterialSdk.Testing (tangent against central finite differences, zero increment,
/// repeatability, bad input, bad parameters, concurrency when declared thread-safe) on the shipped UMATs,
/// in code and through `femhost check-material`.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.0, "no")]
    [InlineData(500.0, "yes")]
    public void The_von_Mises_umat_passes_the_kit_in_the_plastic_range(double hardening, string threadSafe)
    {
        // σ_y = 2 kPa is crossed in the first committed increments, so the finite differences see the plastic tangent.
        var report = MaterialConformance.Run(Umat.Plugin, new ConformanceOptions
        {
            Parameters = Umat.Raw(Paths.Example("umat_vonmises.f90"), [2e5, 0.3, 2.0, hardening], 1, ("thread_safe", threadSafe), ("isotropic", "yes")),
            Samples = 12,
        });
        output.WriteLine(report.ToTable());
        report.AssertPassed();
        var tangent = report.Results.Where(r => r.Check == "tangent (Consistent)").ToList();
        Assert.Equal(2, tangent.Count);                                   // plane strain and 3D
        Assert.All(tangent, r => Assert.Equal(Verdict.Pass, r.Verdict));
        var concurrency = report.Results.Where(r => r.Check == "concurrent = serial").Select(r => r.Verdict).Distinct().Single();
        Assert.Equal(threadSafe == "yes" ? Verdict.Pass : Verdict.Skipped, concurrency);

        // Isotropy (a rotated strain increment gives the rotated stress) holds only if the shear components cross the
        // adapter with the right factors: engineering γ into STRAN/DSTRAN, tensor σ12 out of STRESS.
        Assert.All(report.Results.Where(r => r.Check == "isotropy"), r => Assert.Equal(Verdict.Pass, r.Verdict));
    }

    [Theory]
    [InlineData("umat_elastic.f90")]
    [InlineData("umat_elastic_abaqus.for")]
    public void The_elastic_umats_pass_the_kit(string file)
    {
        var path = file.EndsWith(".for", StringComparison.Ordinal) ? Paths.Asset(file) : Paths.Example(file);
        var report = MaterialConformance.Run(Umat.Plugin, new ConformanceOptions { Parameters = Umat.Raw(path, [3e4, 0.25], 0, ("isotropic", "yes")) });
        output.WriteLine(report.ToTable());
        report.AssertPassed();
    }

    /// <summary>
    /// Truth: umat_faults.f90 with fault 0 is exact elasticity. With DDSDDE halved after the stress update the tangent
    /// check must fail; with the shear stiffness doubled (a UMAT reading DSTRAN(4) as tensor shear ε12 instead of γ12)
    /// the response is no longer isotropic and the isotropy check must fail, though the tangent matches that stress.
    /// </summary>
    [Theory]
    [InlineData("  end select\n", "  end select\n  ddsdde = 0.5d0 * ddsdde\n", "tangent (Consistent)")]
    [InlineData("    ddsdde(i, i) = g\n", "    ddsdde(i, i) = 2.0d0 * g\n", "isotropy")]
    public void The_kit_catches_a_umat_with_a_wrong_tangent_or_wrong_shear_convention(string from, string to, string check)
    {
        var source = File.ReadAllText(Paths.Asset("umat_faults.f90"));
        Assert.Contains(from, source, StringComparison.Ordinal);
        var file = Paths.TempFile($"umat_wrong_{check.Split(' ')[0]}.f90", source.Replace(from, to, StringComparison.Ordinal));
        var report = MaterialConformance.Run(Umat.Plugin, new ConformanceOptions { Parameters = Umat.Raw(file, [3e4, 0.25, 0, 0, 0], 1, ("isotropic", "yes")) });
        Assert.False(report.Passed);
        Assert.Equal([check], report.Failures.Select(r => r.Check).Distinct());
    }

    [Theory]
    [InlineData("umat_vonmises.f90", "[2.0e5, 0.3, 2.0, 100.0]", 1)]
    [InlineData("umat_elastic.f90", "[3.0e4, 0.25]", 0)]
    public void Femhost_check_material_passes_on_the_shipped_umats(string file, string props, int nstatv)
    {
        // The parameter file names the source relative to itself, as a case does.
        var folder = Paths.TempFolder();
        File.Copy(Paths.Example(file), Path.Combine(folder, file));
        var yaml = Path.Combine(folder, "umat.yaml");
        File.WriteAllText(yaml, $"model: Umat\nparameters:\n  file: {file}\n  props: {props}\n  nstatv: {nstatv}\n  isotropic: yes\n");
        var (code, stdout, stderr) = Femhost.InProcess("check-material", "Umat", "--params", yaml, "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("conformance of material 'Umat': PASSED", stdout, StringComparison.Ordinal);
        Assert.Contains("bad parameters refused", stdout, StringComparison.Ordinal);
        Assert.Matches(@"isotropy +PlaneStrain +PASS", stdout);
    }
}
