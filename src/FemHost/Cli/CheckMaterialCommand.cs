using System.Globalization;
using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.MaterialSdk.Testing;
using FemHost.Plugins;

namespace FemHost.Cli;

/// <summary>`femhost check-material NAME`: the conformance kit of MaterialSdk.Testing on an installed plug-in.</summary>
public static class CheckMaterialCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: femhost check-material NAME [--params FILE] [--plugin-dir DIR]... [--pressure P]
                                    [--increment DE] [--samples N] [--tolerance T] [--seed S]

        Runs the conformance checks of FemHost.MaterialSdk.Testing on the discovered material NAME and
        prints a pass/fail table with the worst offending point of each check: metadata and refusal of bad
        parameters; zero increment; repeatability; tangent vs central finite differences (a verdict for
        the consistent tangent, information for elastic/approximate ones); isotropy (if declared);
        NaN/inf/absurd input; concurrent = serial (if thread-safe); commit/revert/checkpoint (if the
        model keeps opaque state). Checks run under every hypothesis the plug-in declares.

        Options:
          --params FILE      YAML file with the material entry to check, as in a case's materials:
                               model: Elastic
                               parameters: { E: 2.0e4, nu: 0.3 }
                             (defaults are used for parameters it does not give)
          --plugin-dir DIR   also search DIR for plug-ins (repeatable; searched first)
          --pressure P       initial isotropic pressure, compression positive, kPa (default 100)
          --increment DE     norm of the random strain increments (default 1e-4)
          --samples N        random states per check (default 8)
          --tolerance T      accepted relative error of a consistent tangent (default 1e-5)
          --seed S           seed of the random states (default fixed: the run is reproducible)

        Exit code: 0 when every check passes, 1 when one fails, 2 for a usage or input error.
        """;

    /// <summary>Runs the verb.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = CommandArguments.Parse("check-material", args, ["--params", "--plugin-dir", "--pressure", "--increment", "--samples", "--tolerance", "--seed"]);
        var name = a.Single("the material name (see `femhost plugins`)");
        var defaults = new ConformanceOptions();
        var options = defaults with
        {
            InitialPressure = Number(a, "--pressure", defaults.InitialPressure, 0, double.MaxValue),
            StrainIncrement = Number(a, "--increment", defaults.StrainIncrement, double.Epsilon, 1),
            Samples = (int)Number(a, "--samples", defaults.Samples, 1, 10_000),
            TangentTolerance = Number(a, "--tolerance", defaults.TangentTolerance, double.Epsilon, 1),
            Seed = (int)Number(a, "--seed", defaults.Seed, int.MinValue, int.MaxValue),
        };
        var catalog = PluginCatalog.Discover(a.Values("--plugin-dir"));
        catalog.WarnAboutShadowing([name], output);
        var plugin = catalog.Get(name, new SourceLocation("command line", 0, 0));
        options = options with { Parameters = ReadParameters(plugin, a.Values("--params")) };
        var report = MaterialConformance.Run(plugin, options);
        output.Write(report.ToTable());
        return report.Passed ? 0 : 1;
    }

    /// <summary>The raw parameters of the --params file, checked against the plug-in's metadata with file:line:column errors.</summary>
    private static IReadOnlyDictionary<string, object?> ReadParameters(IMaterialPlugin plugin, IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return new Dictionary<string, object?>();
        }

        if (files.Count > 1)
        {
            throw new CliUsageException("femhost check-material: --params may be given once");
        }

        var path = Path.GetFullPath(files[0]);
        var section = YamlSection.LoadFile(path, "parameter file");
        var name = plugin.Metadata.Name;
        var definition = MaterialReader.Read(section, name);
        if (definition.Model != name)
        {
            throw UserInputException.At(section.At("model"), $"the parameter file is for model '{definition.Model}'; expected 'model: {name}'");
        }

        var binding = MaterialBinding.Bind((_, _) => plugin, definition, plugin.Metadata.Hypotheses[0], Path.GetDirectoryName(path)!);

        // What only the plug-in can refuse (a UMAT that does not compile) is a user error at its line, not a failed check.
        binding.CreateModel(plugin.Metadata.Hypotheses[0]).Dispose();
        return binding.Parameters.Values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
    }

    private static double Number(CommandArguments a, string option, double fallback, double min, double max)
    {
        var values = a.Values(option);
        if (values.Count == 0)
        {
            return fallback;
        }

        return double.TryParse(values[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max ? x
            : throw new CliUsageException($"femhost check-material: {option} '{values[^1]}' is not a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
    }
}
