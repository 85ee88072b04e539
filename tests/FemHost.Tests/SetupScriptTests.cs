using System.Diagnostics;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// scripts/setup.sh enables Debian's non-free component (for libmkl-rt) by adding it to the machine's own Debian
/// archive entries instead of writing a mirror host name of its own (issue 17, item 2). The edit is a function
/// that takes a file path, so it runs here on copies of sample files, without root and without touching /etc/apt.
/// Truth: the exact expected files, written out by hand from the Debian formats (sources.list(5)).
/// </summary>
public class SetupScriptTests
{
    private const string Deb822 = """
        Types: deb
        # http://snapshot.debian.org/archive/debian/20250520T000000Z
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://deb.debian.org/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: https://packages.sury.org/php/
        Suites: bookworm
        Components: main

        Types: deb deb-src
        URIs: http://ftp.de.debian.org/debian/
        Suites: bookworm-backports
        Components: main
        Enabled: no

        Types: deb
        URIs: http://mirror.example.org/debian/
        Suites: bookworm
        Components: main contrib non-free-firmware

        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bullseye
        Components: main

        """;

    // Expected: non-free added to the Debian archive stanzas for bookworm suites that list main (deb.debian.org,
    // its security archive, a mirror; non-free-firmware is another component); the third-party repository with
    // suite bookworm, the disabled stanza and the bullseye stanza stay as they were.
    private static readonly string Deb822Expected = Deb822
        .Replace("Suites: bookworm bookworm-updates\nComponents: main\n", "Suites: bookworm bookworm-updates\nComponents: main non-free\n", StringComparison.Ordinal)
        .Replace("Suites: bookworm-security\nComponents: main\n", "Suites: bookworm-security\nComponents: main non-free\n", StringComparison.Ordinal)
        .Replace("Components: main contrib non-free-firmware\n", "Components: main contrib non-free-firmware non-free\n", StringComparison.Ordinal);

    private const string OneLine = """
        # deb http://deb.debian.org/debian bookworm main
        deb http://deb.debian.org/debian bookworm main
        deb-src [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.org/debian/ bookworm-updates main contrib   # updates
        deb http://security.debian.org/debian-security bookworm-security main non-free
        deb https://packages.sury.org/php/ bookworm main
        deb http://deb.debian.org/debian bullseye main
        deb http://snapshot.debian.org/archive/debian/20250520T000000Z bookworm main
        """;

    private const string OneLineExpected = """
        # deb http://deb.debian.org/debian bookworm main
        deb http://deb.debian.org/debian bookworm main non-free
        deb-src [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.org/debian/ bookworm-updates main contrib non-free   # updates
        deb http://security.debian.org/debian-security bookworm-security main non-free
        deb https://packages.sury.org/php/ bookworm main
        deb http://deb.debian.org/debian bullseye main
        deb http://snapshot.debian.org/archive/debian/20250520T000000Z bookworm main non-free
        """;

    [Fact]
    public void Non_free_is_added_to_the_existing_debian_entries_of_a_deb822_file_and_nothing_else_changes()
    {
        var file = RepoPaths.TempFile("debian.sources", Deb822);
        Assert.False(Listed(file));
        Bash("enable_non_free \"$1\"", file);
        Assert.Equal(Deb822Expected, File.ReadAllText(file));
        Assert.True(Listed(file));

        // Idempotent: a second run leaves the file byte for byte (and does not even rewrite it).
        var written = File.GetLastWriteTimeUtc(file);
        File.SetLastWriteTimeUtc(file, written.AddMinutes(-5));
        Bash("enable_non_free \"$1\"", file);
        Assert.Equal(Deb822Expected, File.ReadAllText(file));
        Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public void Non_free_is_appended_to_one_line_entries_keeping_options_comments_and_a_missing_final_newline()
    {
        var file = RepoPaths.TempFile("sources.list", OneLine);   // the raw string has no final newline
        Assert.True(Listed(file));                                // the security line already lists non-free
        Bash("enable_non_free \"$1\"", file);
        Assert.Equal(OneLineExpected, File.ReadAllText(file));
        Bash("enable_non_free \"$1\"", file);
        Assert.Equal(OneLineExpected, File.ReadAllText(file));

        var bare = RepoPaths.TempFile("sources.list", "deb http://deb.debian.org/debian bookworm main contrib\n");
        Assert.False(Listed(bare));
        Bash("enable_non_free \"$1\"", bare);
        Assert.Equal("deb http://deb.debian.org/debian bookworm main contrib non-free\n", File.ReadAllText(bare));
        Assert.True(Listed(bare));
    }

    [Fact]
    public void A_failed_install_restores_the_original_files()
    {
        var sources = RepoPaths.TempFile("debian.sources", Deb822);
        var list = Path.Combine(Path.GetDirectoryName(sources)!, "sources.list");
        File.WriteAllText(list, OneLine);
        File.SetLastWriteTimeUtc(sources, new DateTime(2025, 5, 20, 0, 0, 0, DateTimeKind.Utc));
        var (edited, _) = Bash("""
            backup_sources "$1" "$2" /nonexistent/sources.list
            enable_non_free "$1"; enable_non_free "$2"
            cat "$1"
            false || restore_sources
            [ -z "$SOURCES_BACKUP" ] && echo restored
            """, sources, list);
        Assert.Contains("Components: main non-free", edited, StringComparison.Ordinal);
        Assert.EndsWith("restored\n", edited, StringComparison.Ordinal);
        Assert.Equal(Deb822, File.ReadAllText(sources));
        Assert.Equal(OneLine, File.ReadAllText(list));
        Assert.Equal(new DateTime(2025, 5, 20, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(sources));
    }

    [Fact]
    public void The_script_names_no_mirror_of_its_own()
    {
        // Item 2 of issue 17: the machine's sources decide the mirror; the script must not bring one.
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "setup.sh"));
        Assert.DoesNotContain("deb.debian.org", script, StringComparison.Ordinal);
        Assert.DoesNotContain("non-free.list", script, StringComparison.Ordinal);
        Assert.Contains("apt_install gfortran", script, StringComparison.Ordinal);
    }

    private static bool Listed(string file) => Bash("non_free_listed_in \"$1\" && echo yes || echo no", file).Out.Trim() == "yes";

    /// <summary>Sources scripts/setup.sh (which then defines its functions and runs nothing) and runs <paramref name="script"/>.</summary>
    private static (string Out, string Err) Bash(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{Path.Combine(RepoPaths.Root, "scripts", "setup.sh")}'\n{script}");
        start.ArgumentList.Add("setup-test");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "bash did not finish");
        Assert.True(p.ExitCode == 0, $"bash failed ({p.ExitCode}): {stderr.Result}");
        return (stdout.Result, stderr.Result);
    }
}
