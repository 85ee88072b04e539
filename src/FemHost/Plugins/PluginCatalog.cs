using System.Reflection;
using FemHost.Cases;
using FemHost.MaterialSdk;
using McMaster.NETCore.Plugins;
using ParameterInfo = FemHost.MaterialSdk.ParameterInfo;

namespace FemHost.Plugins;

/// <summary>
/// The material plug-ins found at run time. Each plug-in lives in its own folder
/// (<c>&lt;folder&gt;/&lt;folder&gt;.dll</c> plus its private dependencies) and is loaded into its own
/// load context with the SDK types shared, so two plug-ins may carry different versions of the same
/// library. A plug-in that cannot be loaded is reported in <see cref="Failures"/>; the others still load.
/// </summary>
public sealed class PluginCatalog
{
    /// <summary>Environment variable with extra plug-in directories, separated by ':'.</summary>
    public const string PathVariable = "FEMHOST_PLUGIN_PATH";

    // Types whose assembly (the SDK) must be the host's own copy in every plug-in context, so that a
    // plug-in's IMaterialPlugin is the host's IMaterialPlugin.
    private static readonly Type[] SharedTypes =
    [
        typeof(IMaterialPlugin), typeof(IMaterialModel), typeof(IOpaqueStateMaterial), typeof(MaterialMetadata),
        typeof(ParameterInfo), typeof(StateVariableInfo), typeof(MaterialParameters), typeof(MaterialParameterException),
        typeof(MaterialBatch), typeof(MaterialInitialization), typeof(PointStatus), typeof(PointMaterial),
        typeof(ModellingHypothesis), typeof(TangentKind), typeof(Voigt), typeof(Elasticity), typeof(SdkInfo),
    ];

    private PluginCatalog(IReadOnlyList<LoadedPlugin> plugins, IReadOnlyList<PluginLoadFailure> failures, IReadOnlyList<PluginShadowing> shadowed,
        IReadOnlyList<string> searched)
    {
        Plugins = plugins;
        Failures = failures;
        Shadowed = shadowed;
        SearchedDirectories = searched;
    }

    /// <summary>Loaded plug-ins, in discovery order, with unique material names.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    /// <summary>Plug-ins that could not be loaded, with the reason.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures { get; }

    /// <summary>Material names provided by more than one plug-in: which was taken, which ignored.</summary>
    public IReadOnlyList<PluginShadowing> Shadowed { get; }

    /// <summary>Writes a warning for every material of <paramref name="materialNames"/> that another plug-in also provides.</summary>
    public void WarnAboutShadowing(IEnumerable<string> materialNames, TextWriter output)
    {
        var names = materialNames.ToHashSet(StringComparer.Ordinal);
        foreach (var s in Shadowed.Where(s => names.Contains(s.Name)))
        {
            output.WriteLine(s.Warning);
        }
    }

    /// <summary>The directories that were searched, in order.</summary>
    public IReadOnlyList<string> SearchedDirectories { get; }

    /// <summary>
    /// Finds and loads plug-ins from, in order: each of <paramref name="extraDirectories"/>, each entry
    /// of <see cref="PathVariable"/>, and <c>plugins/</c> next to the host. A directory is either a
    /// plug-in folder itself (it holds <c>&lt;name&gt;/&lt;name&gt;.dll</c>) or a parent of plug-in folders.
    /// </summary>
    /// <param name="extraDirectories">Directories given by the user (e.g. <c>--plugin-dir</c>); a missing one is a failure.</param>
    /// <param name="log">Optional progress log (one line per folder).</param>
    public static PluginCatalog Discover(IEnumerable<string>? extraDirectories = null, TextWriter? log = null)
    {
        var roots = new List<(string Dir, bool MustExist)>();
        foreach (var dir in extraDirectories ?? [])
        {
            roots.Add((dir, true));
        }

        foreach (var dir in (Environment.GetEnvironmentVariable(PathVariable) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roots.Add((dir, true));
        }

        roots.Add((Path.Combine(AppContext.BaseDirectory, "plugins"), false));

        var plugins = new List<LoadedPlugin>();
        var failures = new List<PluginLoadFailure>();
        var shadowed = new List<PluginShadowing>();
        var searched = new List<string>();
        var seenFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (dir, mustExist) in roots)
        {
            var full = Path.GetFullPath(dir);
            searched.Add(full);
            if (!Directory.Exists(full))
            {
                if (mustExist)
                {
                    failures.Add(new PluginLoadFailure(full, "plug-in directory does not exist"));
                }

                continue;
            }

            foreach (var folder in PluginFolders(full, log))
            {
                if (seenFolders.Add(folder))
                {
                    LoadFolder(folder, plugins, failures, shadowed, log);
                }
            }
        }

        return new PluginCatalog(plugins, failures, shadowed, searched);
    }

    /// <summary>
    /// The plug-in that provides <paramref name="materialName"/>; a <see cref="UserInputException"/> at
    /// <paramref name="where"/> naming the known materials if none does.
    /// </summary>
    public IMaterialPlugin Get(string materialName, SourceLocation where)
    {
        var hit = Find(materialName);
        if (hit is not null)
        {
            return hit.Plugin;
        }

        var known = Plugins.Count == 0 ? "no material plug-ins were found (searched " + string.Join(", ", SearchedDirectories) + ")"
            : "known materials: " + string.Join(", ", Plugins.Select(p => p.Name));
        var close = Plugins.FirstOrDefault(p => string.Equals(p.Name, materialName, StringComparison.OrdinalIgnoreCase));
        var hint = close is null ? "" : $" (did you mean '{close.Name}'? names are case-sensitive)";
        var failed = Failures.Count == 0 ? "" : $"; {Failures.Count} plug-in(s) failed to load, see `femhost plugins`";
        throw UserInputException.At(where, $"unknown material model '{materialName}'{hint}; expected one of the loaded plug-ins, {known}{failed}");
    }

    /// <summary>The loaded plug-in named <paramref name="materialName"/>, or null.</summary>
    public LoadedPlugin? Find(string materialName) => Plugins.FirstOrDefault(p => p.Name == materialName);

    private static IEnumerable<string> PluginFolders(string dir, TextWriter? log)
    {
        if (File.Exists(MainAssembly(dir)))
        {
            yield return dir;
            yield break;
        }

        foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (File.Exists(MainAssembly(sub)))
            {
                yield return sub;
            }
            else
            {
                log?.WriteLine($"skipped {sub}: no {Path.GetFileName(sub)}.dll inside");
            }
        }
    }

    private static string MainAssembly(string folder) => Path.Combine(folder, Path.GetFileName(folder) + ".dll");

    private static void LoadFolder(string folder, List<LoadedPlugin> plugins, List<PluginLoadFailure> failures, List<PluginShadowing> shadowed, TextWriter? log)
    {
        var assemblyPath = MainAssembly(folder);
        Version? sdk;
        try
        {
            sdk = SdkReference.Read(assemblyPath);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            failures.Add(new PluginLoadFailure(assemblyPath, $"not a readable .NET assembly ({e.Message})"));
            return;
        }

        if (sdk is null)
        {
            failures.Add(new PluginLoadFailure(assemblyPath, $"not a material plug-in: it does not reference {SdkReference.SdkAssemblyName}"));
            return;
        }

        if (sdk.Major != SdkInfo.MajorVersion)
        {
            failures.Add(new PluginLoadFailure(assemblyPath,
                $"built against material SDK {sdk} but this host provides SDK {SdkInfo.Version} (major {SdkInfo.MajorVersion}); rebuild the plug-in against SDK {SdkInfo.MajorVersion}.x"));
            return;
        }

        Type[] types;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, isUnloadable: false, sharedTypes: SharedTypes);
            types = loader.LoadDefaultAssembly().GetExportedTypes();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Add(new PluginLoadFailure(assemblyPath, "cannot load the assembly or one of its dependencies: " + Describe(e)));
            return;
        }

        int found = 0;
        foreach (var type in types.Where(IsPluginType))
        {
            found++;
            IMaterialPlugin plugin;
            try
            {
                plugin = (IMaterialPlugin)Activator.CreateInstance(type)!;
                _ = plugin.Metadata.Name;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add(new PluginLoadFailure(assemblyPath, $"plug-in type {type.FullName} could not be created: " + Describe(e)));
                continue;
            }

            var twin = plugins.FirstOrDefault(p => p.Name == plugin.Metadata.Name);
            if (twin is not null)
            {
                failures.Add(new PluginLoadFailure(assemblyPath,
                    $"material name '{plugin.Metadata.Name}' is already provided by {twin.AssemblyPath}; the copy in {assemblyPath} is ignored (material names must be unique)"));
                shadowed.Add(new PluginShadowing(plugin.Metadata.Name, twin.AssemblyPath, assemblyPath));
                continue;
            }

            plugins.Add(new LoadedPlugin(plugin, assemblyPath, sdk));
            log?.WriteLine($"loaded material '{plugin.Metadata.Name}' {plugin.Metadata.Version} from {assemblyPath}");
        }

        if (found == 0)
        {
            failures.Add(new PluginLoadFailure(assemblyPath, "no public non-abstract class implementing IMaterialPlugin with a parameterless constructor"));
        }
    }

    private static bool IsPluginType(Type t) =>
        t is { IsClass: true, IsAbstract: false } && typeof(IMaterialPlugin).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null;

    private static string Describe(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner })
        {
            e = inner;
        }

        if (e is ReflectionTypeLoadException { LoaderExceptions: var loaderErrors })
        {
            var first = loaderErrors.FirstOrDefault(x => x is not null);
            if (first is not null)
            {
                e = first;
            }
        }

        return $"{e.GetType().Name}: {e.Message}";
    }
}
