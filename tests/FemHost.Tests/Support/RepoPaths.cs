namespace FemHost.Tests.Support;

/// <summary>Paths of the repository and of the plug-ins the build deploys, found from the test binaries.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the folder holding FemHost.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The host's plug-in folder (artifacts/femhost/plugins).</summary>
    public static string HostPlugins => Path.Combine(Root, "artifacts", "femhost", "plugins");

    /// <summary>The deployed folder of the sample Elastic plug-in.</summary>
    public static string ElasticFolder => Path.Combine(HostPlugins, "FemHost.Materials.Elastic");

    /// <summary>A group of test plug-ins (tests/assets) under artifacts/test-plugins.</summary>
    public static string TestPlugins(string group) => Path.Combine(Root, "artifacts", "test-plugins", group);

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "femhost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes <paramref name="text"/> to a new file in a fresh temporary folder and returns its path.</summary>
    public static string TempFile(string name, string text)
    {
        var path = Path.Combine(TempFolder(), name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FemHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"FemHost.sln not found above {AppContext.BaseDirectory}");
    }
}
