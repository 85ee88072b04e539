using FemHost.Cli;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>`femhost check-material`: the conformance kit on a discovered plug-in, with exit code 0 only when every check passes.</summary>
public class CliCheckMaterialTests
{
    private static (int Code, string Out, string Err) Femhost(params string[] args) => FemhostCli.Run(args);

    [Fact]
    public void Elastic_with_a_parameter_file_passes_and_prints_the_table()
    {
        var file = RepoPaths.TempFile("elastic.yaml", "model: Elastic\nparameters: {E: 30000, nu: 0.25}\n");
        var (code, output, err) = Femhost("check-material", "Elastic", "--params", file, "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.True(code == 0, err + output);
        Assert.Contains("conformance of material 'Elastic': PASSED", output, StringComparison.Ordinal);
        Assert.Contains("tangent (Consistent)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_parameter_values_and_unknown_materials_are_user_errors_with_locations()
    {
        var file = RepoPaths.TempFile("bad.yaml", "model: Elastic\nparameters:\n  E: 30000\n  nu: 0.7\n");
        var (code, _, err) = Femhost("check-material", "Elastic", "--params", file, "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:4:", err, StringComparison.Ordinal);
        Assert.Contains("nu", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);

        (code, _, err) = Femhost("check-material", "NoSuchModel", "--plugin-dir", RepoPaths.ElasticFolder);
        Assert.Equal(2, code);
        Assert.Contains("unknown material model 'NoSuchModel'", err, StringComparison.Ordinal);

        (code, _, err) = Femhost("check-material", "Elastic", "--samples", "zero");
        Assert.Equal(2, code);
        Assert.Contains("--samples", err, StringComparison.Ordinal);
    }
}
