using System.Diagnostics;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// scripts/setup.sh enables Debian's non-free component (for libmkl-rt) by adding it to the machine's own Debian
/// archive entries instead of writing a mirror host name of its own (issue 17, item 2). The edit is a function
/// that takes a file path, so it runs here on copies of sample files, without root and without touching /etc/apt.
/// Truth: the exact expected files, written out by hand from the Debian formats (sources.list(5)).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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

    /// <summary>
    /// The whole script as root, with apt-get, id and ldconfig replaced by fakes and /etc/apt under a temporary
    /// root (FEMHOST_SETUP_ROOT): it adds non-free to the machine's entry, installs libmkl-rt and gfortran; when the
    /// install fails it puts the sources back as they were and says what it skipped.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void As_root_it_adds_non_free_installs_mkl_and_gfortran_and_restores_the_sources_if_that_fails(bool aptFails)
    {
        var root = RepoPaths.TempFolder();
        var sources = Path.Combine(root, "etc", "apt", "sources.list.d", "debian.sources");
        Directory.CreateDirectory(Path.GetDirectoryName(sources)!);
        File.WriteAllText(sources, Deb822);
        var bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        var log = Path.Combine(root, "apt.log");
        void Fake(string name, string body)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Fake("id", "echo 0");
        Fake("ldconfig", "exit 0");
        Fake("apt-get", $"echo \"$*\" >> '{log}'\n[ -z \"$FAKE_APT_FAIL\" ]");
        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').First(d => File.Exists(Path.Combine(d, "dotnet")));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "setup.sh"));
        start.Environment["PATH"] = $"{bin}:{dotnet}:/usr/bin:/bin";
        start.Environment["FEMHOST_SETUP_ROOT"] = root;
        start.Environment["FEMHOST_GFORTRAN"] = "no-such-gfortran";
        if (aptFails)
        {
            start.Environment["FAKE_APT_FAIL"] = "1";
        }

        var (stdout, _) = Run(start);
        var calls = File.ReadAllLines(log);
        if (aptFails)
        {
            Assert.Equal(Deb822, File.ReadAllText(sources));
            Assert.Contains("could not install libmkl-rt", stdout, StringComparison.Ordinal);
            Assert.Contains("could not install gfortran", stdout, StringComparison.Ordinal);
            Assert.Equal(["update -qq", "update -qq", "update -qq"], calls);   // MKL's, the one after restoring, gfortran's
        }
        else
        {
            Assert.Equal(Deb822Expected, File.ReadAllText(sources));
            Assert.Contains("setup: Intel MKL installed", stdout, StringComparison.Ordinal);
            Assert.Contains("setup: gfortran installed", stdout, StringComparison.Ordinal);
            Assert.Equal(["update -qq", "install -y -qq --no-install-recommends libmkl-rt", "install -y -qq --no-install-recommends gfortran"], calls);
        }
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

        return Run(start);
    }

    /// <summary>Runs a process to the end; it must exit with 0. Returns standard output and error.</summary>
    private static (string Out, string Err) Run(ProcessStartInfo start)
    {
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "bash did not finish");
        Assert.True(p.ExitCode == 0, $"bash failed ({p.ExitCode}): {stderr.Result}");
        return (stdout.Result, stderr.Result);
    }
}
