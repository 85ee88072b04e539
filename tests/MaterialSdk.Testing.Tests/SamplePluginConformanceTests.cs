using FemHost.Materials.Elastic;
using FemHost.Materials.VonMises;

namespace FemHost.MaterialSdk.Testing.Tests;

/// <summary>The sample plug-ins third parties read must themselves pass the kit they are told to run.</summary>
public class SamplePluginConformanceTests
{
    [Fact]
    public void VonMisesPassesInTheElasticAndPlasticRange()
    {
        // σ_y = 2 kPa is reached within the first committed increments (3G·Δε ≈ 20 kPa per 1e-4 step), so most
        // samples are plastic and the consistent tangent of the radial return is what the FD check sees.
        foreach (var h in new[] { 0.0, 500.0 })
        {
            var report = MaterialConformance.Run(new VonMisesPlugin(), new ConformanceOptions
            {
                Parameters = new Dictionary<string, object?> { ["E"] = 2e5, ["nu"] = 0.3, ["sigma_y"] = 2.0, ["H"] = h },
                Samples = 12,
            });
            report.AssertPassed();
        }
    }

    [Fact]
    public void ElasticPassesWithDefaultsAndRequiredModulus() =>
        MaterialConformance.Run(new ElasticPlugin(), new ConformanceOptions { Parameters = new Dictionary<string, object?> { ["E"] = 1e3 } }).AssertPassed();
}
