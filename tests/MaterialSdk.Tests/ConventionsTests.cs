using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Tests;

/// <summary>Voigt conventions: sizes, labels, and tensor ↔ Voigt maps with engineering shear strain.</summary>
public class ConventionsTests
{
    [Fact]
    public void Sizes_and_labels_follow_11_22_33_12_then_13_23()
    {
        Assert.Equal(4, Voigt.Size(ModellingHypothesis.PlaneStrain));
        Assert.Equal(6, Voigt.Size(ModellingHypothesis.Tridimensional));
        Assert.Equal(["11", "22", "33", "12"], Voigt.Labels(ModellingHypothesis.PlaneStrain));
        Assert.Equal(["11", "22", "33", "12", "13", "23"], Voigt.Labels(ModellingHypothesis.Tridimensional));
        Assert.Equal([false, false, false, true, true, true], Enumerable.Range(0, 6).Select(Voigt.IsShear));
        Assert.Equal(2, MaterialBatch.Dimension(ModellingHypothesis.PlaneStrain));
        Assert.Equal(3, MaterialBatch.Dimension(ModellingHypothesis.Tridimensional));
    }

    [Fact]
    public void Strain_shear_is_engineering_and_stress_shear_is_tensorial()
    {
        // Truth: γ12 = 2ε12, so the Voigt strain [.., γ12 = 0.4] is the tensor with ε12 = ε21 = 0.2.
        var t = new double[9];
        Voigt.StrainToTensor([1, 2, 3, 0.4, 0.6, 0.8], t);
        Assert.Equal([1, 0.2, 0.3, 0.2, 2, 0.4, 0.3, 0.4, 3], t);
        Voigt.StressToTensor([1, 2, 3, 0.4, 0.6, 0.8], t);
        Assert.Equal([1, 0.4, 0.6, 0.4, 2, 0.8, 0.6, 0.8, 3], t);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Tensor_voigt_round_trips_are_exact(int n)
    {
        var random = new Random(7);
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var t = new double[9];
        var back = new double[n];
        Voigt.StrainToTensor(v, t);
        Voigt.TensorToStrain(t, back);
        Assert.Equal(v, back);
        Voigt.StressToTensor(v, t);
        Voigt.TensorToStress(t, back);
        Assert.Equal(v, back);
    }

    [Fact]
    public void The_voigt_dot_product_of_stress_and_strain_is_the_work_sigma_colon_epsilon()
    {
        // Truth: engineering shear makes σ·ε (Voigt) equal to σ:ε = Σ_ij σ_ij ε_ij.
        double[] s = [3, -1, 2, 0.5, -0.25, 0.75], e = [0.01, 0.02, -0.03, 0.004, 0.006, -0.008];
        var ts = new double[9];
        var te = new double[9];
        Voigt.StressToTensor(s, ts);
        Voigt.StrainToTensor(e, te);
        double tensor = ts.Zip(te, (a, b) => a * b).Sum();
        double voigt = s.Zip(e, (a, b) => a * b).Sum();
        Assert.Equal(tensor, voigt, 14);
        Assert.Equal(4, Voigt.Trace(s));
    }

    [Fact]
    public void A_point_status_carries_outcome_ratio_and_reason()
    {
        Assert.True(PointStatus.Ok.IsOk);
        var smaller = PointStatus.SmallerStep(5, "too big");
        Assert.Equal((PointOutcome.SmallerStep, 0.99, "too big"), (smaller.Outcome, smaller.StepRatio, smaller.Reason));
        Assert.Equal(0.5, PointStatus.SmallerStep(double.NaN, "x").StepRatio);
        Assert.Equal(0.01, PointStatus.SmallerStep(0, "x").StepRatio);
        Assert.Equal((PointOutcome.Failed, "boom"), (PointStatus.Failed("boom").Outcome, PointStatus.Failed("boom").Reason));
    }

    [Fact]
    public void A_batch_hands_each_point_its_own_slices_and_checks_lengths()
    {
        const int count = 3, n = 4, m = 2;
        var strain = Enumerable.Range(0, count * n).Select(i => (double)i).ToArray();
        var state = Enumerable.Range(0, count * m).Select(i => 100.0 + i).ToArray();
        var stress = new double[count * n];
        var batch = new MaterialBatch(ModellingHypothesis.PlaneStrain, count, m, 1.5, 0.5, TangentKind.Consistent,
            new[] { 10, 11, 12 }, new double[count * 2], strain, new double[count * n], new double[count * n], state,
            stress, new double[count * m], new double[count * n * n], new PointStatus[count]);
        var point = batch.Point(2);
        Assert.Equal(12, point.Id);
        Assert.Equal([8.0, 9, 10, 11], point.Strain.ToArray());
        Assert.Equal([104.0, 105], point.StateOld.ToArray());
        point.Stress[0] = 42;
        Assert.Equal(42, stress[8]);
        var tail = batch.Slice(1, 2);
        Assert.Equal(2, tail.Count);
        Assert.Equal(11, tail.Point(0).Id);
        Assert.Equal(4.0, tail.Point(0).Strain[0]);
        Assert.Throws<ArgumentException>(() => new MaterialBatch(ModellingHypothesis.PlaneStrain, count, m, 0, 1, TangentKind.Consistent,
            new[] { 1, 2 }, new double[count * 2], strain, new double[count * n], new double[count * n], state,
            stress, new double[count * m], new double[count * n * n], new PointStatus[count]));
    }
}
