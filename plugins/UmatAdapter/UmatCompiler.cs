using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FemHost.Materials.UmatAdapter;

/// <summary>A mistake in the setup of a UMAT (a compiler, a source, a library): the plug-in reports it as a parameter error.</summary>
/// <param name="key">The parameter the problem belongs to (file, fflags, props, nstatv).</param>
/// <param name="message">What is wrong and what is expected, one paragraph.</param>
internal sealed class UmatSetupException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>The GNU Fortran compiler found for this process.</summary>
/// <param name="Executable">Full path of the driver.</param>
/// <param name="Identity">First line of <c>--version</c> and the target triple: part of every cache key.</param>
internal sealed record FortranCompiler(string Executable, string Identity);

/// <summary>A compiled (or cached) UMAT library.</summary>
/// <param name="Library">The shared library in the cache.</param>
/// <param name="Compiled">Whether this call compiled it (false: it was in the cache).</param>
/// <param name="Elapsed">Time spent in this call (hashing, and compiling when <paramref name="Compiled"/>).</param>
internal sealed record CompiledUmat(string Library, bool Compiled, TimeSpan Elapsed);

/// <summary>
/// Compiles UMAT sources with gfortran into a cache of shared libraries, keyed by a SHA-256 hash of the source,
/// the files it includes, FemHost's ABA_PARAM.INC, the compiler's identity and the flags: an unchanged source is
/// compiled once per machine, an edited one again. Each compilation runs in a private temporary folder inside the
/// cache and is renamed into place (an atomic rename(2) on the same file system), so concurrent runs never see a
/// half-written library and never corrupt one another's. The support library (femhost_abaqus.c: XIT, STDB_ABQERR,
/// STOP, the call trampoline) and the include folder are cached the same way.
/// </summary>
internal static class UmatCompiler
{
    /// <summary>Environment variable naming the gfortran driver to use (default: <c>gfortran</c> on PATH).</summary>
    public const string CompilerVariable = "FEMHOST_GFORTRAN";

    /// <summary>Environment variable naming the cache folder (default: $XDG_CACHE_HOME/femhost/umat or ~/.cache/femhost/umat).</summary>
    public const string CacheVariable = "FEMHOST_UMAT_CACHE";

    /// <summary>
    /// Flags of every UMAT compilation: a position-independent shared library, optimised without changing the
    /// arithmetic (no -ffast-math), and -frecursive so that local variables live on the stack (a UMAT without SAVE
    /// or COMMON is then reentrant). gfortran's defaults otherwise: fixed form for .f/.for, free form for .f90.
    /// </summary>
    public static readonly IReadOnlyList<string> Flags = ["-shared", "-fPIC", "-O2", "-frecursive"];

    private const string KeyVersion = "femhost-umat-cache 1";
    private static readonly ConcurrentDictionary<string, FortranCompiler> Compilers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, object> KeyLocks = new(StringComparer.Ordinal);

    /// <summary>The cache folder, created if missing.</summary>
    public static string CacheFolder()
    {
        var folder = Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured ? Path.GetFullPath(configured)
            : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg) ? Path.Combine(xdg, "femhost", "umat")
            : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache", "femhost", "umat")
            : Path.Combine(Path.GetTempPath(), "femhost-umat-cache");
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UmatSetupException("file", $"cannot create the UMAT cache folder {folder} ({e.Message}); expected a writable folder " +
                $"(set {CacheVariable} to one)");
        }
    }

    /// <summary>The compiler, found once per process (throws <see cref="UmatSetupException"/> when there is none).</summary>
    public static FortranCompiler Compiler(string forWhat)
    {
        var name = Environment.GetEnvironmentVariable(CompilerVariable) is { Length: > 0 } n ? n : "gfortran";
        var path = Resolve(name) ?? throw new UmatSetupException("file",
            $"cannot {forWhat}: the GNU Fortran compiler '{name}' was not found " +
            (name == "gfortran" ? "on PATH" : $"({CompilerVariable}={name})") +
            "; expected gfortran installed (as root: apt-get install gfortran, which scripts/setup.sh does), " +
            $"{CompilerVariable} naming it, or a prebuilt shared library (.so) in 'file'");
        return Compilers.GetOrAdd(path, p =>
        {
            var (code, stdout, stderr) = Run(p, ["--version"], Path.GetTempPath(), TimeSpan.FromSeconds(30));
            var (_, machine, _) = Run(p, ["-dumpmachine"], Path.GetTempPath(), TimeSpan.FromSeconds(30));
            var first = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (code != 0 || first is null)
            {
                throw new UmatSetupException("file", $"cannot {forWhat}: '{p} --version' failed ({FirstLines(stderr + stdout, 2)}); expected a working gfortran");
            }

            return new FortranCompiler(p, $"{first} ({machine.Trim()})");
        });
    }

    /// <summary>
    /// The cached library of <paramref name="source"/> compiled with <paramref name="extraFlags"/>, compiling it
    /// first if the cache lacks it. A source that does not compile is a <see cref="UmatSetupException"/> that
    /// quotes gfortran's first error lines.
    /// </summary>
    public static CompiledUmat Compile(string source, IReadOnlyList<string> lines, IReadOnlyList<string> extraFlags)
    {
        var clock = Stopwatch.StartNew();
        var compiler = Compiler($"compile {source}");
        var cache = CacheFolder();
        var include = IncludeFolder(cache);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add(KeyVersion);
        Add(compiler.Identity);
        Add(string.Join(' ', Flags.Concat(extraFlags)));
        hash.AppendData(Resource("ABA_PARAM.INC"));
        hash.AppendData(File.ReadAllBytes(source));
        foreach (var included in UmatSource.Includes(source, lines))
        {
            Add(Path.GetFileName(included));
            hash.AppendData(File.ReadAllBytes(included));
        }

        var key = Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant();
        var target = Path.Combine(cache, $"{Sanitize(Path.GetFileNameWithoutExtension(source))}-{key}.so");
        lock (KeyLocks.GetOrAdd(target, _ => new object()))
        {
            if (File.Exists(target))
            {
                return new CompiledUmat(target, false, clock.Elapsed);
            }

            InPrivateFolder(cache, target, tmp =>
            {
                var output = Path.Combine(tmp, "umat.so");
                var args = Flags.Concat(["-fdiagnostics-plain-output", "-fno-diagnostics-color", "-J", tmp, "-I", include])
                    .Concat(extraFlags).Concat([source, "-o", output]).ToList();
                var (code, stdout, stderr) = Run(compiler.Executable, args, tmp, TimeSpan.FromMinutes(5));
                if (code != 0 || !File.Exists(output))
                {
                    throw new UmatSetupException(extraFlags.Count > 0 && !stderr.Contains(source, StringComparison.Ordinal) ? "fflags" : "file",
                        $"gfortran could not compile {source}: {ErrorLines(stderr + stdout)}; expected a UMAT source that " +
                        $"`gfortran {string.Join(' ', Flags.Concat(extraFlags))}` compiles ({compiler.Identity})");
                }

                return output;
            });
            return new CompiledUmat(target, true, clock.Elapsed);
        }
    }

    /// <summary>The support library (femhost_abaqus.c) for <paramref name="compiler"/>, compiled once into the cache.</summary>
    public static string SupportLibrary(FortranCompiler compiler)
    {
        var cache = CacheFolder();
        var source = Resource("femhost_abaqus.c");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{KeyVersion}\n{compiler.Identity}\n"));
        hash.AppendData(source);
        var key = Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant();
        var target = Path.Combine(cache, $"libfemhost_abaqus-{key}.so");
        lock (KeyLocks.GetOrAdd(target, _ => new object()))
        {
            if (!File.Exists(target))
            {
                InPrivateFolder(cache, target, tmp =>
                {
                    var c = Path.Combine(tmp, "femhost_abaqus.c");
                    File.WriteAllBytes(c, source);
                    var output = Path.Combine(tmp, "libfemhost_abaqus.so");
                    var (code, stdout, stderr) = Run(compiler.Executable,
                        ["-shared", "-fPIC", "-O2", "-x", "c", c, "-Wl,--as-needed", "-o", output], tmp, TimeSpan.FromMinutes(2));
                    return code == 0 && File.Exists(output) ? output : throw new UmatSetupException("file",
                        $"gfortran could not build FemHost's Abaqus support library: {ErrorLines(stderr + stdout)}; expected a gfortran " +
                        "whose driver also compiles C (Debian's gfortran package brings gcc)");
                });
            }
        }

        return target;
    }

    /// <summary>The folder holding FemHost's ABA_PARAM.INC (passed to every compilation with -I).</summary>
    public static string IncludeFolder(string cache)
    {
        var content = Resource("ABA_PARAM.INC");
        var key = Convert.ToHexString(SHA256.HashData(content), 0, 8).ToLowerInvariant();
        var folder = Path.Combine(cache, $"include-{key}");
        var file = Path.Combine(folder, "ABA_PARAM.INC");
        if (File.Exists(file))
        {
            return folder;
        }

        var tmp = Path.Combine(cache, $"tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        File.WriteAllBytes(Path.Combine(tmp, "ABA_PARAM.INC"), content);
        try
        {
            Directory.Move(tmp, folder);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process put the same folder in place first.
            Directory.Delete(tmp, recursive: true);
        }

        return folder;
    }

    /// <summary>The bytes of an embedded file (the support source, ABA_PARAM.INC).</summary>
    public static byte[] Resource(string name)
    {
        using var stream = typeof(UmatCompiler).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from the Umat plug-in");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="build"/> in a fresh folder inside the cache and renames the file it returns to
    /// <paramref name="target"/>; the folder is removed whatever happens.
    /// </summary>
    private static void InPrivateFolder(string cache, string target, Func<string, string> build)
    {
        var tmp = Path.Combine(cache, $"tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            var built = build(tmp);
            File.Move(built, target, overwrite: true);
        }
        finally
        {
            try
            {
                Directory.Delete(tmp, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder costs disk space only.
            }
        }
    }

    /// <summary>The first error lines of gfortran's output, joined into one paragraph.</summary>
    internal static string ErrorLines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("Error:", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal)
            || l.Contains("undefined reference", StringComparison.Ordinal) || l.StartsWith("Fatal", StringComparison.Ordinal)).ToList();
        var shown = (errors.Count > 0 ? errors : lines.ToList()).Take(5).ToList();
        int more = (errors.Count > 0 ? errors.Count : lines.Length) - shown.Count;
        return shown.Count == 0 ? "no message"
            : string.Join("; ", shown) + (more > 0 ? string.Create(CultureInfo.InvariantCulture, $"; ... ({more} more)") : "");
    }

    private static string FirstLines(string text, int n) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(n));

    private static string Sanitize(string stem)
    {
        var clean = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray());
        return clean.Length == 0 ? "umat" : clean[..Math.Min(clean.Length, 60)];
    }

    /// <summary>The full path of an executable: as given when it has a '/', else the first match on PATH.</summary>
    private static string? Resolve(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int Code, string Out, string Err) Run(string exe, IEnumerable<string> args, string folder, TimeSpan limit)
    {
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // English messages, so the error lines the plug-in quotes read the same everywhere.
        start.Environment["LC_ALL"] = "C";
        using var p = Process.Start(start) ?? throw new UmatSetupException("file", $"cannot start {exe}; expected an executable gfortran");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new UmatSetupException("file", $"{exe} {string.Join(' ', args)} did not finish in {limit.TotalMinutes:G3} minutes; expected a compilation that ends");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
