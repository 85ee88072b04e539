using System.Diagnostics;

namespace FemHost.Tests.Support;

/// <summary>
/// A small RAM file system mounted for one test (mount -t tmpfs, which needs root): the only honest way to make a
/// disk full. Tests that need one are <see cref="TmpfsFactAttribute"/>s, reported as skipped, with the reason,
/// where it cannot be mounted (CI and the project's machines run as root, so there they run).
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on a fresh folder.</summary>
    public Tmpfs(int megabytes)
    {
        Folder = RepoPaths.TempFolder();
        var (code, output) = Exec("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", Folder);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs failed ({code}): {output}");
        }
    }

    /// <summary>The mount point.</summary>
    public string Folder { get; }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static string? Unavailable { get; } = Probe();

    /// <summary>Unmounts (lazily, so a file a failed test left open cannot keep it).</summary>
    public void Dispose() => Exec("umount", "-l", Folder);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs needs Linux";
        }

        try
        {
            using var probe = new Tmpfs(1);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot mount a tmpfs here (not root?): {e.Message}";
        }
    }

    private static (int Code, string Output) Exec(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Trim());
    }
}

/// <summary>A fact that needs <see cref="Tmpfs"/>: skipped with the reason where none can be mounted, never silently passed.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when a tmpfs cannot be mounted.</summary>
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
