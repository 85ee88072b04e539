using FemHost.MaterialSdk;
using Newtonsoft.Json;

namespace FemHost.TestAssets.JsonProbe;

/// <summary>
/// A linear-elastic plug-in that carries its own Newtonsoft.Json (12.x in JsonProbe12, 13.x in
/// JsonProbe13): it parses its parameters block with it and reports the library version it actually
/// runs with in its description. Used to prove that two plug-ins with conflicting dependency versions
/// load side by side, each in its own load context.
/// </summary>
public sealed class JsonProbePlugin : IMaterialPlugin
{
    /// <summary>The Newtonsoft.Json version this plug-in's load context resolved.</summary>
    public static Version JsonVersion => typeof(JsonConvert).Assembly.GetName().Version ?? new Version();

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = typeof(JsonProbePlugin).Assembly.GetName().Name!.Split('.')[^1],
        Version = new Version(1, 0, 0),
        Description = $"Newtonsoft.Json {JsonVersion}",
        Parameters = [new ParameterInfo("json", ParameterKind.Text, "-", "elastic constants as JSON, e.g. {\"E\": 1000, \"nu\": 0.3}")],
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis)
    {
        var constants = JsonConvert.DeserializeObject<Dictionary<string, double>>(parameters.Text("json"))
            ?? throw new MaterialParameterException(Metadata.Name, "json", "empty JSON; expected {\"E\": ..., \"nu\": ...}");
        return new JsonProbeMaterial(Metadata, hypothesis, constants["E"], constants["nu"]);
    }
}

/// <summary>Linear elasticity σ = σ_n + D Δε.</summary>
internal sealed class JsonProbeMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, double youngs, double poisson)
    : PointMaterial(metadata, hypothesis)
{
    protected override PointStatus Integrate(in MaterialPoint p)
    {
        Elasticity.Isotropic(Elasticity.BulkModulus(youngs, poisson), Elasticity.ShearModulus(youngs, poisson), p.Tangent, p.Size);
        Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
        for (int i = 0; i < p.Size; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }

        return PointStatus.Ok;
    }
}
