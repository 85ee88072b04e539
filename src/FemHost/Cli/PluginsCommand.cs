using System.Globalization;
using FemHost.MaterialSdk;
using FemHost.Plugins;

namespace FemHost.Cli;

/// <summary>`femhost plugins`: what each discovered plug-in offers, read from its metadata.</summary>
public static class PluginsCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: femhost plugins [--plugin-dir DIR]...

        Lists the material plug-ins found at run time with their metadata: name, version, assembly path,
        SDK version, modelling hypotheses, tangent kinds, thread safety, opaque state, state variables,
        and every parameter with its unit, default (or "required"), bounds and description.
        Plug-ins that failed to load are listed after, with the reason.

        Options:
          --plugin-dir DIR   also search DIR for plug-ins (repeatable; searched first)
        """;

    /// <summary>Runs the verb.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = CommandArguments.Parse("plugins", args, ["--plugin-dir"]);
        a.NoPositional();
        var catalog = PluginCatalog.Discover(a.Values("--plugin-dir"));
        output.WriteLine($"Searched: {string.Join(", ", catalog.SearchedDirectories)}");
        output.WriteLine($"{catalog.Plugins.Count} material plug-in(s) loaded.");
        foreach (var p in catalog.Plugins)
        {
            Describe(p, output);
        }

        if (catalog.Failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{catalog.Failures.Count} plug-in(s) failed to load:");
            foreach (var f in catalog.Failures)
            {
                output.WriteLine($"  {f.Path}: {f.Reason}");
            }
        }

        return 0;
    }

    /// <summary>Writes one plug-in's metadata as an indented block.</summary>
    public static void Describe(LoadedPlugin plugin, TextWriter output)
    {
        var m = plugin.Plugin.Metadata;
        output.WriteLine();
        output.WriteLine($"{m.Name} {m.Version}");
        output.WriteLine($"  {m.Description}");
        output.WriteLine($"  path:          {plugin.AssemblyPath}");
        output.WriteLine($"  built for SDK: {plugin.SdkVersion}");
        output.WriteLine($"  hypotheses:    {string.Join(", ", m.Hypotheses)}");
        output.WriteLine($"  tangents:      {string.Join(", ", m.TangentKinds.Select(k => k.ToString().ToLowerInvariant()))} (first is the default)");
        output.WriteLine($"  thread-safe:   {(m.IsThreadSafe ? "yes" : "no")}");
        output.WriteLine($"  opaque state:  {(m.HasOpaqueState ? "yes" : "no")}");
        output.WriteLine($"  state vars:    {(m.StateVariables.Count == 0 ? "none" : string.Join(", ", m.StateVariables.Select(s => $"{s.Name} [{s.Unit}]")))}");
        if (m.Parameters.Count == 0)
        {
            output.WriteLine("  parameters:    none");
            return;
        }

        output.WriteLine("  parameters:");
        var rows = m.Parameters.Select(p => new[]
        {
            p.Name, p.Unit, p.IsRequired ? "required" : "default " + Format(p.Default), Range(p), p.Description,
        }).ToList();
        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var r in rows)
        {
            output.WriteLine($"    {r[0].PadRight(widths[0])}  {r[1].PadRight(widths[1])}  {r[2].PadRight(widths[2])}  {r[3].PadRight(widths[3])}  {r[4]}");
        }
    }

    /// <summary>A parameter value as the user would write it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "-",
        "" => "\"\"",
        string s => s,
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Range(ParameterInfo p) => p.Kind switch
    {
        ParameterKind.Real or ParameterKind.Integer when double.IsNegativeInfinity(p.Minimum) && double.IsPositiveInfinity(p.Maximum) => "any value",
        ParameterKind.Real or ParameterKind.Integer => p.AllowedValues().Replace("a number in ", "", StringComparison.Ordinal).Replace("an integer in ", "integer ", StringComparison.Ordinal),
        _ => p.AllowedValues(),
    };
}
