using System.Globalization;
using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Output;
using FemHost.Plugins;
using FemHost.PointDriver;

namespace FemHost.Cli;

/// <summary>`femhost point DRIVER.yaml`: drives one material point along a path and writes a CSV.</summary>
public static class PointCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: femhost point DRIVER.yaml [--output FILE.csv] [--plugin-dir DIR]...

        Drives a single material point of any plug-in along a path of segments (schema: docs/cases.md,
        "Point driver"). Each Voigt component of a segment is strain-controlled (strain target or
        strain_increment) or stress-controlled (stress target; components not mentioned keep their
        stress); stress-controlled strains are solved by Newton's method at every step. Writes a CSV
        (step, time, strains, stresses, state variables, iterations, substeps, status) and prints a summary.
        To test another material with the same path, edit the 'model:' line (and its parameters).

        Options:
          --output FILE      CSV to write (default: the driver's 'output', else results/NAME.csv next to it)
          --plugin-dir DIR   also search DIR for plug-ins (repeatable; searched first)
        """;

    /// <summary>Runs the verb.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = CommandArguments.Parse("point", args, ["--plugin-dir", "--output"]);
        var driver = DriverReader.Load(a.Single("the point-driver file"));
        if (a.Values("--output") is [.., var file])
        {
            driver = driver with { OutputFile = Path.GetFullPath(file), OutputWhere = SourceLocation.None };
        }

        OutputFolder.Prepare(Path.GetDirectoryName(driver.OutputFile)!, driver.OutputWhere);
        if (Directory.Exists(driver.OutputFile))
        {
            string at = driver.OutputWhere.Line > 0 ? $"{driver.OutputWhere}: " : "";
            throw new UserInputException($"{at}the output '{driver.OutputFile}' is an existing folder; expected the path of a CSV file to write, e.g. results/{driver.Name}.csv");
        }

        var catalog = PluginCatalog.Discover(a.Values("--plugin-dir"));
        catalog.WarnAboutShadowing([driver.Material.Model], output);
        var binding = MaterialBinding.Bind(catalog, driver.Material, driver.Hypothesis, Path.GetDirectoryName(driver.SourcePath)!);
        using var model = binding.CreateModel(driver.Hypothesis);
        var runner = new MaterialPointDriver(model, binding.Tangent, driver.Solver);
        int total = driver.Segments.Sum(s => s.Steps);
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsErrorRedirected;
        var result = runner.Run(driver.InitialStress, driver.Segments,
            live ? row => Console.Error.Write($"\r  step {row.Step}/{total}, {row.Iterations} material call(s) ") : null);
        if (live)
        {
            Console.Error.Write("\r" + new string(' ', 48) + "\r");
        }

        DriverCsvWriter.Write(result, driver.OutputFile);
        WriteSummary(driver, binding, runner, result, output);
        return 0;
    }

    private static void WriteSummary(DriverDefinition driver, MaterialBinding binding, MaterialPointDriver runner, DriverResult result, TextWriter output)
    {
        var m = binding.Plugin.Metadata;
        var labels = Voigt.Labels(driver.Hypothesis);
        string Vec(double[] v) => string.Join(", ", v.Select((x, i) => $"{labels[i]}: {x.ToString("G6", CultureInfo.InvariantCulture)}"));
        var steps = result.Rows.Skip(1).ToList();
        output.WriteLine($"point driver '{driver.Name}': {m.Name} {m.Version}, {driver.Hypothesis}, {binding.Tangent.ToString().ToLowerInvariant()} tangent, " +
            $"Newton Jacobian from {(runner.UsesTangent ? "the material tangent" : "finite differences")}");
        output.WriteLine($"  {driver.Segments.Count} segment(s), {steps.Count} step(s), {steps.Sum(r => r.Iterations)} material calls in Newton, " +
            $"at most {steps.Select(r => r.Iterations).DefaultIfEmpty(0).Max()} per step, {steps.Count(r => r.Substeps > 1)} step(s) cut into substeps");
        var last = result.Rows[^1];
        output.WriteLine($"  final strain: {Vec(last.Strain)}");
        output.WriteLine($"  final stress: {Vec(last.Stress)} kPa");
        if (result.StateNames.Count > 0)
        {
            output.WriteLine($"  final state:  {string.Join(", ", result.StateNames.Select((n, i) => $"{n} = {last.State[i].ToString("G6", CultureInfo.InvariantCulture)}"))}");
        }

        output.WriteLine($"  wrote {driver.OutputFile}");
    }
}
