using FemHost.MaterialSdk;

namespace FemHost.Plugins;

/// <summary>A material plug-in loaded at run time.</summary>
/// <param name="Plugin">The plug-in entry point (its metadata names the material).</param>
/// <param name="AssemblyPath">Absolute path of the plug-in assembly it came from.</param>
/// <param name="SdkVersion">Version of FemHost.MaterialSdk the plug-in was built against.</param>
public sealed record LoadedPlugin(IMaterialPlugin Plugin, string AssemblyPath, Version SdkVersion)
{
    /// <summary>Material name (<see cref="MaterialMetadata.Name"/>).</summary>
    public string Name => Plugin.Metadata.Name;
}

/// <summary>A plug-in (or plug-in folder) that could not be loaded; the others still load.</summary>
/// <param name="Path">The assembly or folder concerned.</param>
/// <param name="Reason">Why, in one sentence.</param>
public sealed record PluginLoadFailure(string Path, string Reason);

/// <summary>Two plug-ins that provide the same material name: the one found first in the search order is taken.</summary>
/// <param name="Name">The material name.</param>
/// <param name="Taken">Assembly of the plug-in used.</param>
/// <param name="Ignored">Assembly of the plug-in ignored.</param>
public sealed record PluginShadowing(string Name, string Taken, string Ignored)
{
    /// <summary>The warning a command prints when a case uses the name.</summary>
    public string Warning =>
        $"warning: material '{Name}' is provided by two plug-ins; using {Taken} (found first: --plugin-dir, then {PluginCatalog.PathVariable}, " +
        $"then the host's plugins/) and ignoring {Ignored}";
}
