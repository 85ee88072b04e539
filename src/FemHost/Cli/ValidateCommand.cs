using FemHost.Cases;
using FemHost.Fem;
using FemHost.Fem.Meshes;
using FemHost.Plugins;

namespace FemHost.Cli;

/// <summary>`femhost validate CASE.yaml`: reads the case, loads the plug-ins it names and validates every material's parameters.</summary>
public static class ValidateCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: femhost validate CASE.yaml [--plugin-dir DIR]...

        Reads a case file (schema: docs/cases.md), loads the material plug-ins and checks every
        material's model name, parameters (names, types, bounds), tangent kind and modelling hypothesis,
        then creates each material once, so that what only the plug-in can check is reported too (e.g. a
        UMAT source that does not compile).
        Mesh sets and regions are checked when the model is built by `femhost run`.
        Errors are reported as FILE:LINE:COLUMN: message, with exit code 2.

        Options:
          --plugin-dir DIR   also search DIR for plug-ins (repeatable; searched first)
        """;

    /// <summary>Runs the verb.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = CommandArguments.Parse("validate", args, ["--plugin-dir"]);
        var path = a.Single("the case file");
        var definition = CaseReader.Load(path);
        var catalog = PluginCatalog.Discover(a.Values("--plugin-dir"));
        catalog.WarnAboutShadowing(definition.Materials.Select(m => m.Model), output);
        var folder = Path.GetDirectoryName(definition.SourcePath)!;
        foreach (var material in definition.Materials)
        {
            var binding = MaterialBinding.Bind(catalog, material, definition.Hypothesis, folder);

            // Creating the model catches what only the plug-in can check (values invalid together, a model file, a UMAT
            // that does not compile); it is disposed at once.
            binding.CreateModel(definition.Hypothesis).Dispose();
            output.WriteLine($"material '{material.Name}': {binding.Plugin.Metadata.Name} {binding.Plugin.Metadata.Version}, " +
                $"{binding.Tangent.ToString().ToLowerInvariant()} tangent, " +
                string.Join(", ", binding.Parameters.Values.Select(kv => $"{kv.Key} = {PluginsCommand.Format(kv.Value)}")));
        }

        if (definition.Mesh.Rectangle is { } rectangle)
        {
            // Known before the mesh exists: a rectangle too large for the memory is refused here as by `run`.
            MemoryBudget.Check(definition, MeshSize.Of(rectangle), catalog.Get, output);
        }

        var mesh = definition.Mesh.Rectangle is { } r ? $"rectangle {r.Width} x {r.Height}, {r.Nx} x {r.Ny} Q8" : $"gmsh {definition.Mesh.GmshFile}";
        output.WriteLine($"case '{definition.Name}' is valid: {mesh}, {definition.Materials.Count} material(s), {definition.Regions.Count} region(s), " +
            $"{definition.Displacements.Count} displacement condition(s), {definition.EdgeLoads.Count} edge load(s), {definition.Steps.Count} step(s); output to {definition.Output.Folder}");
        return 0;
    }
}
