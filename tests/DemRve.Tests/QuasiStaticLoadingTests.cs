using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>How many DEM steps an increment of the cell is applied over, and how long the packing relaxes after it.</summary>
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

    [Fact]
    public void EquilibriumRelaxationRunsUntilTheUnbalancedForceRatioIsBelowItsToleranceAndAFixedOneRunsItsCount()
    {
        // Truth: after the same shear increment, a fixed relaxation takes exactly relaxationSteps steps and ends wherever
        // the packing is; an equilibrium relaxation takes at least as many, in whole check intervals, and ends with the
        // unbalanced force ratio below the tolerance (the cap is far away); the equilibrated packing is the calmer one.
        var spec = RveSpecification.FromPreset(MaterialPreset.M1, 80, 7, 100e3);
        var prepared = spec.Prepare();
        var shear = new Mat2(-2e-3, 5e-4, 5e-4, 1e-3);
        LoadingResult Run(LoadingControl control)
        {
            var p = prepared.Clone();
            return QuasiStaticLoading.ApplyStrain(spec.CreateSolver(p), shear, control);
        }

        var fixedOne = Run(new LoadingControl(RelaxationSteps: 100));
        var equilibrium = Run(new LoadingControl(RelaxationSteps: 100, RelaxToEquilibrium: true, UnbalancedTolerance: 1e-4, CheckInterval: 50, MaxRelaxationSteps: 200_000));
        Assert.Equal(100, fixedOne.RelaxationSteps);
        Assert.Equal(fixedOne.LoadSteps, equilibrium.LoadSteps);
        Assert.True(fixedOne.UnbalancedForceRatio > 1e-4, $"the test needs a packing still moving after 100 steps: ratio {fixedOne.UnbalancedForceRatio}");
        Assert.True(equilibrium.Converged && equilibrium.UnbalancedForceRatio < 1e-4, $"ratio {equilibrium.UnbalancedForceRatio} after {equilibrium.RelaxationSteps} steps");
        Assert.True(equilibrium.RelaxationSteps > 100 && (equilibrium.RelaxationSteps - 100) % 50 == 0, $"{equilibrium.RelaxationSteps} steps");
    }
}
