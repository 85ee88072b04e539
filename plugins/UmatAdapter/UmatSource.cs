using System.Text.RegularExpressions;

namespace FemHost.Materials.UmatAdapter;

/// <summary>
/// An optional declaration in a UMAT source of the PROPS and STATEV it uses, in comment lines FemHost reads
/// (any comment style gfortran accepts, anywhere in the file; several lines of one kind add up):
/// <code>
/// ! femhost: props = E nu sigma_y H
/// ! femhost: statev = eqps
/// </code>
/// With a declaration, a case whose <c>props</c> or <c>nstatv</c> disagree is refused before anything runs,
/// and the state variables carry the declared names in the outputs.
/// </summary>
/// <param name="Props">Declared PROPS names in order, or null when the source declares none.</param>
/// <param name="PropsLine">1-based line of the first props declaration.</param>
/// <param name="Statev">Declared STATEV names in order, or null.</param>
/// <param name="StatevLine">1-based line of the first statev declaration.</param>
internal sealed record UmatDeclarations(IReadOnlyList<string>? Props, int PropsLine, IReadOnlyList<string>? Statev, int StatevLine)
{
    public static UmatDeclarations None { get; } = new(null, 0, null, 0);
}

/// <summary>What a UMAT file is and what its source says about itself.</summary>
internal static partial class UmatSource
{
    /// <summary>Extensions gfortran compiles as Fortran (upper-case ones are run through the preprocessor).</summary>
    public static readonly IReadOnlyList<string> SourceExtensions = [".f", ".for", ".ftn", ".f77", ".f90", ".f95", ".f03", ".f08"];

    /// <summary>Whether <paramref name="path"/> names a Fortran source (by its extension, any case).</summary>
    public static bool IsSource(string path) =>
        SourceExtensions.Contains(Path.GetExtension(path).ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Whether <paramref name="path"/> names a shared library (<c>.so</c> or <c>.so.N</c>).</summary>
    public static bool IsLibrary(string path) => LibraryName().IsMatch(Path.GetFileName(path));

    /// <summary>Reads the <c>femhost: props = ...</c> and <c>femhost: statev = ...</c> comment lines.</summary>
    public static UmatDeclarations Declarations(IReadOnlyList<string> lines)
    {
        List<string>? props = null, statev = null;
        int propsLine = 0, statevLine = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            var m = Declaration().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            var names = m.Groups[2].Value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (m.Groups[1].Value.Equals("props", StringComparison.OrdinalIgnoreCase))
            {
                (props ??= []).AddRange(names);
                propsLine = propsLine == 0 ? i + 1 : propsLine;
            }
            else
            {
                (statev ??= []).AddRange(names);
                statevLine = statevLine == 0 ? i + 1 : statevLine;
            }
        }

        return new UmatDeclarations(props, propsLine, statev, statevLine);
    }

    /// <summary>
    /// Files the source includes (<c>INCLUDE 'name'</c>, <c>#include "name"</c>) that exist next to it: their
    /// contents are part of the cache key, so editing an included file recompiles.
    /// </summary>
    public static IEnumerable<string> Includes(string source, IReadOnlyList<string> lines)
    {
        var folder = Path.GetDirectoryName(source)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var m = Include().Match(line);
            if (m.Success && Path.GetFullPath(m.Groups[1].Value, folder) is var path && File.Exists(path) && seen.Add(path))
            {
                yield return path;
            }
        }
    }

    [GeneratedRegex(@"^\s*(?:!|[cC*](?=[\s!]))[\s!]*femhost\s*:\s*(props|statev)\s*=(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*(?:include|#\s*include)\s*['""<]([^'"">]+)['"">]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Include();

    [GeneratedRegex(@"\.so(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LibraryName();
}
