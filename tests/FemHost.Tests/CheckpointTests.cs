using System.Globalization;
using FemHost.Cases;
using FemHost.Checkpoints;
using FemHost.Fem;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Checkpoint and resume (issue 7, item 1; docs/checkpoints.md). The truth: a run that is killed (SIGKILL) or
/// interrupted after a checkpoint and then resumed with <c>--resume</c> ends with exactly the files of an
/// uninterrupted run, byte for byte: the managed solver with one thread is deterministic, so every bit of the
/// state must come back (displacements, host-owned Gauss-point state, the plug-in's opaque state, step control,
/// the output cursor). A checkpoint that cannot be resumed is refused with exit code 2 and one paragraph.
/// </summary>
public sealed class CheckpointTests
{
    private static readonly string FaultyFolder = RepoPaths.TestPlugins("faulty");

    [Fact]
    public void A_run_killed_with_SIGKILL_resumes_to_byte_identical_outputs_including_opaque_plugin_state()
    {
        // The Faulty plug-in (fault none: linear elastic) keeps opaque state, its committed-step counter, which it
        // writes into the state variable 'step' of every point; the .vtu files and the point log carry it, so a
        // resume that did not restore it through LoadCheckpoint would write other bytes.
        var reference = WriteFaultyCase(steps: 60);
        var (code, _, err) = FemhostProcess.Run(null, "run", reference, "--quiet", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err);

        // While it runs, a run writes into its staging folder out.partial; the previous results stay in out.
        var killed = WriteFaultyCase(steps: 60);
        var checkpoint = CheckpointFile.PathIn(Staging(killed));
        using (var p = FemhostProcess.Start(null, "run", killed, "--quiet", "--plugin-dir", FaultyFolder))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!File.Exists(checkpoint) && !p.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(2);
            }

            Assert.False(p.HasExited, "the run ended before it could be killed: make the case slower");
            p.Kill(); // SIGKILL on Linux: no handler, no flush, no cleanup
            p.WaitForExit();
        }

        var state = ReadCheckpoint(killed, Staging(killed));
        Assert.True(state.Stepper.Lambda < 1, "the kill must land in the middle of the run");
        Assert.False(Directory.Exists(Output(killed)), "a killed run must not have replaced the output folder");
        (code, var output, err) = FemhostProcess.Run(null, "run", killed, "--resume", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err + output);
        Assert.Contains("resuming from ", output, StringComparison.Ordinal);
        AssertSameFiles(Output(reference), Output(killed));
    }

    [Theory]
    [InlineData("tangent")]
    [InlineData("extrapolate")] // the last converged increment is in the checkpoint: the resumed run extrapolates from it
    public void An_interrupted_plastic_run_resumes_from_an_earlier_checkpoint_to_identical_outputs(string predictor)
    {
        // von Mises cylinder (Hill 1950; cases/verification/hill-cylinder.yaml): plastic state variables and Newton
        // iterations. The run is interrupted at step 7 with a checkpoint at step 6 (checkpoint_every 3); step 7's
        // rows and field file are on disk and must be truncated away by the resume, then rewritten identically.
        var reference = WriteHillCase(predictor);
        var (code, _, err) = FemhostCli.Run("run", reference, "--quiet", "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, err);

        var interrupted = WriteHillCase(predictor);
        var c = CaseReader.Load(interrupted);
        var catalog = Plugins.PluginCatalog.Discover([RepoPaths.HostPlugins]);
        Assert.Throws<OperationCanceledException>(() => Simulation.Run(c, catalog.Get, TextWriter.Null,
            r => { if (r.StepCompleted && r.Step == 7) { throw new OperationCanceledException("interrupted"); } }));
        Assert.True(File.Exists(Path.Combine(Staging(interrupted), "hill-cylinder_0007.vtu")));
        Assert.Equal(6, ReadCheckpoint(interrupted, Staging(interrupted)).Stepper.StepsCompleted(10));

        (code, var output, err) = FemhostCli.Run("run", interrupted, "--resume", "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, err + output);
        Assert.Contains("step 6/10 completed", output, StringComparison.Ordinal);
        AssertSameFiles(Output(reference), Output(interrupted));
    }

    [Fact]
    public void A_run_that_stopped_cleanly_resumes_from_its_stop_checkpoint_with_more_cutbacks()
    {
        // A fault strikes the first 3 calls from step 3 on; with max_cutbacks 2 the run stops (exit 3) at λ = 0.5
        // and writes a checkpoint there. max_cutbacks may change between a stop and its resume (it is not in the
        // case fingerprint): with 4 the resumed run gets past the fault and completes; the material is linear,
        // so the top force is the closed form σ22 = E/(1 − ν²) ε22 times the width.
        var path = WriteFaultyCase(steps: 4, fault: "smaller_step", strikes: 3, maxCutbacks: 2);
        var (code, output, err) = FemhostCli.Run("run", path, "--plugin-dir", FaultyFolder);
        Assert.True(code == 3, err + output);
        Assert.Contains("checkpoint (stopped)", output, StringComparison.Ordinal);
        Assert.Equal(0.5, ReadCheckpoint(path).Stepper.Lambda);

        File.WriteAllText(path, File.ReadAllText(path).Replace("max_cutbacks: 2", "max_cutbacks: 4", StringComparison.Ordinal));
        (code, output, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err + output);
        Assert.Contains("resuming from ", output, StringComparison.Ordinal);
        Assert.Contains("completed: 4/4 steps", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(Output(path), "curves.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r[0]));
        Assert.Equal(-20000 / (1 - (0.3 * 0.3)) * 0.001 * 0.5, double.Parse(rows[^1][2], CultureInfo.InvariantCulture), 1e-8);
    }

    [Fact]
    public void A_checkpoint_of_another_case_another_host_version_a_corrupt_one_or_none_is_refused_with_exit_code_2()
    {
        var path = WriteFaultyCase(steps: 2);
        var (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        Assert.Equal(2, code);
        Assert.Contains("no checkpoint to resume from; expected", err, StringComparison.Ordinal);

        (code, _, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err);
        var file = CheckpointFile.PathIn(Output(path));
        var good = File.ReadAllBytes(file);

        // Another case: the material changed since the checkpoint was written.
        var other = Path.Combine(Path.GetDirectoryName(path)!, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(path).Replace("E: 20000", "E: 30000", StringComparison.Ordinal));
        (code, _, err) = FemhostCli.Run("run", other, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, "the checkpoint belongs to a different case");

        // Another host version: the same state, stamped by another femhost.
        var state = ReadCheckpoint(path);
        CheckpointFile.Write(file, state with { HostVersion = "0.0.1" });
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, "the checkpoint was written by 0.0.1");

        // A corrupt file: one bit flipped in the middle.
        var corrupt = (byte[])good.Clone();
        corrupt[corrupt.Length / 2] ^= 0x10;
        File.WriteAllBytes(file, corrupt);
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, "the checkpoint is corrupt");

        // A truncated file.
        File.WriteAllBytes(file, good[..(good.Length - 100)]);
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, "the checkpoint is corrupt");

        // Another file altogether.
        File.WriteAllText(file, "hello");
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, "not a femhost checkpoint");

        // Another format version, with a valid checksum (a future host's file).
        var future = (byte[])good.Clone();
        BitConverter.GetBytes(CheckpointFile.FormatVersion + 1).CopyTo(future, 8);
        System.Security.Cryptography.SHA256.HashData(future.AsSpan(0, future.Length - 32)).CopyTo(future, future.Length - 32);
        File.WriteAllBytes(file, future);
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        AssertRefused(code, err, $"checkpoint format version {CheckpointFile.FormatVersion + 1} cannot be read by this host");

        // The intact file still resumes (a completed run: nothing left to do, exit 0).
        File.WriteAllBytes(file, good);
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void The_case_fingerprint_ignores_solver_settings_but_not_the_physics()
    {
        // Truth: a stopped run may be resumed with other solver settings, never with another problem.
        var path = WriteFaultyCase(steps: 4);
        var c = CaseReader.Load(path);
        string hash = CaseFingerprint.Of(c);
        Assert.Equal(hash, CaseFingerprint.Of(c with { Solver = c.Solver with { MaxIterations = 7, Threads = 2 } }));
        Assert.Equal(hash, CaseFingerprint.Of(c with { Steps = c.Steps with { MaxCutbacks = 20 }, Output = c.Output with { CheckpointEvery = 3, Plots = true } }));
        Assert.NotEqual(hash, CaseFingerprint.Of(c with { Steps = c.Steps with { Count = 5 } }));
        Assert.NotEqual(hash, CaseFingerprint.Of(c with { Displacements = c.Displacements.Take(2).ToList() }));
        Assert.NotEqual(hash, CaseFingerprint.Of(c with { Output = c.Output with { PointLog = false } }));
    }

    /// <summary>A plane-strain block compressed by the top platen, material Faulty (see FaultIsolationTests).</summary>
    internal static string WriteFaultyCase(int steps, string fault = "none", int strikes = 0, int maxCutbacks = 8, int checkpointEvery = 1)
    {
        var path = Path.Combine(RepoPaths.TempFolder(), "case.yaml");
        File.WriteAllText(path, $$"""
            name: block
            mesh:
              rectangle: {width: 0.5, height: 1.0, nx: 6, ny: 12}
              gauss_order: 3
            materials:
              soil:
                model: Faulty
                parameters: {E: 20000, nu: 0.3, fault: {{fault}}, from_time: 0.5, strikes: {{strikes}}, point: 10}
            regions:
              all: soil
            boundary_conditions:
              - {set: bottom, uy: 0}
              - {set: bottom_left, ux: 0}
              - {set: top, uy: -0.001, history: ramp}
            steps:
              count: {{steps}}
              max_cutbacks: {{maxCutbacks}}
              allow_growth: false
            solver:
              residual_tolerance: 1.0e-10
              linear: managed
              threads: 1
            output:
              folder: out
              plots: false
              point_log: true
              checkpoint_every: {{checkpointEvery}}
              curves:
                - {name: top_force, kind: reaction_y, set: top}
            """);
        return path;
    }

    private static string WriteHillCase(string predictor = "tangent")
    {
        var folder = RepoPaths.TempFolder();
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "cases", "verification", "hill-cylinder.yaml"))
            .Replace("../../tests/assets/", Path.Combine(RepoPaths.Root, "tests", "assets") + "/", StringComparison.Ordinal)
            .Replace("\nsolver:\n", $"\nsolver:\n  threads: 1\n  linear: managed\n  predictor: {predictor}\n", StringComparison.Ordinal)
            .Replace("  folder: results/hill-cylinder\n", "  folder: out\n  plots: false\n  point_log: true\n  checkpoint_every: 3\n", StringComparison.Ordinal);
        Assert.Contains("checkpoint_every: 3", text, StringComparison.Ordinal);
        Assert.Contains($"predictor: {predictor}", text, StringComparison.Ordinal);
        var path = Path.Combine(folder, "hill-cylinder.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Output(string casePath) => Path.Combine(Path.GetDirectoryName(casePath)!, "out");

    /// <summary>Where an unfinished run of the case writes (docs/checkpoints.md): out.partial beside out.</summary>
    private static string Staging(string casePath) => Output(casePath) + ".partial";

    private static Checkpoint ReadCheckpoint(string casePath, string? folder = null) =>
        CheckpointFile.Read(CheckpointFile.PathIn(folder ?? Output(casePath)), CaseFingerprint.Of(CaseReader.Load(casePath)),
            CheckpointState.HostVersion, CheckpointState.SdkVersion);

    private static void AssertRefused(int code, string err, string what)
    {
        Assert.Equal(2, code);
        Assert.Contains(what, err, StringComparison.Ordinal);
        Assert.Contains("expected", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    /// <summary>
    /// Every file of <paramref name="expected"/> exists in <paramref name="actual"/> with the same bytes, and no other
    /// file does; the checkpoint itself and the point-log sidecars' creation time are the only exemptions (a
    /// resumed run keeps the time its first part started).
    /// </summary>
    /// <summary>The files of two runs are the same, byte for byte (the point log's creation time aside); the checkpoint is not compared.</summary>
    internal static void AssertSameFiles(string expected, string actual)
    {
        static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n != CheckpointFile.FileName).Order().ToArray()!;
        Assert.Equal(Names(expected), Names(actual));
        Assert.Contains(Names(expected), n => n.EndsWith(".vtu", StringComparison.Ordinal));
        Assert.Contains(Names(expected), n => n.StartsWith("points-", StringComparison.Ordinal));
        foreach (var name in Names(expected))
        {
            byte[] a = File.ReadAllBytes(Path.Combine(expected, name)), b = File.ReadAllBytes(Path.Combine(actual, name));
            if (name.EndsWith(".csv.json", StringComparison.Ordinal))
            {
                (a, b) = (WithoutCreated(a), WithoutCreated(b));
            }

            Assert.True(a.AsSpan().SequenceEqual(b), $"{name} differs between the uninterrupted and the resumed run");
        }

        static byte[] WithoutCreated(byte[] json) => System.Text.Encoding.UTF8.GetBytes(string.Join('\n',
            System.Text.Encoding.UTF8.GetString(json).Split('\n').Where(l => !l.Contains("\"created_utc\"", StringComparison.Ordinal))));
    }
}
