using System.Globalization;
using FemHost.MaterialSdk;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FemHost.Cases;

/// <summary>
/// Reads one material entry (<c>model</c>, <c>parameters</c>, <c>tangent</c>) of a case or point-driver
/// file. Parameter values stay raw (double, long or string) with their locations: they are checked
/// against the plug-in's metadata once the plug-in is loaded.
/// </summary>
internal static class MaterialReader
{
    /// <summary>Words accepted for the tangent kind.</summary>
    public static readonly IReadOnlyDictionary<string, TangentKind?> TangentWords = new Dictionary<string, TangentKind?>
    {
        ["default"] = null,
        ["consistent"] = TangentKind.Consistent,
        ["elastic"] = TangentKind.Elastic,
        ["approximate"] = TangentKind.Approximate,
    };

    /// <summary>Reads a material mapping named <paramref name="name"/>.</summary>
    public static MaterialDefinition Read(YamlSection section, string name)
    {
        section.Allow("model", "parameters", "tangent");
        var model = section.Text("model");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        if (section.OptionalSection("parameters") is { } parameters)
        {
            foreach (var key in parameters.Keys)
            {
                var node = parameters.Node(key)!;
                values[key] = RawValue(parameters.File, parameters.Child(key), node);
                locations[key] = parameters.At(key);
            }
        }

        return new MaterialDefinition
        {
            Where = section.Where,
            Name = name,
            Model = model,
            Parameters = values,
            ParameterLocations = locations,
            Tangent = section.Word("tangent", null, TangentWords),
        };
    }

    /// <summary>
    /// A parameter value as written: an unquoted integer becomes long, an unquoted number double,
    /// anything else (or anything quoted) text; a flow or block list of such scalars (<c>[1000, 0.3]</c>)
    /// becomes a list of them (for list parameters such as a UMAT's PROPS).
    /// </summary>
    private static object? RawValue(string file, string path, YamlNode node)
    {
        if (YamlSection.IsNull(node))
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.Select((item, i) => YamlSection.IsNull(item)
                ? throw UserInputException.At(YamlSection.Locate(file, item), $"'{path}[{i}]' is empty; expected a number")
                : Scalar(file, $"{path}[{i}]", item, "a number (a list holds numbers only)")).ToList();
        }

        return Scalar(file, path, node, "a single value (number or word) or a list of numbers such as [1, 2.5]");
    }

    private static object Scalar(string file, string path, YamlNode node, string expected)
    {
        var text = YamlSection.ScalarText(file, path, node, expected);
        if (node is YamlScalarNode { Style: ScalarStyle.Plain })
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
        }

        return text;
    }
}
