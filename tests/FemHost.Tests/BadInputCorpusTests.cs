using System.Text.RegularExpressions;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// The bad-input corpus (tests/assets/bad-input, issue 7 item 3): every malformed case, point driver, mesh or
/// model file is a user error. Truth checked for each input: exit code 2; a one-paragraph message (one line,
/// no stack frame) that says what was expected and, where a location applies, names FILE:LINE[:COLUMN];
/// and nothing written to the output folder.
/// </summary>
public class BadInputCorpusTests
{
    /// <summary>Inputs whose mistake has no line in any file (a path on the file system); the message must still name the path.</summary>
    private static readonly Dictionary<string, string> Unlocated = new(StringComparer.Ordinal)
    {
        ["case-output-folder-under-proc.yaml"] = "/proc/femhost-out",
        ["case-output-folder-is-file.yaml"] = "case-output-folder-is-file.yaml/out",
        ["point-output-under-proc.yaml"] = "/proc/femhost-out",
    };

    private static string Corpus => Path.Combine(RepoPaths.Root, "tests", "assets", "bad-input");

    /// <summary>Every case (case-*.yaml, run with `femhost run`) and point driver (point-*.yaml, `femhost point`) of the corpus.</summary>
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Corpus, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(file!);
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_40_inputs_each_starting_with_a_comment_saying_what_is_wrong()
    {
        var files = Directory.GetFiles(Corpus).Where(f => !Path.GetFileName(f).StartsWith("good-", StringComparison.Ordinal)).ToArray();
        Assert.True(Inputs().Count >= 40, $"only {Inputs().Count} inputs");
        foreach (var file in files)
        {
            var head = File.ReadLines(file).Take(2).ToArray();
            bool commented = Path.GetExtension(file) switch
            {
                ".yaml" => head[0].StartsWith("# ", StringComparison.Ordinal),
                ".msh" => head[0].StartsWith("# ", StringComparison.Ordinal) || head[0] == "$Comments",
                ".json" => true, // JSON has no comments: the case that loads it says what is wrong
                ".f90" => head[0].StartsWith("! ", StringComparison.Ordinal),
                _ => false,
            };
            Assert.True(commented, $"{file} does not start with a comment");
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_malformed_input_is_a_located_one_paragraph_user_error_and_writes_nothing(string name)
    {
        // Each input runs in a private copy of the corpus, so its relative output folder 'out' is fresh.
        var folder = RepoPaths.TempFolder();
        foreach (var file in Directory.GetFiles(Corpus))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var input = Path.Combine(folder, name);
        var (code, _, err) = name.StartsWith("point-", StringComparison.Ordinal)
            ? FemhostCli.Run("point", input, "--plugin-dir", RepoPaths.HostPlugins)
            : FemhostCli.Run("run", input, "--plugin-dir", RepoPaths.HostPlugins, "--quiet");

        Assert.True(code == 2, $"exit code {code}: {err}");
        Assert.StartsWith("femhost: error: ", err, StringComparison.Ordinal);
        Assert.True(err.EndsWith('\n') && err.IndexOf('\n', StringComparison.Ordinal) == err.Length - 1, $"not one paragraph: {err}");
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"\bexpected\b", RegexOptions.IgnoreCase), err); // the "expected ..." clause, not "unexpected"
        if (Unlocated.TryGetValue(name, out var path))
        {
            Assert.Contains(path, err, StringComparison.Ordinal);
        }
        else
        {
            var located = new Regex($@"{Regex.Escape(folder)}/(?<file>[\w.-]+):(?<line>\d+)(:\d+)?: ").Match(err);
            Assert.True(located.Success, $"no FILE:LINE[:COLUMN] in: {err}");

            // Line 1 of every corpus file is the comment saying what is wrong, so a mistake located there is mislocated.
            bool commentOnly = File.ReadAllText(input).TrimEnd().Split('\n').Length == 1;
            Assert.True(located.Groups["file"].Value != name || commentOnly || located.Groups["line"].Value != "1", $"located on the comment line: {err}");
        }

        var output = Path.Combine(folder, "out");
        Assert.True(!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any(), $"{output} was written");
    }
}
