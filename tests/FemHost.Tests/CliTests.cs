using FemHost.Cli;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>The `femhost` verbs and the exit-code policy: 0 success, 2 user error without a stack trace.</summary>
public class CliTests
{
    private static (int Code, string Out, string Err) Femhost(params string[] args) => FemhostCli.Run(args);

    [Fact]
    public void Time_left_is_measured_from_the_load_factor_this_process_started_at()
    {
        // Fresh run: 30 s took λ from 0 to 0.25, so 0.75 takes 90 s.
        Assert.Equal(90, RunCommand.TimeLeft(TimeSpan.FromSeconds(30), 0, 0.25).TotalSeconds, 9);
        // Resumed at λ = 0.40: 38 s for 0.02 means 0.58 takes 1 102 s (not 38 · 0.58 / 0.42 = 52 s).
        Assert.Equal(1102, RunCommand.TimeLeft(TimeSpan.FromSeconds(38), 0.40, 0.42).TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, RunCommand.TimeLeft(TimeSpan.FromSeconds(5), 0.5, 0.5));
    }

    [Fact]
    public void Version_and_help_succeed_and_list_every_verb()
    {
        var (code, output, _) = Femhost("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("femhost ", output, StringComparison.Ordinal);
        Assert.Contains("material SDK 1.", output, StringComparison.Ordinal);

        (code, output, _) = Femhost("--help");
        Assert.Equal(0, code);
        foreach (var verb in CommandLine.Verbs.Keys)
        {
            Assert.Contains($"  {verb} ", output, StringComparison.Ordinal);
        }

        foreach (var (verb, command) in CommandLine.Verbs)
        {
            (code, output, _) = Femhost(verb, "--help");
            Assert.Equal(0, code);
            Assert.Equal(command.Help.TrimEnd(), output.TrimEnd());
        }
    }

    [Fact]
    public void No_arguments_and_unknown_verbs_or_options_are_user_errors()
    {
        Assert.Equal(2, Femhost().Code);
        var (code, _, err) = Femhost("valdate", "x.yaml");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'validate'?", err, StringComparison.Ordinal);
        (code, _, err) = Femhost("plugins", "--plugin-directory", "x");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --plugin-directory; expected --plugin-dir", err, StringComparison.Ordinal);
        (code, _, err) = Femhost("validate");
        Assert.Equal(2, code);
        Assert.Contains("expected exactly one argument, the case file", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugins_lists_metadata_and_parameters_read_from_the_plugin()
    {
        var (code, output, _) = Femhost("plugins", "--plugin-dir", RepoPaths.ElasticFolder, "--plugin-dir", RepoPaths.TestPlugins("sdk-v2"));
        Assert.Equal(0, code);
        Assert.Contains("Elastic 1.0.0", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+E\s+kPa\s+required\s+\[1E-12, \+inf\] kPa\s+Young's modulus", output);
        Assert.Matches(@"\n\s+nu\s+-\s+default 0\.3\s+\[-0\.999, 0\.499\]\s+Poisson's ratio", output);
        Assert.Contains("tangents:      consistent, elastic", output, StringComparison.Ordinal);
        Assert.Contains("failed to load", output, StringComparison.Ordinal);
        Assert.Contains("ElasticOnSdkV2.dll: built against material SDK 2.0.0.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_the_shipped_case_and_reports_its_materials()
    {
        var (code, output, err) = Femhost("validate", Path.Combine(RepoPaths.Root, "cases", "elastic-compression.yaml"), "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.True(code == 0, err);
        Assert.Contains("material 'soil': Elastic 1.0.0, consistent tangent, E = 20000, nu = 0.3", output, StringComparison.Ordinal);
        Assert.Contains("case 'elastic-compression' is valid", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{E: 20000, nu: 0.7}", "7:32: material 'soil' (model Elastic), parameter 'nu': 0.7 is out of bounds; expected a number in [-0.999, 0.499]")]
    [InlineData("{E: 20000, mu: 0.3}", "7:32: material 'soil' (model Elastic), parameter 'mu': unknown parameter; known parameters: E, nu")]
    [InlineData("{nu: 0.3}", "5:5: material 'soil' (model Elastic), parameter 'E': required parameter is missing")]
    [InlineData("{E: stiff}", "7:21: material 'soil' (model Elastic), parameter 'E': 'stiff' is not a number")]
    public void Validate_reports_bad_material_parameters_at_their_location_with_exit_code_2(string parameters, string expected)
    {
        var path = RepoPaths.TempFile("case.yaml", $"""
            mesh:
              rectangle: {"{"}width: 1, height: 1, nx: 1, ny: 1{"}"}
            materials:
              soil:
                model: Elastic
                tangent: consistent
                parameters: {parameters}
            regions:
              all: soil
            steps:
              count: 1
            """);
        var (code, output, err) = Femhost("validate", path, "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"femhost: error: {path}:{expected}", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal); // no stack trace for user mistakes
    }

    [Fact]
    public void Validate_names_the_known_materials_for_an_unknown_model()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "cases", "elastic-compression.yaml")).Replace("model: Elastic", "model: Elastik", StringComparison.Ordinal);
        var path = RepoPaths.TempFile("case.yaml", text);
        var (code, _, err) = Femhost("validate", path, "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.Equal(2, code);
        Assert.Contains("unknown material model 'Elastik'", err, StringComparison.Ordinal);
        Assert.Contains("known materials: Elastic", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_exception_exits_with_code_1_and_its_stack_trace()
    {
        // Truth: JsonProbe13 lets Newtonsoft's JsonReaderException escape Create (a plug-in bug, not a user error).
        var path = RepoPaths.TempFile("driver.yaml", """
            material: {model: JsonProbe13, parameters: {json: "not json"}}
            path:
              - {steps: 1, strain: {"11": 0.001}}
            """);
        var (code, _, err) = Femhost("point", path, "--plugin-dir", RepoPaths.TestPlugins("dependencies"));
        Assert.Equal(1, code);
        Assert.StartsWith("femhost: internal error", err, StringComparison.Ordinal);
        Assert.Contains("JsonReaderException", err, StringComparison.Ordinal);
        Assert.Contains("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Point_writes_the_csv_and_a_summary()
    {
        var csv = Path.Combine(RepoPaths.TempFolder(), "triaxial.csv");
        var (code, output, err) = Femhost("point", Path.Combine(RepoPaths.Root, "cases", "points", "triaxial-drained.yaml"),
            "--output", csv, "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.True(code == 0, err);
        Assert.Contains("40 step(s)", output, StringComparison.Ordinal);
        Assert.Contains("final stress: 11: -500,", output, StringComparison.Ordinal); // −100 + E·(−0.02) with E = 20000
        Assert.Equal(42, File.ReadAllLines(csv).Length); // header, initial state, 40 steps
    }
}
