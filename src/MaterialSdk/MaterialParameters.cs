using System.Globalization;

namespace FemHost.MaterialSdk;

/// <summary>
/// Thrown when a case gives a parameter the material does not accept. The message names the key,
/// the value and what is allowed; hosts show it as a user error, never as a crash.
/// </summary>
public sealed class MaterialParameterException(string material, string key, string message)
    : Exception($"material '{material}', parameter '{key}': {message}")
{
    /// <summary>Material name.</summary>
    public string Material { get; } = material;

    /// <summary>Offending key.</summary>
    public string Key { get; } = key;
}

/// <summary>
/// A validated, typed set of parameter values for one material, built from raw case values with
/// <see cref="Validate"/>. Every declared parameter is present (given or defaulted).
/// </summary>
public sealed class MaterialParameters
{
    private readonly Dictionary<string, object> _values;

    private MaterialParameters(MaterialMetadata metadata, Dictionary<string, object> values)
    {
        Metadata = metadata;
        _values = values;
    }

    /// <summary>The metadata the values were checked against.</summary>
    public MaterialMetadata Metadata { get; }

    /// <summary>All values by name (double, long, string, or a read-only list of double for <see cref="ParameterKind.RealList"/>).</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>A real parameter (integers widen).</summary>
    public double Real(string name) => _values[Known(name)] switch
    {
        double d => d,
        long l => l,
        var v => throw new InvalidOperationException($"parameter '{name}' is {v.GetType().Name}, not a number"),
    };

    /// <summary>An integer parameter.</summary>
    public long Integer(string name) => _values[Known(name)] is long l ? l
        : throw new InvalidOperationException($"parameter '{name}' is not an integer");

    /// <summary>A list-of-reals parameter (SDK 1.1).</summary>
    public IReadOnlyList<double> RealList(string name) => _values[Known(name)] is IReadOnlyList<double> list ? list
        : throw new InvalidOperationException($"parameter '{name}' is not a list of numbers");

    /// <summary>A text or path parameter.</summary>
    public string Text(string name) => _values[Known(name)] is string s ? s
        : throw new InvalidOperationException($"parameter '{name}' is not text");

    private string Known(string name) => _values.ContainsKey(name) ? name
        : throw new KeyNotFoundException($"material '{Metadata.Name}' declares no parameter '{name}'");

    /// <summary>The defaults of every parameter; throws if a parameter is required.</summary>
    public static MaterialParameters Defaults(MaterialMetadata metadata) =>
        Validate(metadata, new Dictionary<string, object?>());

    /// <summary>
    /// Checks raw values (numbers, or strings that parse as numbers, as they come from YAML) against the
    /// declarations: an unknown key, a missing required key, a wrong type or an out-of-bounds value each
    /// throw a <see cref="MaterialParameterException"/> naming the key and the allowed values.
    /// </summary>
    public static MaterialParameters Validate(MaterialMetadata metadata, IReadOnlyDictionary<string, object?> raw)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(raw);
        foreach (var key in raw.Keys)
        {
            if (metadata.FindParameter(key) is null)
            {
                var known = metadata.Parameters.Count == 0 ? "it takes no parameters"
                    : "known parameters: " + string.Join(", ", metadata.Parameters.Select(p => p.Name));
                throw new MaterialParameterException(metadata.Name, key, $"unknown parameter; {known}");
            }
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in metadata.Parameters)
        {
            raw.TryGetValue(p.Name, out var given);
            var value = given ?? p.Default ?? throw new MaterialParameterException(metadata.Name, p.Name,
                $"required parameter is missing; expected {p.AllowedValues()} ({p.Description})");
            values[p.Name] = Coerce(metadata.Name, p, value);
        }

        return new MaterialParameters(metadata, values);
    }

    /// <summary>A copy with some values replaced (validated again).</summary>
    public MaterialParameters With(IReadOnlyDictionary<string, object?> changes)
    {
        var merged = new Dictionary<string, object?>(_values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value));
        foreach (var (k, v) in changes)
        {
            merged[k] = v;
        }

        return Validate(Metadata, merged);
    }

    private static object Coerce(string material, ParameterInfo p, object value)
    {
        string Bad(string what) => $"{what}; expected {p.AllowedValues()}";
        bool isList = value is System.Collections.IEnumerable and not string;
        switch (p.Kind)
        {
            case ParameterKind.Real:
            case ParameterKind.Integer:
                return Number(material, p, value, Bad, "");
            case ParameterKind.RealList:
                if (!isList)
                {
                    throw new MaterialParameterException(material, p.Name, Bad($"{Describe(value)} is not a list"));
                }

                var items = new List<double>();
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    items.Add((double)Number(material, p, item ?? "null", Bad, $"element {items.Count + 1}: "));
                }

                return items.AsReadOnly();
            case ParameterKind.Text:
                if (isList)
                {
                    throw new MaterialParameterException(material, p.Name, Bad($"{Describe(value)} is a list"));
                }

                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                if (p.AllowedChoices.Count > 0 && !p.AllowedChoices.Contains(text))
                {
                    throw new MaterialParameterException(material, p.Name, Bad($"'{text}' is not allowed"));
                }

                return text;
            default:
                if (isList)
                {
                    throw new MaterialParameterException(material, p.Name, Bad($"{Describe(value)} is a list"));
                }

                var path = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                if (path.Length == 0)
                {
                    throw new MaterialParameterException(material, p.Name, Bad("empty path"));
                }

                return path;
        }
    }

    /// <summary>One number of a Real, Integer or RealList parameter (RealList elements are always real).</summary>
    private static object Number(string material, ParameterInfo p, object value, Func<string, string> bad, string element)
    {
        double x = value switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new MaterialParameterException(material, p.Name, bad($"{element}{Describe(value)} is not a number")),
        };
        if (!double.IsFinite(x))
        {
            throw new MaterialParameterException(material, p.Name, bad($"{element}{x.ToString(CultureInfo.InvariantCulture)} is not finite"));
        }

        if (p.Kind == ParameterKind.Integer && Math.Abs(x - Math.Round(x)) > 0)
        {
            throw new MaterialParameterException(material, p.Name, bad($"{x.ToString(CultureInfo.InvariantCulture)} is not an integer"));
        }

        if (x < p.Minimum || x > p.Maximum)
        {
            throw new MaterialParameterException(material, p.Name, bad($"{element}{x.ToString("G6", CultureInfo.InvariantCulture)} is out of bounds"));
        }

        return p.Kind == ParameterKind.Integer ? (object)(long)Math.Round(x) : x;
    }

    /// <summary>A value as the user wrote it: 'text', a number, or [a, b] for a list.</summary>
    private static string Describe(object value) => value switch
    {
        string s => $"'{s}'",
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(v => v is null ? "null" : Describe(v))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => $"'{value}'",
    };
}
