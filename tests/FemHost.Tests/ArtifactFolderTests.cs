using System.Diagnostics;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Each build configuration deploys the host and its plug-ins to its own folder (issue 17, item 3), so building
/// the tests (Debug) no longer replaces the Release host that README and scripts/run-main.sh run.
/// </summary>
public class ArtifactFolderTests
{
    [Fact]
    public void Release_keeps_artifacts_femhost_and_every_other_configuration_gets_its_own_folder()
    {
        string Folder(string configuration) => Path.TrimEndingDirectorySeparator(MsBuildProperty("FemHostOutputDir", configuration));
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts", "femhost"), Folder("Release"));
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts", "femhost-debug"), Folder("Debug"));
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts", "test-plugins") + "/", MsBuildProperty("TestPluginRoot", "Debug"));
    }

    [Fact]
    public void The_tests_run_the_host_built_in_their_own_configuration()
    {
        // Truth: the deployed femhost.dll is byte for byte the one next to these tests (same project, same
        // configuration, deterministic build); a host of the other configuration would differ.
        var deployed = File.ReadAllBytes(FemhostProcess.HostDll);
        var ours = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "femhost.dll"));
        Assert.True(deployed.AsSpan().SequenceEqual(ours), $"{FemhostProcess.HostDll} is not the build these tests reference");
        Assert.True(File.Exists(Path.Combine(RepoPaths.HostPlugins, "FemHost.Materials.Elastic", "FemHost.Materials.Elastic.dll")));
    }

    private static string MsBuildProperty(string name, string configuration)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "msbuild", Path.Combine(RepoPaths.Root, "src", "FemHost", "FemHost.csproj"), $"-getProperty:{name}", $"-p:Configuration={configuration}", "-nologo" })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "dotnet msbuild did not finish");
        Assert.True(p.ExitCode == 0, stderr.Result + stdout.Result);
        return stdout.Result.Trim();
    }
}
