namespace FemHost.Cases;

/// <summary>
/// The names an input file gives to what a run writes: the case or driver <c>name</c> and curve names become
/// file names (NAME.pvd, NAME_0001.vtu, CURVE.png), and <c>output</c> paths say where they go. An input file
/// may come from someone else, so none of these may reach outside the input file's folder or carry
/// characters a file name should not hold (a newline, a '/', a leading '-'): a name is one safe file-name
/// component, an output path a relative path of such components below the input file's folder. Results
/// meant for elsewhere are placed with the command line's <c>--output</c>, which is the user's own choice.
/// </summary>
public static class ResultPaths
{
    /// <summary>Longest name accepted (file systems allow 255 bytes; the suffixes added need room); <see cref="SafeNameRule"/> says it.</summary>
    public const int MaxNameLength = 100;

    /// <summary>What a safe name looks like, for messages.</summary>
    public const string SafeNameRule =
        "one file-name component of at most 100 ASCII letters, digits, '.', '_' or '-', not starting with '.' or '-'";

    /// <summary>Whether <paramref name="name"/> is one safe file-name component (see <see cref="SafeNameRule"/>).</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name[0] is not ('.' or '-') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>A safe name made from a file name (the default name of a case is its file name): other characters become '_'.</summary>
    public static string NameFromFile(string path)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
        stem = stem.TrimStart('.', '-');
        stem = stem.Length > MaxNameLength ? stem[..MaxNameLength] : stem;
        return stem.Length > 0 ? stem : "case";
    }

    /// <summary>Checks a name given at <paramref name="where"/> (a value of key <paramref name="key"/>).</summary>
    /// <exception cref="UserInputException">The name is not one safe file-name component.</exception>
    public static string Name(string name, string key, SourceLocation where) => IsSafeName(name) ? name
        : throw UserInputException.At(where, $"'{key}' is '{Printable(name)}', which cannot name result files; expected {SafeNameRule}");

    /// <summary>
    /// Resolves an output path given in an input file against the file's folder <paramref name="folder"/>.
    /// </summary>
    /// <exception cref="UserInputException">An absolute path, a '..' component or an unsafe component.</exception>
    public static string Below(string folder, string path, string key, SourceLocation where)
    {
        var components = path.Split('/');
        bool relative = path.Length > 0 && path[0] != '/' && components.All(c => c.Length == 0 || c == "." || IsSafeName(c));
        if (!relative || components.All(c => c.Length == 0 || c == "."))
        {
            throw UserInputException.At(where,
                $"'{key}' is '{Printable(path)}', which does not stay below the input file's folder; expected a relative path of names, each {SafeNameRule} " +
                "(no '..', not absolute), e.g. 'results/run1'; to write elsewhere use the command line's --output");
        }

        return Path.GetFullPath(path, folder);
    }

    /// <summary>The text with control characters shown as escapes, so a message stays one line.</summary>
    public static string Printable(string text)
    {
        var shown = string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return shown.Length > 120 ? shown[..120] + "…" : shown;
    }
}
