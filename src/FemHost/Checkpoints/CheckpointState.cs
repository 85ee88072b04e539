using System.Reflection;
using FemHost.Cases;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.MaterialSdk;
using FemHost.Plugins;

namespace FemHost.Checkpoints;

/// <summary>
/// Takes a <see cref="Checkpoint"/> of a running simulation and puts one back into a freshly built model:
/// the host-owned arrays are copied bit for bit; the opaque state of a plug-in goes through
/// <see cref="IOpaqueStateMaterial.SaveCheckpoint"/> and <see cref="IOpaqueStateMaterial.LoadCheckpoint"/>
/// (a throwing call is a <see cref="PluginCallException"/>).
/// </summary>
public static class CheckpointState
{
    /// <summary>The host version recorded in checkpoints ("1.2.3", without the source revision).</summary>
    public static string HostVersion { get; } =
        (typeof(CheckpointState).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(CheckpointState).Assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];

    /// <summary>The material SDK version recorded in checkpoints.</summary>
    public static string SdkVersion { get; } = SdkInfo.Version.ToString();

    /// <summary>The state after the converged increment <paramref name="stepper"/> describes.</summary>
    public static Checkpoint Capture(string caseHash, StepperState stepper, NewtonSolver newton, OutputCursor output)
    {
        var regions = newton.Model.Regions.Select(r =>
        {
            byte[]? opaque = null;
            if (r.Model is IOpaqueStateMaterial material)
            {
                using var stream = new MemoryStream();
                PluginCallException.Guard(r.Model, r.Name, nameof(material.SaveCheckpoint), () => material.SaveCheckpoint(stream));
                opaque = stream.ToArray();
            }

            return new RegionCheckpoint(r.Name, r.Model.Metadata.Name, r.Model.Metadata.Version.ToString(),
                (double[])r.Strain.Clone(), (double[])r.Stress.Clone(), (double[])r.State.Clone(), opaque);
        }).ToList();
        return new Checkpoint(caseHash, HostVersion, SdkVersion, stepper, newton.FullStorage, (double[])newton.Displacement.Clone(),
            newton.LastIncrement.ToArray(), newton.LastStep, regions, output);
    }

    /// <summary>Puts the state of <paramref name="checkpoint"/> (read from <paramref name="path"/>) into the model of <paramref name="newton"/>.</summary>
    /// <exception cref="UserInputException">The model does not match the checkpoint (another plug-in version, other sizes).</exception>
    public static void Restore(Checkpoint checkpoint, NewtonSolver newton, string path)
    {
        var model = newton.Model;
        string fresh = "resume with what wrote it, or run the case without --resume to start it afresh";
        if (checkpoint.Displacement.Length != model.DofCount || checkpoint.LastIncrement.Length != model.DofCount || checkpoint.Regions.Count != model.Regions.Count)
        {
            throw new UserInputException($"{path}: the checkpoint holds {checkpoint.Displacement.Length} equations and {checkpoint.Regions.Count} region(s), " +
                $"this model {model.DofCount} and {model.Regions.Count}; expected the model that wrote it: {fresh}");
        }

        for (int i = 0; i < model.Regions.Count; i++)
        {
            var (r, saved) = (model.Regions[i], checkpoint.Regions[i]);
            var meta = r.Model.Metadata;
            if (saved.Name != r.Name || saved.Plugin != meta.Name || saved.PluginVersion != meta.Version.ToString())
            {
                throw new UserInputException($"{path}: region '{saved.Name}' was computed with plug-in {saved.Plugin} {saved.PluginVersion}, " +
                    $"but this run loads {meta.Name} {meta.Version} for region '{r.Name}'; expected the same plug-in version, whose state the checkpoint holds: " +
                    $"install {saved.Plugin} {saved.PluginVersion} (--plugin-dir), or run the case without --resume to start it afresh");
            }

            if (saved.Strain.Length != r.Strain.Length || saved.Stress.Length != r.Stress.Length || saved.State.Length != r.State.Length
                || (saved.Opaque is not null) != (r.Model is IOpaqueStateMaterial))
            {
                throw new UserInputException($"{path}: the state of region '{r.Name}' in the checkpoint does not fit this model " +
                    $"({saved.State.Length} state values for {r.State.Length}); expected the model that wrote it: {fresh}");
            }
        }

        checkpoint.Displacement.CopyTo(newton.Displacement, 0);
        checkpoint.Displacement.CopyTo(newton.Trial, 0);
        newton.RestoreLastIncrement(checkpoint.LastIncrement, checkpoint.LastStep);
        if (checkpoint.FullStorage)
        {
            newton.UseFullStorage();
        }

        for (int i = 0; i < model.Regions.Count; i++)
        {
            var (r, saved) = (model.Regions[i], checkpoint.Regions[i]);
            saved.Strain.CopyTo(r.Strain, 0);
            saved.Stress.CopyTo(r.Stress, 0);
            saved.State.CopyTo(r.State, 0);
            saved.Stress.CopyTo(r.TrialStress, 0);
            saved.State.CopyTo(r.TrialState, 0);
            if (r.Model is IOpaqueStateMaterial material)
            {
                using var stream = new MemoryStream(saved.Opaque!, writable: false);
                PluginCallException.Guard(r.Model, r.Name, nameof(material.LoadCheckpoint), () => material.LoadCheckpoint(stream));
            }
        }
    }
}
