using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Tests;

/// <summary>The single-point base class turns exceptions and non-finite output into failed points, point by point.</summary>
public class PointMaterialTests
{
    private static readonly MaterialMetadata TrapMetadata = new()
    {
        Name = "Trap",
        Version = new Version(1, 0),
        Description = "fails on request",
        StateVariables = [new StateVariableInfo("p0", "kPa", "initial mean stress")],
    };

    /// <summary>σ = σ_n + Δε·1000, except: Δε11 = 1 throws, Δε11 = 2 writes NaN, Δε11 = 3 asks for a smaller step.</summary>
    private sealed class Trap() : PointMaterial(TrapMetadata, ModellingHypothesis.PlaneStrain)
    {
        protected override void InitialState(ReadOnlySpan<double> initialStress, Span<double> state) => state[0] = -Voigt.Trace(initialStress) / 3;

        protected override PointStatus Integrate(in MaterialPoint p)
        {
            switch (p.StrainIncrement[0])
            {
                case 1:
                    throw new InvalidOperationException("negative pressure");
                case 3:
                    return PointStatus.SmallerStep(0.25, "too large an increment");
            }

            for (int i = 0; i < p.Size; i++)
            {
                p.Stress[i] = p.StressOld[i] + 1000 * p.StrainIncrement[i];
            }

            p.StateOld.CopyTo(p.State);
            p.Tangent.Clear();
            p.Tangent[0] = p.StrainIncrement[0] == 2 ? double.NaN : 1000;
            return PointStatus.Ok;
        }
    }

    [Fact]
    public void Each_point_gets_its_own_status()
    {
        using var model = new Trap();
        double[] increments = [0.001, 1, 2, 3];
        int count = increments.Length, n = 4;
        var dEps = new double[count * n];
        for (int i = 0; i < count; i++)
        {
            dEps[i * n] = increments[i];
        }

        var status = new PointStatus[count];
        var stress = new double[count * n];
        model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, count, 1, 0, 1, TangentKind.Consistent,
            new[] { 0, 1, 2, 3 }, new double[count * 2], new double[count * n], dEps, new double[count * n], new double[count],
            stress, new double[count], new double[count * n * n], status));
        Assert.True(status[0].IsOk);
        Assert.Equal(1.0, stress[0], 12);
        Assert.Equal(PointStatus.Failed("InvalidOperationException: negative pressure"), status[1]);
        Assert.Equal(PointStatus.Failed("non-finite stress, state or tangent"), status[2]);
        Assert.Equal(PointOutcome.SmallerStep, status[3].Outcome);
        Assert.Equal(0.25, status[3].StepRatio);
    }

    [Fact]
    public void Initialize_sets_each_point_state_from_its_initial_stress()
    {
        using var model = new Trap();
        var state = new double[2];
        model.Initialize(new MaterialInitialization(new[] { 0, 1 }, new double[4], new double[] { -100, -100, -100, 0, -30, -60, -90, 5 }, state));
        Assert.Equal([100.0, 60.0], state);
    }

    [Fact]
    public void An_unsupported_hypothesis_is_refused_at_creation()
    {
        var planeOnly = TrapMetadata with { Hypotheses = [ModellingHypothesis.PlaneStrain] };
        var e = Assert.Throws<NotSupportedException>(() => new Frozen(planeOnly, ModellingHypothesis.Tridimensional));
        Assert.Contains("does not support Tridimensional", e.Message, StringComparison.Ordinal);
    }

    private sealed class Frozen(MaterialMetadata m, ModellingHypothesis h) : PointMaterial(m, h)
    {
        protected override PointStatus Integrate(in MaterialPoint p) => PointStatus.Ok;
    }
}
