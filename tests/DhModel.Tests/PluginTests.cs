using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;
using FemHost.MaterialSdk.Testing;
using Xunit;

namespace FemHost.Materials.DhModel.Tests;

/// <summary>The DhModel plug-in through the SDK contract.</summary>
public class PluginTests
{
    private readonly DhModelPlugin _plugin = new();

    /// <summary>Truth: the SDK conformance kit (metadata, zero increment, repeatability, FD tangent, isotropy, bad input, concurrency) passes.</summary>
    [Fact]
    public void PassesTheConformanceKit() =>
        MaterialConformance.Run(_plugin, new ConformanceOptions { InitialPressure = 100 }).AssertPassed();

    /// <summary>Truth: the defaults are the paper's constants (K0, G0, n, p_a) and every constant is a declared parameter with a unit.</summary>
    [Fact]
    public void DefaultsAreThePaperConstants()
    {
        var p = MaterialParameters.Defaults(_plugin.Metadata);
        Assert.Equal(6.7207, p.Real("K0"));
        Assert.Equal(84.2, p.Real("G0"));
        Assert.Equal(0.1789, p.Real("n"));
        Assert.Equal(101.4, p.Real("p_a"));
        foreach (var name in new[] { "A", "eta_c", "eta_f", "p_min", "max_strain_increment" })
        {
            Assert.NotNull(_plugin.Metadata.FindParameter(name));
        }

        Assert.All(_plugin.Metadata.StateVariables, v => Assert.False(string.IsNullOrEmpty(v.Unit)));
        Assert.Equal(["eps_q_p", "eta", "eps_v_p"], _plugin.Metadata.StateVariables.Select(v => v.Name));
    }

    /// <summary>Truth: a bad value is refused with a message naming the parameter and what is allowed.</summary>
    [Fact]
    public void BadParametersAreRefusedClearly()
    {
        var e = Assert.Throws<MaterialParameterException>(() =>
            MaterialParameters.Validate(_plugin.Metadata, new Dictionary<string, object?> { ["n"] = 1.5 }));
        Assert.Contains("'n'", e.Message);
        Assert.Throws<MaterialParameterException>(() =>
            MaterialParameters.Validate(_plugin.Metadata, new Dictionary<string, object?> { ["eta_F"] = 1.0 }));
    }

    /// <summary>
    /// Truth: initialisation puts the initial stress on the yield surface, η(ε_q^p) = q0/p0 (inverse of A-2);
    /// an isotropic initial stress gives ε_q^p = 0.
    /// </summary>
    [Fact]
    public void InitialStateLiesOnTheYieldSurface()
    {
        using var model = _plugin.Create(MaterialParameters.Defaults(_plugin.Metadata), ModellingHypothesis.PlaneStrain);
        double[] stress = [-100, -100, -100, 0, -150, -90, -100, 0];
        var state = new double[2 * DhState.Size];
        model.Initialize(new MaterialInitialization(new[] { 0, 1 }, new double[4], stress, state));
        Assert.Equal(0.0, state[0]);
        double p = DhInvariants.P(stress.AsSpan(4, 4)), q = DhInvariants.Q(stress.AsSpan(4, 4), p);
        Assert.Equal(q / p, new DhConstants().Eta(state[DhState.Size]), 12);
    }
}
