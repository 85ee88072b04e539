using System.Runtime.Loader;
using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Plugins;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>Run-time discovery and loading of material plug-ins (McMaster load contexts, SDK-major check).</summary>
public class PluginCatalogTests
{
    [Fact]
    public void Elastic_is_discovered_from_its_deployed_folder_in_its_own_load_context()
    {
        // Truth: the host does not reference the plug-in; it must come from the deployed plugins/ folder of this configuration (artifacts/femhost-debug/plugins in Debug) at run time.
        var catalog = PluginCatalog.Discover([RepoPaths.HostPlugins]);
        var elastic = Assert.Single(catalog.Plugins, p => p.Name == "Elastic");
        Assert.Equal(Path.Combine(RepoPaths.ElasticFolder, "FemHost.Materials.Elastic.dll"), elastic.AssemblyPath);
        Assert.Equal(SdkInfo.MajorVersion, elastic.SdkVersion.Major);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(elastic.Plugin.GetType().Assembly));
        Assert.Contains(elastic.Plugin.Metadata.Parameters, p => p.Name == "E" && p.IsRequired);
    }

    [Fact]
    public void A_folder_given_directly_is_loaded_as_one_plugin()
    {
        var catalog = PluginCatalog.Discover([RepoPaths.ElasticFolder]);
        Assert.Contains(catalog.Plugins, p => p.Name == "Elastic");
        Assert.DoesNotContain(catalog.Failures, f => f.Path.StartsWith(RepoPaths.ElasticFolder, StringComparison.Ordinal));
    }

    [Fact]
    public void A_plugin_built_against_another_sdk_major_is_refused_naming_both_versions()
    {
        // Truth: ElasticOnSdkV2 references FemHost.MaterialSdk 2.0.0.0 (tests/assets/SdkV2); the host provides 1.x.
        var catalog = PluginCatalog.Discover([RepoPaths.TestPlugins("sdk-v2"), RepoPaths.ElasticFolder]);
        var failure = Assert.Single(catalog.Failures, f => f.Path.Contains("ElasticOnSdkV2", StringComparison.Ordinal));
        Assert.Contains("2.0.0.0", failure.Reason, StringComparison.Ordinal);
        Assert.Contains(SdkInfo.Version.ToString(), failure.Reason, StringComparison.Ordinal);
        Assert.Single(catalog.Plugins, p => p.Name == "Elastic"); // the other plug-in still loads
    }

    [Fact]
    public void Two_plugins_with_different_versions_of_one_dependency_load_side_by_side()
    {
        // Truth: JsonProbe12 ships Newtonsoft.Json 12.0.3 (assembly 12.0.0.0), JsonProbe13 ships 13.0.3 (13.0.0.0).
        var catalog = PluginCatalog.Discover([RepoPaths.TestPlugins("dependencies")]);
        Assert.DoesNotContain(catalog.Failures, f => f.Path.StartsWith(RepoPaths.TestPlugins("dependencies"), StringComparison.Ordinal));
        var v12 = Assert.Single(catalog.Plugins, p => p.Name == "JsonProbe12");
        var v13 = Assert.Single(catalog.Plugins, p => p.Name == "JsonProbe13");
        Assert.Equal(12, JsonVersionIn(v12));
        Assert.Equal(13, JsonVersionIn(v13));
        Assert.Equal("Newtonsoft.Json 12.0.0.0", v12.Plugin.Metadata.Description);
        Assert.Equal("Newtonsoft.Json 13.0.0.0", v13.Plugin.Metadata.Description);

        // Each works: its JSON-parsed elastic constants give σ11 = (K + 4G/3) ε11 in uniaxial strain.
        foreach (var probe in new[] { v12, v13 })
        {
            var parameters = MaterialParameters.Validate(probe.Plugin.Metadata, new Dictionary<string, object?> { ["json"] = "{\"E\": 1000, \"nu\": 0.25}" });
            using var model = probe.Plugin.Create(parameters, ModellingHypothesis.PlaneStrain);
            var stress = new double[4];
            var batch = new MaterialBatch(ModellingHypothesis.PlaneStrain, 1, 0, 0, 1, TangentKind.Consistent, new[] { 0 }, new double[2],
                new double[4], new[] { 1e-3, 0, 0, 0 }, new double[4], Array.Empty<double>(), stress, Array.Empty<double>(), new double[16], new PointStatus[1]);
            model.Integrate(batch);
            double k = 1000 / (3 * (1 - 0.5)), g = 1000 / (2 * 1.25);
            Assert.Equal((k + 4 * g / 3) * 1e-3, stress[0], 12);
        }
    }

    [Fact]
    public void A_plugin_whose_constructor_throws_is_reported_and_its_sibling_still_loads()
    {
        var catalog = PluginCatalog.Discover([RepoPaths.TestPlugins("broken")]);
        var failure = Assert.Single(catalog.Failures, f => f.Path.StartsWith(RepoPaths.TestPlugins("broken"), StringComparison.Ordinal));
        Assert.EndsWith("FemHost.TestAssets.ThrowingPlugin.dll", failure.Path, StringComparison.Ordinal);
        Assert.Contains("licence file not found", failure.Reason, StringComparison.Ordinal);
        Assert.Single(catalog.Plugins, p => p.Name == "FrozenStress");
    }

    [Fact]
    public void Duplicate_material_names_are_a_failure_naming_both_paths()
    {
        var copy = Path.Combine(RepoPaths.TempFolder(), "FemHost.Materials.Elastic");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(RepoPaths.ElasticFolder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var catalog = PluginCatalog.Discover([RepoPaths.ElasticFolder, copy]);
        Assert.Single(catalog.Plugins, p => p.Name == "Elastic");
        var failure = Assert.Single(catalog.Failures, f => f.Reason.Contains("already provided", StringComparison.Ordinal));
        Assert.Contains(RepoPaths.ElasticFolder, failure.Reason, StringComparison.Ordinal);
        Assert.Contains(copy, failure.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_directories_and_non_assemblies_are_failures_not_crashes()
    {
        var root = RepoPaths.TempFolder();
        var fake = Path.Combine(root, "Fake");
        Directory.CreateDirectory(fake);
        File.WriteAllText(Path.Combine(fake, "Fake.dll"), "not an assembly");
        var missing = Path.Combine(root, "missing");
        var catalog = PluginCatalog.Discover([root, missing]);
        Assert.Contains(catalog.Failures, f => f.Path == Path.Combine(fake, "Fake.dll") && f.Reason.Contains("not a readable .NET assembly", StringComparison.Ordinal));
        Assert.Contains(catalog.Failures, f => f.Path == missing && f.Reason.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_of_an_unknown_material_names_the_location_and_the_known_materials()
    {
        var catalog = PluginCatalog.Discover([RepoPaths.ElasticFolder]);
        var e = Assert.Throws<UserInputException>(() => catalog.Get("elastic", new SourceLocation("case.yaml", 7, 12)));
        Assert.StartsWith("case.yaml:7:12: unknown material model 'elastic'", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Elastic'", e.Message, StringComparison.Ordinal);
        Assert.Contains("known materials: Elastic", e.Message, StringComparison.Ordinal);
    }

    private static int JsonVersionIn(LoadedPlugin plugin)
    {
        var context = AssemblyLoadContext.GetLoadContext(plugin.Plugin.GetType().Assembly)!;
        var json = Assert.Single(context.Assemblies, a => a.GetName().Name == "Newtonsoft.Json");
        return json.GetName().Version!.Major;
    }
}
