using FemHost.Plugins;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>Runs alone: it changes an environment variable of the whole test process.</summary>
[CollectionDefinition(nameof(PluginSearchPathTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

/// <summary>The search order of plug-in directories: extra directories, FEMHOST_PLUGIN_PATH, then plugins/ next to the host.</summary>
[Collection(nameof(PluginSearchPathTests))]
public class PluginSearchPathTests
{
    [Fact]
    public void Plugins_are_searched_in_extra_directories_then_the_environment_path_then_next_to_the_host()
    {
        var saved = Environment.GetEnvironmentVariable(PluginCatalog.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(PluginCatalog.PathVariable, $"{RepoPaths.TestPlugins("materials")}:{RepoPaths.TestPlugins("broken")}");
            var catalog = PluginCatalog.Discover([RepoPaths.ElasticFolder]);
            Assert.Equal(
                [RepoPaths.ElasticFolder, RepoPaths.TestPlugins("materials"), RepoPaths.TestPlugins("broken"), Path.Combine(AppContext.BaseDirectory, "plugins")],
                catalog.SearchedDirectories);
            Assert.Equal(["Elastic", "PorousElastic", "FrozenStress"], catalog.Plugins.Select(p => p.Name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginCatalog.PathVariable, saved);
        }
    }
}
