using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Plugins;
using FemHost.PointDriver;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>The MTest-like point driver against closed-form elastic responses, and with a material swapped in.</summary>
public class PointDriverTests
{
    private const double E = 20000, Nu = 0.3;
    private static readonly double K = E / (3 * (1 - 2 * Nu)), G = E / (2 * (1 + Nu));

    private static readonly Lazy<PluginCatalog> Catalog = new(() => PluginCatalog.Discover(
        [RepoPaths.ElasticFolder, RepoPaths.TestPlugins("materials"), RepoPaths.TestPlugins("broken")]));

    [Theory]
    [InlineData("plane_strain")]
    [InlineData("tridimensional")]
    public void Uniaxial_strain_gives_the_oedometric_closed_form(string hypothesis)
    {
        // Truth: with only ε11 ≠ 0, σ11 = σ0 + (K + 4G/3) ε11 and σ22 = σ33 = σ0 + (K − 2G/3) ε11.
        var shear = hypothesis == "plane_strain" ? "\"12\": 0" : "\"12\": 0, \"13\": 0, \"23\": 0";
        var lateral = hypothesis == "plane_strain" ? "\"22\": 0" : "\"22\": 0, \"33\": 0";
        var result = Run($$"""
            hypothesis: {{hypothesis}}
            material: {model: Elastic, parameters: {E: {{E}}, nu: {{Nu}} } }
            initial_stress: {isotropic: -100}
            path:
              - steps: 10
                strain: {"11": -0.01, {{lateral}}, {{shear}}}
            """);
        Assert.Equal(11, result.Rows.Count);
        foreach (var row in result.Rows)
        {
            double e11 = row.Strain[0];
            Assert.Equal(-100 + (K + 4 * G / 3) * e11, row.Stress[0], 9);
            Assert.Equal(-100 + (K - 2 * G / 3) * e11, row.Stress[1], 9);
            Assert.Equal(-100 + (K - 2 * G / 3) * e11, row.Stress[2], 9);
        }

        Assert.Equal(-0.01, result.Rows[^1].Strain[0], 15);
    }

    [Theory]
    [InlineData("{jacobian: tangent}")]
    [InlineData("{jacobian: finite_difference}")]
    [InlineData("{jacobian: finite_difference, fd_step: 1.0e-4}")]
    public void Triaxial_at_constant_lateral_stress_has_slope_E_and_lateral_strain_minus_nu(string solver)
    {
        // Truth (3D): with σ22 = σ33 held, Δσ11 = E Δε11 and Δε22 = Δε33 = −ν Δε11.
        var result = Run($$"""
            hypothesis: tridimensional
            material: {model: Elastic, parameters: {E: {{E}}, nu: {{Nu}} } }
            initial_stress: {isotropic: -100}
            path:
              - steps: 20
                strain: {"11": -0.02}
                stress: {"22": -100, "33": -100}
            solver: {{solver}}
            """);
        foreach (var row in result.Rows)
        {
            Assert.Equal(-100 + E * row.Strain[0], row.Stress[0], 6);
            Assert.Equal(-100, row.Stress[1], 7);
            Assert.Equal(-100, row.Stress[2], 7);
            Assert.Equal(-Nu * row.Strain[0], row.Strain[1], 10);
            Assert.Equal(-Nu * row.Strain[0], row.Strain[2], 10);
            Assert.Equal(0, row.Stress[3], 9); // unmentioned shear components keep their (zero) stress
        }

        Assert.Equal(-0.02, result.Rows[^1].Strain[0], 15);
    }

    [Fact]
    public void Plane_strain_biaxial_at_constant_lateral_stress_follows_the_constrained_closed_form()
    {
        // Truth (plane strain, ε33 = 0, σ11 held): Δσ33 = ν Δσ22, so Δσ22 = E/(1 − ν²) Δε22 and
        // Δε11 = −ν(1 + ν)/E Δσ22 = −ν/(1 − ν) Δε22.
        var result = Run($$"""
            hypothesis: plane_strain
            material: {model: Elastic, parameters: {E: {{E}}, nu: {{Nu}} } }
            initial_stress: {isotropic: -100}
            path:
              - steps: 10
                strain: {"22": -0.05}
                stress: {"11": -100}
            """);
        var last = result.Rows[^1];
        double ds22 = E / (1 - Nu * Nu) * -0.05;
        Assert.Equal(-100 + ds22, last.Stress[1], 6);
        Assert.Equal(-100 + Nu * ds22, last.Stress[2], 6);
        Assert.Equal(-Nu / (1 - Nu) * -0.05, last.Strain[0], 10);
        Assert.Equal(0, last.Strain[2]);
    }

    [Fact]
    public void The_same_driver_file_runs_a_swapped_material_by_editing_the_material_line()
    {
        // Truth (PorousElastic, compression positive): p = p0 exp(ε_v / κ) and q = 3G ε_q whatever the path,
        // with ε_v = −tr ε and, in triaxial, ε_q = (2/3)|ε11 − ε22|.
        var driver = File.ReadAllText(Path.Combine(RepoPaths.Root, "cases", "points", "triaxial-drained.yaml"));
        const string elasticLine = "material: {model: Elastic, parameters: {E: 20000, nu: 0.3}}";
        Assert.Contains(elasticLine, driver, StringComparison.Ordinal);
        var elastic = Run(driver);
        var porous = Run(driver.Replace(elasticLine, "material: {model: PorousElastic, parameters: {kappa: 0.01, G: 8000}}", StringComparison.Ordinal));

        Assert.Equal(elastic.Rows.Count, porous.Rows.Count);
        foreach (var row in porous.Rows)
        {
            double p = -(row.Stress[0] + row.Stress[1] + row.Stress[2]) / 3, q = row.Stress[1] - row.Stress[0];
            double ev = -(row.Strain[0] + row.Strain[1] + row.Strain[2]), eq = 2.0 / 3.0 * (row.Strain[1] - row.Strain[0]);
            Assert.Equal(100 * Math.Exp(ev / 0.01), p, 6);
            Assert.Equal(3 * 8000 * eq, q, 6);
            Assert.Equal(-100, row.Stress[1], 7);
        }

        Assert.NotEqual(elastic.Rows[^1].Stress[0], porous.Rows[^1].Stress[0], 3);
    }

    [Theory]
    [InlineData("triaxial-drained.yaml")]
    [InlineData("uniaxial-strain.yaml")]
    [InlineData("biaxial-plane-strain.yaml")]
    public void The_shipped_elastic_example_drivers_run(string file)
    {
        var definition = DriverReader.Load(Path.Combine(RepoPaths.Root, "cases", "points", file));
        var result = Drive(definition);
        Assert.Equal(1 + definition.Segments.Sum(s => s.Steps), result.Rows.Count);
    }

    [Fact]
    public void A_path_the_material_cannot_follow_is_a_clear_error_at_the_segment()
    {
        // Truth: FrozenStress has zero stiffness, so no strain can change a stress-controlled component.
        var e = Assert.Throws<UserInputException>(() => Run("""
            hypothesis: tridimensional
            material: {model: FrozenStress}
            initial_stress: {isotropic: -100}
            path:
              - steps: 2
                strain: {"11": -0.01}
                stress: {"22": -150}
            solver: {max_substeps: 2}
            """));
        Assert.Contains(":5:5: the material point could not follow segment 1 at step 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("singular", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_point_is_retried_with_smaller_steps_and_then_reported()
    {
        // Truth: PorousElastic fails once p + p_t ≤ 0; isotropic extension from p0 = 100 reaches that only
        // asymptotically (p = 100 exp(ε_v/κ) > 0), so cutting steps cannot help a start at p = 0.
        var e = Assert.Throws<UserInputException>(() => Run("""
            hypothesis: tridimensional
            material: {model: PorousElastic, parameters: {kappa: 0.01, G: 1000}}
            path:
              - steps: 1
                strain: {"11": 0.001}
            solver: {max_substeps: 3}
            """));
        Assert.Contains("even after 3 step halvings", e.Message, StringComparison.Ordinal);
        Assert.Contains("tensile limit", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strain: {\"11\": -0.01}\n    stress: {\"11\": -100}", 6, 14, "component 11 of 'path[0]' is controlled twice")]
    [InlineData("strain: {\"33\": -0.01}", 5, 14, "component 33 cannot be driven in plane strain")]
    [InlineData("strain: {\"13\": -0.01}", 5, 14, "unknown key '13' in 'path[0].strain'")]
    [InlineData("strain: {\"11\": -0.01}\n    duration: 0", 6, 15, "expected a positive time span")]
    [InlineData("strain: {\"11\": -0.01}\nsolver: {fd_step: 0.5}", 6, 19, "expected 'auto' or a strain perturbation in (0, 0.1)")]
    public void Driver_mistakes_are_located(string segment, int line, int column, string fragment)
    {
        var path = RepoPaths.TempFile("bad-driver.yaml", $$"""
            material: {model: Elastic, parameters: {E: 1000} }
            initial_stress: {isotropic: -100}
            path:
              - steps: 2
                {{segment}}
            """);
        var e = Assert.Throws<UserInputException>(() => DriverReader.Load(path));
        Assert.StartsWith($"{path}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_csv_has_strains_stresses_state_names_and_status()
    {
        var result = Run("""
            hypothesis: plane_strain
            material: {model: Elastic, parameters: {E: 1000} }
            path:
              - steps: 2
                strain: {"11": 0.001, "22": 0, "12": 0}
            """);
        var text = new StringWriter();
        DriverCsvWriter.Write(result, text);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step,time,eps_11,eps_22,eps_33,eps_12,sig_11,sig_22,sig_33,sig_12,iterations,substeps,status", lines[0].TrimEnd());
        Assert.Equal(4, lines.Length); // header, initial state, two steps
        Assert.EndsWith(",0,0,initial", lines[1].TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("2,1,0.001,0,0,0,", lines[3], StringComparison.Ordinal);
        Assert.EndsWith(",1,1,ok", lines[3].TrimEnd(), StringComparison.Ordinal);
    }

    private static DriverResult Run(string yaml) => Drive(DriverReader.Load(RepoPaths.TempFile("driver.yaml", yaml)));

    private static DriverResult Drive(DriverDefinition d)
    {
        var binding = MaterialBinding.Bind(Catalog.Value, d.Material, d.Hypothesis, Path.GetDirectoryName(d.SourcePath)!);
        using var model = binding.CreateModel(d.Hypothesis);
        return new MaterialPointDriver(model, binding.Tangent, d.Solver).Run(d.InitialStress, d.Segments);
    }
}
