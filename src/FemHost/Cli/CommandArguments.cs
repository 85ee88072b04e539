namespace FemHost.Cli;

/// <summary>
/// The arguments of one verb, split into positional values, repeatable <c>--option VALUE</c> pairs and
/// <c>--flag</c>s. A verb declares what it accepts; anything else is a <see cref="CliUsageException"/>.
/// </summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandArguments(string verb) => Verb = verb;

    /// <summary>The verb these arguments belong to (for messages).</summary>
    public string Verb { get; }

    /// <summary>Positional arguments in order.</summary>
    public IReadOnlyList<string> Positional { get; private set; } = [];

    /// <summary>Splits <paramref name="args"/>.</summary>
    /// <param name="verb">Verb name, for messages.</param>
    /// <param name="args">Arguments after the verb.</param>
    /// <param name="options">Options that take a value (e.g. "--plugin-dir").</param>
    /// <param name="flags">Options without a value (e.g. "--quiet").</param>
    public static CommandArguments Parse(string verb, IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        var result = new CommandArguments(verb);
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                positional.Add(a);
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? a[..eq] : a;
            if (options.Contains(name))
            {
                string value = eq > 0 ? a[(eq + 1)..]
                    : i + 1 < args.Count ? args[++i]
                    : throw new CliUsageException($"femhost {verb}: option {name} needs a value; see `femhost {verb} --help`");
                if (!result._options.TryGetValue(name, out var list))
                {
                    result._options[name] = list = [];
                }

                list.Add(value);
            }
            else if (flags.Contains(name) && eq < 0)
            {
                result._flags.Add(name);
            }
            else
            {
                var known = options.Concat(flags).ToList();
                throw new CliUsageException($"femhost {verb}: unknown option {name}; expected {(known.Count == 0 ? "no options" : string.Join(", ", known))} (see `femhost {verb} --help`)");
            }
        }

        result.Positional = positional;
        return result;
    }

    /// <summary>All values of a repeatable option.</summary>
    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var list) ? list : [];

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string flag) => _flags.Contains(flag);

    /// <summary>Exactly one positional argument, described as <paramref name="what"/>.</summary>
    public string Single(string what) => Positional.Count == 1 ? Positional[0]
        : throw new CliUsageException($"femhost {Verb}: expected exactly one argument, {what}; got {Positional.Count} (see `femhost {Verb} --help`)");

    /// <summary>Fails when positional arguments were given.</summary>
    public void NoPositional()
    {
        if (Positional.Count > 0)
        {
            throw new CliUsageException($"femhost {Verb}: unexpected argument '{Positional[0]}' (see `femhost {Verb} --help`)");
        }
    }
}
