using FemHost.MaterialSdk;

namespace FemHost.Plugins;

/// <summary>
/// A plug-in threw outside <see cref="IMaterialModel.Integrate"/> (in Initialize, CommitStep, RevertStep,
/// SaveCheckpoint or LoadCheckpoint). Integrate faults become failed points and cut-backs; a fault in the
/// lifecycle leaves the plug-in's state unknown, so the run stops cleanly (exit code 3) with this message,
/// which names the plug-in, the region, the call and the reason, never a stack trace.
/// </summary>
public sealed class PluginCallException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>
    /// Runs <paramref name="call"/> on the model of region <paramref name="region"/>; any exception becomes a
    /// <see cref="PluginCallException"/> naming <paramref name="name"/>.
    /// </summary>
    public static void Guard(IMaterialModel model, string region, string name, Action call)
    {
        try
        {
            call();
        }
        catch (Exception e) when (e is not PluginCallException)
        {
            throw new PluginCallException(Describe(model, region, name, e), e);
        }
    }

    /// <summary>"plug-in 'X' 1.2.0 (region 'R') threw T in Call: reason".</summary>
    public static string Describe(IMaterialModel model, string region, string name, Exception e) =>
        $"plug-in '{model.Metadata.Name}' {model.Metadata.Version} (region '{region}') threw {e.GetType().Name} in {name}: " +
        e.Message.ReplaceLineEndings(" ").TrimEnd('.', ' ');
}
