using System.Diagnostics;
using FemHost.MaterialSdk;
using Xunit.Abstractions;

namespace FemHost.UmatAdapter.Tests;

/// <summary>
/// The compile cache: a source is compiled once (keyed by its contents, the compiler and the flags) and found
/// again without compiling; concurrent compilations, in threads or processes, leave exactly one intact library.
/// Each test compiles a copy of umat_elastic.f90 made unique by a comment, so that its first use is a real compilation.
/// </summary>
public class CacheTests(ITestOutputHelper output)
{
    [Fact]
    public void A_source_is_compiled_once_and_recompiled_only_when_it_or_the_flags_change()
    {
        var (file, stem) = UniqueSource();
        try
        {
            var cold = Stopwatch.StartNew();
            Umat.Create(file, [1000, 0.3]).Dispose();
            cold.Stop();
            var library = Assert.Single(Libraries(stem));
            var written = File.GetLastWriteTimeUtc(library);

            var warm = Stopwatch.StartNew();
            Umat.Create(file, [1000, 0.3]).Dispose();
            warm.Stop();
            output.WriteLine($"first use (compile) {cold.Elapsed.TotalMilliseconds:F0} ms, second use (cache) {warm.Elapsed.TotalMilliseconds:F1} ms");
            Assert.Equal(library, Assert.Single(Libraries(stem)));
            Assert.Equal(written, File.GetLastWriteTimeUtc(library));

            // Another flag, then another content: a library each, the first kept.
            Umat.Create(file, [1000, 0.3], 0, ModellingHypothesis.PlaneStrain, ("fflags", "-fcheck=bounds")).Dispose();
            Assert.Equal(2, Libraries(stem).Length);
            File.AppendAllText(file, "! edited\n");
            Umat.Create(file, [1000, 0.3]).Dispose();
            Assert.Equal(3, Libraries(stem).Length);
            Assert.Contains(library, Libraries(stem));
        }
        finally
        {
            Clean(stem);
        }
    }

    [Fact]
    public void Threads_compiling_the_same_source_at_once_get_one_working_library()
    {
        var (file, stem) = UniqueSource();
        try
        {
            var stress = new double[8][];
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                using var model = Umat.Create(file, [1000, 0.3]);
                var h = new MaterialSdk.Testing.PointHarness(model, 1, new double[4], TangentKind.Consistent);
                stress[i] = h.Trial([1e-3, 0, 0, 0]).Stress;
            });
            Assert.Single(Libraries(stem));
            Assert.All(stress, s => Assert.Equal(1000 * 0.7 / (1.3 * 0.4) * 1e-3, s[0], 1e-12));
        }
        finally
        {
            Clean(stem);
        }
    }

    /// <summary>Two femhost processes compiling into a fresh cache at the same time: both succeed, one library results.</summary>
    [Fact]
    public async Task Processes_compiling_into_the_same_fresh_cache_at_once_do_not_corrupt_it()
    {
        var folder = Paths.TempFolder();
        var cache = Path.Combine(folder, "cache");
        File.Copy(Paths.Example("umat_vonmises.f90"), Path.Combine(folder, "umat.f90"));
        var path = SetupErrorTests.WriteCase(folder, "      file: umat.f90\n      props: [1000, 0.3, 2.4, 0]\n      nstatv: 1\n");
        var env = new Dictionary<string, string> { ["FEMHOST_UMAT_CACHE"] = cache };
        var clock = Stopwatch.StartNew();
        var processes = Enumerable.Range(0, 3).Select(_ => Femhost.Start(env, "validate", path, "--plugin-dir", Paths.HostPlugins)).ToList();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var p in processes)
        {
            var stdout = p.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = p.StandardError.ReadToEndAsync(limit.Token);
            await p.WaitForExitAsync(limit.Token);
            Assert.True(p.ExitCode == 0, await stdout + await stderr);
            p.Dispose();
        }

        output.WriteLine($"3 concurrent validations into a fresh cache: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Single(Directory.GetFiles(cache, "umat-*.so"));
        Assert.Single(Directory.GetFiles(cache, "libfemhost_abaqus-*.so"));
        Assert.Empty(Directory.GetDirectories(cache, "tmp-*"));

        // A later process finds everything in place and compiles nothing.
        var before = Directory.GetFiles(cache, "*.so").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var (code, _, err) = Femhost.Process(env, "validate", path, "--plugin-dir", Paths.HostPlugins);
        Assert.True(code == 0, err);
        Assert.Equal(before, Directory.GetFiles(cache, "*.so").ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }

    private static (string File, string Stem) UniqueSource()
    {
        var stem = $"umat_cachetest_{Guid.NewGuid():N}";
        var file = Paths.TempFile(stem + ".f90", File.ReadAllText(Paths.Example("umat_elastic.f90")) + $"! {stem}\n");
        return (file, stem);
    }

    private static string[] Libraries(string stem) => Directory.GetFiles(Paths.Cache, stem + "-*.so");

    private static void Clean(string stem)
    {
        foreach (var f in Directory.Exists(Paths.Cache) ? Libraries(stem) : [])
        {
            File.Delete(f);
        }
    }
}
