using FemHost.Materials.Elastic;
using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Testing.Tests;

public class ConformanceKitTests
{
    private static readonly ConformanceOptions ElasticOptions = new() { Parameters = new Dictionary<string, object?> { ["E"] = 2e4, ["nu"] = 0.3 } };

    [Fact]
    public void ElasticPluginPassesEveryCheck()
    {
        // Linear elasticity is the reference: its tangent is exact, it is isotropic and stateless.
        var report = MaterialConformance.Run(new ElasticPlugin(), ElasticOptions);
        report.AssertPassed();
        Assert.Contains(report.Results, r => r.Check == "tangent (Consistent)" && r.Verdict == Verdict.Pass);
        Assert.Contains(report.Results, r => r.Check == "isotropy" && r.Hypothesis == ModellingHypothesis.Tridimensional && r.Verdict == Verdict.Pass);
    }

    [Fact]
    public void CorrectReferenceModelPasses()
    {
        // The broken-model family without a defect must pass: the failures below come from the defects alone.
        MaterialConformance.Run(new BrokenPlugin(Defect.None)).AssertPassed();
    }

    [Fact]
    public void WrongTangentSignIsFlaggedByTheFiniteDifferenceCheck()
    {
        var report = MaterialConformance.Run(new BrokenPlugin(Defect.WrongTangentSign));
        var tangent = report.Failures.Where(r => r.Check == "tangent (Consistent)").ToList();
        Assert.Equal(2, tangent.Count); // plane strain and 3D
        Assert.Contains("D[12,12]", tangent[0].Detail);
        Assert.DoesNotContain(report.Failures, r => r.Check != "tangent (Consistent)");
    }

    [Fact]
    public void StateMutatedOnZeroIncrementIsFlagged()
    {
        var report = MaterialConformance.Run(new BrokenPlugin(Defect.StateMutatedOnZeroIncrement));
        var zero = Assert.Single(report.Failures, r => r.Check == "zero increment" && r.Hypothesis == ModellingHypothesis.PlaneStrain);
        Assert.Contains("state 'calls'", zero.Detail);
    }

    [Fact]
    public void NaNOnTensionIsFlaggedAsOkWithNonFiniteOutput()
    {
        var report = MaterialConformance.Run(new BrokenPlugin(Defect.NaNOnTension));
        var bad = report.Failures.Where(r => r.Check == "non-finite and absurd input").ToList();
        Assert.NotEmpty(bad);
        Assert.Contains("status Ok", bad[0].Detail);
    }

    [Fact]
    public void HiddenSideEffectsBreakRepeatability()
    {
        var report = MaterialConformance.Run(new BrokenPlugin(Defect.HiddenSideEffect));
        Assert.Contains(report.Failures, r => r.Check == "repeatability");
    }

    [Fact]
    public void ReportTablePrintsOneRowPerCheck()
    {
        var report = MaterialConformance.Run(new ElasticPlugin(), ElasticOptions);
        var lines = report.ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(report.Results.Count + 3, lines.Length);
        Assert.StartsWith("conformance of material 'Elastic': PASSED", lines[0]);
    }
}

public class OpaqueStateConformanceTests
{
    [Fact]
    public void OpaqueModelWithCorrectLifecyclePasses()
    {
        var report = MaterialConformance.Run(new OpaquePlugin(leaky: false));
        report.AssertPassed();
        Assert.Contains(report.Results, r => r.Check == "commit/revert/checkpoint" && r.Verdict == Verdict.Pass);
    }

    [Fact]
    public void TrialThatOverwritesCommittedStateIsFlagged()
    {
        // A model that stores its trial as committed drifts with every Newton iteration.
        var report = MaterialConformance.Run(new OpaquePlugin(leaky: true));
        Assert.Contains(report.Failures, r => r.Check == "commit/revert/checkpoint");
        Assert.Contains(report.Failures, r => r.Check == "repeatability");
    }
}
