namespace FemHost.MaterialSdk;

/// <summary>
/// Entry point of a plug-in: a public class with a parameterless constructor implementing this
/// interface. The host finds every such class in a plug-in assembly. One assembly may hold several.
/// </summary>
public interface IMaterialPlugin
{
    /// <summary>Metadata (name, parameters, state variables, capabilities).</summary>
    MaterialMetadata Metadata { get; }

    /// <summary>
    /// Creates a model instance for one region of a BVP (or one driver run). Parameters are already
    /// validated against <see cref="Metadata"/>; a model may still throw
    /// <see cref="MaterialParameterException"/> for combinations that are invalid together.
    /// </summary>
    IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis);
}

/// <summary>Initial conditions handed to a model once, before the first increment.</summary>
/// <remarks>Arrays are point-major, laid out like <see cref="MaterialBatch"/>.</remarks>
/// <param name="PointIds">Global point ids of the points this model instance serves.</param>
/// <param name="Coordinates">Coordinates, 2 (plane strain) or 3 values per point.</param>
/// <param name="InitialStress">Initial stress σ_0 per point, from the case (tension positive).</param>
/// <param name="State">Output: initial state per point (host-owned; zeroed on entry).</param>
public readonly record struct MaterialInitialization(
    ReadOnlyMemory<int> PointIds,
    ReadOnlyMemory<double> Coordinates,
    ReadOnlyMemory<double> InitialStress,
    Memory<double> State)
{
    /// <summary>Number of points.</summary>
    public int Count => PointIds.Length;
}

/// <summary>
/// A material model instance. The host owns stress and state arrays (committed and trial) and calls
/// <see cref="Integrate"/> with the committed values at every Newton iteration.
/// </summary>
public interface IMaterialModel : IDisposable
{
    /// <summary>
    /// Metadata of this instance: the plug-in's, or a copy (<c>plugin.Metadata with { ... }</c>) whose
    /// <see cref="MaterialMetadata.StateVariables"/>, <see cref="MaterialMetadata.IsThreadSafe"/> and
    /// <see cref="MaterialMetadata.IsIsotropic"/> depend on the parameters it was created with. The host sizes the state arrays, names state outputs and decides on
    /// concurrent calls from this metadata; name, version, parameters and tangent kinds must stay the plug-in's.
    /// </summary>
    MaterialMetadata Metadata { get; }

    /// <summary>Modelling hypothesis the instance was created for.</summary>
    ModellingHypothesis Hypothesis { get; }

    /// <summary>Sets the initial state of every point from the case's initial stress.</summary>
    void Initialize(in MaterialInitialization init);

    /// <summary>
    /// Integrates every point of the batch over the increment. Must not throw for a bad point: write a
    /// <see cref="PointStatus"/> instead (the host also turns exceptions and non-finite output into
    /// failed points, but cannot tell which point caused an exception).
    /// </summary>
    void Integrate(in MaterialBatch batch);
}

/// <summary>
/// Lifecycle of a model that keeps internal state the host cannot see (a DEM packing per point). The
/// last <see cref="IMaterialModel.Integrate"/> result of each point is its trial state.
/// </summary>
public interface IOpaqueStateMaterial : IMaterialModel
{
    /// <summary>The step converged: the trial state of every point becomes its committed state.</summary>
    void CommitStep();

    /// <summary>The step was rejected: discard trial states (the next call starts from the committed ones).</summary>
    void RevertStep();

    /// <summary>Writes the committed state of every point.</summary>
    void SaveCheckpoint(Stream stream);

    /// <summary>Restores the committed state written by <see cref="SaveCheckpoint"/>.</summary>
    void LoadCheckpoint(Stream stream);
}

/// <summary>Version of the SDK contract. Plug-ins built against another major version are refused.</summary>
public static class SdkInfo
{
    /// <summary>The SDK assembly version of this build.</summary>
    public static Version Version { get; } = typeof(SdkInfo).Assembly.GetName().Version ?? new Version(1, 0);

    /// <summary>The compatibility line: a plug-in must be built against this major version.</summary>
    public static int MajorVersion => Version.Major;
}
