using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>How many DEM steps an increment of the cell is applied over.</summary>
public class QuasiStaticLoadingTests
{
    [Theory]
    // Truth: ⌈|Δε| / rate⌉ steps at the default rate 2e-6 per step, at least 20 and at most maxLoadSteps = 2 500:
    // 1e-6 → 20 (the minimum), 1.0001e-3 → ⌈500.05⌉ = 501, 5e-3 → 2 500 (the cap), 2e-2 → 2 500 (capped: applied 4 × faster).
    [InlineData(1e-6, 20)]
    [InlineData(1.0001e-3, 501)]
    [InlineData(5e-3, 2500)]
    [InlineData(2e-2, 2500)]
    public void AnIncrementIsAppliedAtTheRateBetweenTheMinimumAndTheCap(double increment, int steps)
    {
        Assert.Equal(steps, QuasiStaticLoading.LoadSteps(increment, new LoadingControl()));
    }

    [Fact]
    public void TheCapFollowsMaxLoadStepsAndNeverUndercutsTheMinimum()
    {
        // Truth: the cap is the parameter; a cap below MinLoadSteps leaves the minimum in force.
        Assert.Equal(10_000, QuasiStaticLoading.LoadSteps(2e-2, new LoadingControl(MaxLoadSteps: 1_000_000)));
        Assert.Equal(20, QuasiStaticLoading.LoadSteps(2e-2, new LoadingControl(MaxLoadSteps: 5)));
    }
}
