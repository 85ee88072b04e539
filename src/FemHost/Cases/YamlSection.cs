using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace FemHost.Cases;

/// <summary>
/// A YAML mapping read for one section of an input file, with typed accessors that report
/// "file:line:column: what is wrong; expected ..." (<see cref="UserInputException"/>). Every section
/// declares its allowed keys first, so a misspelt key is caught with a suggestion.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation> _keyLocations = new(StringComparer.Ordinal);

    private YamlSection(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
        foreach (var (key, value) in node.Children)
        {
            var name = key is YamlScalarNode s ? s.Value ?? "" : throw UserInputException.At(Locate(file, key), $"{Describe(path)}: a key must be a plain word; expected a mapping of words to values");
            _entries[name] = value;
            _keyLocations[name] = Locate(file, key);
        }
    }

    /// <summary>File name used in messages.</summary>
    public string File { get; }

    /// <summary>Dotted path of this section, e.g. "materials.soil" (empty at the root).</summary>
    public string Path { get; }

    /// <summary>Location of the mapping itself.</summary>
    public SourceLocation Where => Locate(File, _node);

    /// <summary>Keys in file order.</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>Parses a whole YAML file into its root mapping.</summary>
    public static YamlSection LoadFile(string path, string what)
    {
        string text = InputFile.ReadText(path, $"the {what}", "a readable YAML file", InputFile.MaxYamlBytes);

        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            // The representation model builds nodes recursively: a hostile file nested 100 000 levels deep would
            // overflow the stack, which no handler can catch. The parser itself is iterative, so one pass over
            // its events bounds the depth first.
            CheckDepth(path, what, parser);
            parser = new Parser(new StringReader(text));
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var where = new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column);
            if (Innermost(e).Message.Contains("tab", StringComparison.Ordinal) && FirstIndentingTab(text) is { } tab)
            {
                // YamlDotNet marks the start of the enclosing mapping; the user needs the tab itself.
                where = new SourceLocation(path, tab.Line, tab.Column);
            }

            throw new UserInputException($"{where}: YAML syntax error: {Innermost(e).Message}; expected valid YAML (indent with spaces, 'key: value' pairs, '- item' lists)", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this, without a mark, for a flow collection left open at the end of the file.
            var last = parser.Current?.End;
            var where = last is { } m ? new SourceLocation(path, (int)m.Line, (int)m.Column) : new SourceLocation(path, 1, 1);
            throw new UserInputException($"{where}: YAML syntax error after this point: the file ends inside an unclosed '[', '{{' or quote; expected valid YAML (close every bracket and quote)", e);
        }

        if (stream.Documents.Count == 0)
        {
            throw UserInputException.At(new SourceLocation(path, 1, 1), $"the {what} is empty; expected a YAML mapping (see docs/cases.md)");
        }

        if (stream.Documents.Count > 1)
        {
            throw UserInputException.At(Locate(path, stream.Documents[1].RootNode), $"the {what} holds several YAML documents; expected exactly one");
        }

        var root = stream.Documents[0].RootNode;
        return root is YamlMappingNode map ? new YamlSection(path, "", map)
            : throw UserInputException.At(Locate(path, root), $"the {what} must be a mapping of sections; expected 'key: value' lines at the top level");
    }

    /// <summary>Wraps a mapping node found under <paramref name="path"/>.</summary>
    public static YamlSection Of(string file, string path, YamlNode node) => node is YamlMappingNode map ? new YamlSection(file, path, map)
        : throw UserInputException.At(Locate(file, node), $"{Describe(path)} must be a mapping; expected 'key: value' entries");

    /// <summary>Rejects any key not in <paramref name="allowed"/>, suggesting the closest allowed key.</summary>
    public YamlSection Allow(params string[] allowed)
    {
        foreach (var key in _entries.Keys)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                var suggestion = KeySuggestion.Closest(key, allowed);
                var hint = suggestion is null ? "" : $"did you mean '{suggestion}'? ";
                throw UserInputException.At(_keyLocations[key], $"unknown key '{key}' in {Describe(Path)}; {hint}expected one of: {string.Join(", ", allowed)}");
            }
        }

        return this;
    }

    /// <summary>Whether the key is present (with any value, even null).</summary>
    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>Location of a key's value (or of the section when absent).</summary>
    public SourceLocation At(string key) => _entries.TryGetValue(key, out var node) ? Locate(File, node) : Where;

    /// <summary>Location of a key itself (or of the section when absent).</summary>
    public SourceLocation KeyAt(string key) => _keyLocations.TryGetValue(key, out var where) ? where : Where;

    /// <summary>Dotted path of a child key.</summary>
    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The raw node of a key, or null.</summary>
    public YamlNode? Node(string key) => _entries.GetValueOrDefault(key);

    /// <summary>A required key's node.</summary>
    public YamlNode Required(string key, string expected) => _entries.TryGetValue(key, out var node) && !IsNull(node) ? node
        : throw UserInputException.At(Where, $"{Describe(Path)} is missing '{key}'; expected {expected}");

    /// <summary>A nested mapping.</summary>
    public YamlSection Section(string key) => Of(File, Child(key), Required(key, "a mapping"));

    /// <summary>A nested mapping, or null when absent.</summary>
    public YamlSection? OptionalSection(string key) => Node(key) is { } n && !IsNull(n) ? Of(File, Child(key), n) : null;

    /// <summary>A nested list (empty when absent).</summary>
    public IReadOnlyList<YamlNode> List(string key)
    {
        if (Node(key) is not { } node || IsNull(node))
        {
            return [];
        }

        return node is YamlSequenceNode seq ? seq.Children.ToList()
            : throw UserInputException.At(Locate(File, node), $"'{Child(key)}' must be a list; expected entries starting with '- '");
    }

    /// <summary>A required number.</summary>
    public double Double(string key) => ScalarDouble(File, Child(key), Required(key, "a number"));

    /// <summary>An optional number.</summary>
    public double Double(string key, double fallback) => Node(key) is { } n && !IsNull(n) ? ScalarDouble(File, Child(key), n) : fallback;

    /// <summary>An optional number that may stay unset (null).</summary>
    public double? OptionalDouble(string key) => Node(key) is { } n && !IsNull(n) ? ScalarDouble(File, Child(key), n) : null;

    /// <summary>A required integer in [min, max].</summary>
    public int Int(string key, int min = int.MinValue, int max = int.MaxValue) => ScalarInt(File, Child(key), Required(key, "an integer"), min, max);

    /// <summary>An optional integer in [min, max].</summary>
    public int Int(string key, int fallback, int min, int max) => Node(key) is { } n && !IsNull(n) ? ScalarInt(File, Child(key), n, min, max) : fallback;

    /// <summary>An optional boolean (true/false).</summary>
    public bool Bool(string key, bool fallback)
    {
        if (Node(key) is not { } n || IsNull(n))
        {
            return fallback;
        }

        var text = ScalarText(File, Child(key), n, "true or false");
        return text switch
        {
            "true" or "True" or "yes" or "on" => true,
            "false" or "False" or "no" or "off" => false,
            _ => throw UserInputException.At(Locate(File, n), $"'{Child(key)}' is '{text}'; expected true or false"),
        };
    }

    /// <summary>A required text value.</summary>
    public string Text(string key) => ScalarText(File, Child(key), Required(key, "a text value"), "a text value");

    /// <summary>An optional text value.</summary>
    public string? OptionalText(string key) => Node(key) is { } n && !IsNull(n) ? ScalarText(File, Child(key), n, "a text value") : null;

    /// <summary>One word out of a fixed vocabulary (e.g. "plane_strain"), mapped to a value.</summary>
    public T Word<T>(string key, T fallback, IReadOnlyDictionary<string, T> words)
    {
        if (Node(key) is not { } n || IsNull(n))
        {
            return fallback;
        }

        return Word(File, Child(key), n, words);
    }

    /// <summary>One word of a vocabulary from any scalar node.</summary>
    public static T Word<T>(string file, string path, YamlNode node, IReadOnlyDictionary<string, T> words)
    {
        var text = ScalarText(file, path, node, "one of " + string.Join(", ", words.Keys));
        if (words.TryGetValue(text, out var value))
        {
            return value;
        }

        var suggestion = KeySuggestion.Closest(text, words.Keys);
        var hint = suggestion is null ? "" : $"did you mean '{suggestion}'? ";
        throw UserInputException.At(Locate(file, node), $"'{path}' is '{text}'; {hint}expected one of: {string.Join(", ", words.Keys)}");
    }

    /// <summary>A list of numbers with a fixed count (or any count when <paramref name="count"/> is 0).</summary>
    public static IReadOnlyList<double> Numbers(string file, string path, YamlNode node, int count)
    {
        var expected = count > 0 ? $"a list of {count} numbers, e.g. [{string.Join(", ", Enumerable.Repeat("0", count))}]" : "a list of numbers";
        if (node is not YamlSequenceNode seq)
        {
            throw UserInputException.At(Locate(file, node), $"'{path}' must be a list; expected {expected}");
        }

        if (count > 0 && seq.Children.Count != count)
        {
            throw UserInputException.At(Locate(file, node), $"'{path}' has {seq.Children.Count} values; expected {expected}");
        }

        return seq.Children.Select((c, i) => ScalarDouble(file, $"{path}[{i}]", c)).ToList();
    }

    /// <summary>A number from a scalar node.</summary>
    public static double ScalarDouble(string file, string path, YamlNode node)
    {
        var text = ScalarText(file, path, node, "a number");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? x
            : throw UserInputException.At(Locate(file, node), $"'{path}' is '{text}'; expected a finite number such as 100 or 1.5e-3");
    }

    /// <summary>An integer in [min, max] from a scalar node.</summary>
    public static int ScalarInt(string file, string path, YamlNode node, int min, int max)
    {
        var text = ScalarText(file, path, node, "an integer");
        var range = (min, max) switch
        {
            (int.MinValue, int.MaxValue) => "an integer",
            (_, int.MaxValue) => $"an integer ≥ {min}",
            _ => $"an integer in [{min}, {max}]",
        };
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k))
        {
            throw UserInputException.At(Locate(file, node), $"'{path}' is '{text}'; expected {range}");
        }

        return k >= min && k <= max ? k : throw UserInputException.At(Locate(file, node), $"'{path}' is {k}; expected {range}");
    }

    /// <summary>The text of a scalar node; lists and mappings are errors.</summary>
    public static string ScalarText(string file, string path, YamlNode node, string expected) => node switch
    {
        YamlScalarNode { Value: { } v } => v,
        YamlScalarNode => "",
        YamlSequenceNode => throw UserInputException.At(Locate(file, node), $"'{path}' is a list; expected {expected}"),
        _ => throw UserInputException.At(Locate(file, node), $"'{path}' is a mapping; expected {expected}"),
    };

    /// <summary>Whether a node is YAML null (~, null, or nothing after the colon).</summary>
    public static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The 1-based location of a node.</summary>
    public static SourceLocation Locate(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>Deepest nesting of mappings and lists accepted in an input file (a case nests 4 levels).</summary>
    public const int MaxDepth = 64;

    private static void CheckDepth(string path, string what, Parser parser)
    {
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    var at = parser.Current.Start;
                    throw UserInputException.At(new SourceLocation(path, (int)at.Line, (int)at.Column),
                        $"the {what} nests mappings and lists more than {MaxDepth} levels deep here; expected a case of a few levels (see docs/cases.md)");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static string Describe(string path) => path.Length == 0 ? "the top level" : $"'{path}'";

    /// <summary>Line and column (1-based) of the first tab in a line's leading white space, or null.</summary>
    private static (int Line, int Column)? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int column = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (column >= 0 && lines[i][..column].Trim().Length == 0)
            {
                return (i + 1, column + 1);
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is YamlException inner)
        {
            e = inner;
        }

        return e;
    }
}
