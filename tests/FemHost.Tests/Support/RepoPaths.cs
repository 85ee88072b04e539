namespace FemHost.Tests.Support;

/// <summary>Paths of the repository and of the plug-ins the build deploys, found from the test binaries.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the folder holding FemHost.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The folder the build deployed the host to in the configuration these tests were built in
    /// (artifacts/femhost in Release, artifacts/femhost-debug in Debug: Directory.Build.props).
    /// </summary>
    public static string HostFolder { get; } = BuildFolder("FemHostOutputDir");

    /// <summary>The host's plug-in folder (HostFolder/plugins).</summary>
    public static string HostPlugins => Path.Combine(HostFolder, "plugins");

    /// <summary>The deployed folder of the sample Elastic plug-in.</summary>
    public static string ElasticFolder => Path.Combine(HostPlugins, "FemHost.Materials.Elastic");

    /// <summary>A group of test plug-ins (tests/assets) under artifacts/test-plugins (one folder for every configuration).</summary>
    public static string TestPlugins(string group) => Path.Combine(BuildFolder("TestPluginRoot"), group);

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

    private static string BuildFolder(string key) => Path.TrimEndingDirectorySeparator(
        typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"the test assembly carries no '{key}' metadata (Directory.Build.targets)"));

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
