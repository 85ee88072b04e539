using System.Diagnostics;

namespace FemHost.Tests.Support;

/// <summary>Starts the deployed host of the tests' configuration (<c>dotnet artifacts/femhost[-debug]/femhost.dll</c>) as a real process.</summary>
internal static class FemhostProcess
{
    /// <summary>Path of the deployed host.</summary>
    public static string HostDll => Path.Combine(RepoPaths.HostFolder, "femhost.dll");

    /// <summary>Starts `femhost ARGS` with its output redirected; <paramref name="environment"/> adds variables.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
    }

    /// <summary>Runs `femhost ARGS` to the end: exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"femhost {string.Join(' ', args)} did not finish in 2 minutes");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
