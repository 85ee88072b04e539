using FemHost.MaterialSdk;

namespace FemHost.TestAssets.ThrowingPlugin;

/// <summary>A plug-in whose constructor fails (e.g. a missing licence file): the host must report it and go on.</summary>
public sealed class ThrowingPlugin : IMaterialPlugin
{
    /// <summary>Always throws.</summary>
    public ThrowingPlugin() => throw new InvalidOperationException("licence file not found");

    /// <inheritdoc/>
    public MaterialMetadata Metadata => throw new InvalidOperationException("unreachable");

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) => throw new InvalidOperationException("unreachable");
}

/// <summary>A working plug-in in the same assembly: σ = σ_n (a rigid-stress "material" with a zero tangent).</summary>
public sealed class FrozenStressPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "FrozenStress",
        Version = new Version(1, 0, 0),
        Description = "Keeps the stress of the start of the increment whatever the strain (zero stiffness).",
        TangentKinds = [TangentKind.Consistent],
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) => new FrozenStress(Metadata, hypothesis);

    private sealed class FrozenStress(MaterialMetadata metadata, ModellingHypothesis hypothesis) : PointMaterial(metadata, hypothesis)
    {
        protected override PointStatus Integrate(in MaterialPoint p)
        {
            p.StressOld.CopyTo(p.Stress);
            p.Tangent.Clear();
            return PointStatus.Ok;
        }
    }
}
