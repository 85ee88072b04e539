using System.Diagnostics;
using System.Globalization;
using FemHost.Cli;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// The plug-in author's whole path, scripted: pack the SDK, install the `femhost-material` template,
/// create a plug-in, build it outside the solution, run its own conformance test, let `femhost plugins`
/// discover it, pass `femhost check-material`, and solve a case with it against the closed form.
/// </summary>
public class TemplateEndToEndTests
{
    [Fact]
    public void A_plugin_made_from_the_template_builds_outside_the_solution_passes_the_kit_and_runs_in_a_case()
    {
        var work = RepoPaths.TempFolder();
        var feed = Path.Combine(work, "feed");
        var env = new Dictionary<string, string>
        {
            // An isolated CLI home: the template install must not touch the user's template list.
            ["DOTNET_CLI_HOME"] = Path.Combine(work, "home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        foreach (var sdk in new[] { "src/MaterialSdk", "src/MaterialSdk.Testing" })
        {
            Dotnet(RepoPaths.Root, env, "pack", sdk, "-c", "Release", "-o", feed, "-p:IncludeSymbols=false");
        }

        Dotnet(work, env, "new", "install", Path.Combine(RepoPaths.Root, "templates", "femhost-material"));
        Dotnet(work, env, "new", "femhost-material", "-n", "AcmeSand", "--SdkFeed", feed);
        var project = Path.Combine(work, "AcmeSand");
        Dotnet(project, env, "test", "AcmeSand.Tests");
        var plugins = Path.Combine(work, "plugins");
        Dotnet(project, env, "build", "AcmeSand", "-o", Path.Combine(plugins, "AcmeSand"));

        var (code, output) = Femhost("plugins", "--plugin-dir", plugins);
        Assert.True(code == 0, output);
        Assert.Contains("AcmeSand 0.1.0", output, StringComparison.Ordinal);

        (code, output) = Femhost("check-material", "AcmeSand", "--plugin-dir", plugins);
        Assert.True(code == 0, output);
        Assert.Contains("conformance of material 'AcmeSand': PASSED", output, StringComparison.Ordinal);

        // Plane-strain compression of a free-standing block: σ_yy = E/(1 − ν²) ε_yy with E, ν from the
        // template's defaults K = 2e4, G = 1e4 kPa, i.e. E/(1 − ν²) = 4G(3K + G)/(3K + 4G) = 28 000 kPa.
        var caseFile = Path.Combine(work, "block.yaml");
        File.WriteAllText(caseFile, """
            mesh:
              rectangle: {width: 0.5, height: 1.0, nx: 2, ny: 4}
            materials:
              soil: {model: AcmeSand}
            regions: {all: soil}
            boundary_conditions:
              - {set: bottom, uy: 0}
              - {set: bottom_left, ux: 0}
              - {set: top, uy: -0.001, history: ramp}
            steps: {count: 2}
            output:
              folder: results
              vtu: false
              plots: false
              curves: [{name: top_force, kind: reaction_y, set: top}]
            """);
        (code, output) = Femhost("run", caseFile, "--plugin-dir", plugins, "--quiet");
        Assert.True(code == 0, output);
        var last = File.ReadAllLines(Path.Combine(work, "results", "curves.csv"))[^1].Split(',');
        double force = double.Parse(last[2], CultureInfo.InvariantCulture);
        Assert.Equal(-28_000 * 0.001 * 0.5, force, 1e-6);
    }

    private static (int Code, string Output) Femhost(params string[] args)
    {
        var (code, output, error) = FemhostCli.Run(args);
        return (code, output + error);
    }

    private static void Dotnet(string folder, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {string.Join(' ', args)} timed out");
        Assert.True(p.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }
}
