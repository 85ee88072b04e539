using FemHost.Cases;

namespace FemHost.Output;

/// <summary>
/// Creates a run's output folder and proves it writable before any work starts, so that a folder that
/// cannot be written (a path under /proc, a file used as a folder, no permission) is a user error
/// reported up front instead of a crash after the computation, with nothing half-written.
/// </summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> if needed and checks a file can be written in it.</summary>
    /// <param name="folder">Absolute folder path.</param>
    /// <param name="where">The case-file entry that named the folder, or <see cref="SourceLocation.None"/> (command line, default).</param>
    /// <param name="shownAs">The folder the message names, when <paramref name="folder"/> is only the way to it (its parent).</param>
    /// <exception cref="UserInputException">The folder cannot be created or written.</exception>
    public static void Prepare(string folder, SourceLocation where, string? shownAs = null)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".femhost-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string at = where.Line > 0 ? $"{where}: " : "";
            throw new UserInputException(
                $"{at}output folder '{shownAs ?? folder}' cannot be created or written ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); " +
                "expected a writable folder that is not an existing file: choose another output folder", e);
        }
    }
}
