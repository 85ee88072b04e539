namespace FemHost.Output;

/// <summary>
/// A full disk (or a used-up quota) is an environment error, not a defect: the run stops cleanly with what it has,
/// and the message says so. .NET carries the Unix errno in <see cref="Exception.HResult"/> of the IOException.
/// </summary>
public static class DiskFull
{
    private const int NoSpace = 28;      // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is a full disk or quota.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is IOException { HResult: NoSpace or QuotaExceeded })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One line for the user: what ran out, and the system's own words with the file.</summary>
    public static string Describe(Exception e) =>
        $"no space left on the device (or disk quota exceeded) while writing results: {e.Message.ReplaceLineEndings(" ")}";
}
