using System.Text.RegularExpressions;

namespace FemHost.Tests.Support;

/// <summary>What every refused input must look like on the command line (docs/errors.md).</summary>
internal static class UserError
{
    /// <summary>
    /// Exit code <paramref name="expectedCode"/> (2 a user error, 3 a run stopped), a message of one paragraph starting
    /// with <c>femhost: error:</c> (or <c>femhost: stopped:</c>), without a stack frame, that says what was expected.
    /// </summary>
    public static void AssertOneParagraph(int code, string err, int expectedCode = 2)
    {
        Assert.True(code == expectedCode, $"exit code {code}, expected {expectedCode}: {err}");
        Assert.StartsWith(expectedCode == 2 ? "femhost: error: " : "femhost: stopped: ", err, StringComparison.Ordinal);
        Assert.True(err.EndsWith('\n') && err.IndexOf('\n', StringComparison.Ordinal) == err.Length - 1, $"not one paragraph: {err}");
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"\bexpected\b|\bfree space\b", RegexOptions.IgnoreCase), err);
    }
}
