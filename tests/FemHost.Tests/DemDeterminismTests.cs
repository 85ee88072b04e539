using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Determinism of an FD-HMM run (issue 7 item 4, issue 9). Truth checked: a boundary value problem with a
/// DEM RVE at every Gauss point gives byte-identical results (curves, fields, the Newton log and the
/// material-point log with every RVE's stress, tangent and micro state) across runs and whatever the number
/// of threads of the host and of the plug-in. DEM is chaotic — a change in the last bit of a strain grows
/// into a different packing — so this holds only because every RVE is integrated sequentially from its own
/// committed copy, RVEs never share data, and the host's assembly and the managed solver of this one-element
/// problem add in a fixed order.
/// </summary>
public class DemDeterminismTests
{
    // One Q8 element with 2 × 2 Gauss points (4 RVEs of 40 M1 disks), two increments of 0.2 % axial
    // strain under 100 kPa confinement, relaxed RVE tangent, point log on.
    private const string Case = """
        name: dem-determinism
        mesh:
          rectangle: {width: 0.5, height: 1.0, nx: 1, ny: 1}
          gauss_order: 2
        materials:
          soil:
            model: DemRve
            tangent: approximate
            parameters: {preset: M1, particles: 40, seed: 3, tangentMethod: relaxed, threads: THREADS, cacheFolder: CACHE}
        regions:
          all: soil
        boundary_conditions:
          - {set: bottom, ux: 0, uy: 0}
          - {set: top, ux: 0, uy: -0.004, history: ramp}
        loads:
          edges:
            - {edge: left, pressure: 100, history: constant}
            - {edge: right, pressure: 100, history: constant}
        initial_stress:
          - {isotropic: -100}
        steps:
          count: 2
          max_cutbacks: 4
        solver:
          threads: THREADS
          linear: managed
          residual_tolerance: 5.0e-2
          displacement_tolerance: 5.0e-2
          max_iterations: 30
        output:
          folder: results/dem-determinism
          point_log: true
          curves:
            - {name: top_force, kind: reaction_y, set: top}
        """;

    [Fact]
    public void Fd_hmm_outputs_are_identical_across_runs_and_thread_counts()
    {
        var cache = RepoPaths.TempFolder();
        var serial = Run(1, cache);
        var parallel = Run(2, cache);
        var again = Run(2, cache);
        Assert.Contains("points-all.csv", serial.Keys);
        Assert.Contains("newton.csv", serial.Keys);
        Assert.Equal(serial.Keys.Order(), parallel.Keys.Order());
        foreach (var (file, bytes) in serial)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(parallel[file]), $"{file} differs between 1 and 2 threads");
            Assert.True(bytes.AsSpan().SequenceEqual(again[file]), $"{file} differs between two runs");
        }
    }

    /// <summary>Runs the case with the given thread count (host and plug-in); returns its text outputs (not the JSON sidecars, which carry a creation time).</summary>
    private static Dictionary<string, byte[]> Run(int threads, string cache)
    {
        var folder = RepoPaths.TempFolder();
        var path = Path.Combine(folder, "dem-determinism.yaml");
        File.WriteAllText(path, Case.Replace("THREADS", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("CACHE", cache, StringComparison.Ordinal));
        var (code, output, error) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, error + output);
        var results = Path.Combine(folder, "results", "dem-determinism");
        return Directory.GetFiles(results)
            .Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".vtu", StringComparison.Ordinal) || f.EndsWith(".pvd", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
    }
}
