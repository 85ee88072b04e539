using FemHost.Checkpoints;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Plug-in faults outside Integrate (issue 7, item 2): Initialize, CommitStep, RevertStep, SaveCheckpoint and
/// LoadCheckpoint of the Faulty test plug-in throw. The truth: the host contains every one of them: exit code 3
/// (2 when Initialize refuses the user's parameters), one message naming the plug-in, the region, the call and
/// the reason, no stack trace, and the files of the converged steps intact (no temporary files left).
/// </summary>
public sealed class LifecycleFaultTests
{
    private static readonly string FaultyFolder = RepoPaths.TestPlugins("faulty");

    /// <summary>Fault, the call it strikes, its reason, and the steps completed before the stop.</summary>
    public static TheoryData<string, string, string, int> Faults => new()
    {
        { "initialize_throws", "Initialize", "InvalidOperationException in Initialize: injected failure while initialising the material points", 0 },
        { "commit_throws", "CommitStep", "InvalidOperationException in CommitStep: injected failure while committing the step", 2 },
        { "revert_throws", "RevertStep", "InvalidOperationException in RevertStep: injected failure while reverting the step", 2 },
        { "save_checkpoint_throws", "SaveCheckpoint", "IOException in SaveCheckpoint: injected failure while saving the checkpoint", 3 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_throwing_lifecycle_call_stops_the_run_cleanly_naming_plugin_call_and_reason(string fault, string call, string reason, int completed)
    {
        // commit_throws strikes when committing step 3 (increments ending after λ = 0.5), revert_throws at the first
        // cut-back of step 3, save_checkpoint_throws when saving the checkpoint after step 3 (checkpoint_every 1).
        var path = CheckpointTests.WriteFaultyCase(steps: 4, fault: fault);
        var (code, output, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", FaultyFolder);
        string all = output + err;
        Assert.True(code == 3, all);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.Contains($"plug-in 'Faulty' 1.0.0 (region 'all') threw {reason}", all, StringComparison.Ordinal);
        Assert.Contains(call, all, StringComparison.Ordinal);

        var folder = Path.Combine(Path.GetDirectoryName(path)!, "out");
        if (completed == 0)
        {
            Assert.Contains("nothing was computed", err, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "curves.csv")));
            return;
        }

        Assert.Contains($"STOPPED: {completed}/4 steps", output, StringComparison.Ordinal);
        Assert.Contains("wrote no checkpoint for the failed call", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(folder, "curves.csv")).Skip(1).ToList();
        Assert.Equal(completed, rows.Count);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

        // The last checkpoint written before the fault is intact and holds the last good step.
        var checkpoint = CheckpointFile.Read(CheckpointFile.PathIn(folder), CaseFingerprint.Of(Cases.CaseReader.Load(path)),
            CheckpointState.HostVersion, CheckpointState.SdkVersion);
        Assert.Equal(Math.Min(completed, 2), checkpoint.Stepper.StepsCompleted(4));
    }

    [Fact]
    public void Parameters_refused_in_Initialize_are_a_user_error_at_the_parameter()
    {
        // Truth: a MaterialParameterException from Initialize is the user's mistake (exit 2), located at the value.
        var path = CheckpointTests.WriteFaultyCase(steps: 4, fault: "initialize_refuses_parameters");
        var (code, output, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", FaultyFolder);
        Assert.True(code == 2, output + err);
        Assert.Contains($"{path}:8:", err, StringComparison.Ordinal);
        Assert.Contains("material 'soil' (model Faulty), parameter 'E': E = 20000 is too stiff for the initial stress (injected refusal); expected E below 1", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_LoadCheckpoint_stops_the_resume_cleanly()
    {
        // The fault only strikes in LoadCheckpoint, which a fresh run never calls: the run completes, the resume stops.
        var path = CheckpointTests.WriteFaultyCase(steps: 2, fault: "load_checkpoint_throws");
        var (code, _, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", FaultyFolder);
        Assert.True(code == 0, err);
        (code, var output, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", FaultyFolder);
        Assert.True(code == 3, output + err);
        Assert.Contains("plug-in 'Faulty' 1.0.0 (region 'all') threw InvalidDataException in LoadCheckpoint: injected failure while loading the checkpoint", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + err, StringComparison.Ordinal);
    }
}
