using FemHost.Materials.DemRve.Engine;
using FemHost.MaterialSdk;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>The plug-in: lifecycle (commit, revert, checkpoint), determinism across threads, parameters.</summary>
public sealed class DemRveMaterialTests : IDisposable
{
    private const int N = 4; // Voigt size (plane strain)
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "demrve-test-" + Guid.NewGuid().ToString("N"));
    private readonly DemRvePlugin _plugin = new();

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private DemRveMaterial Create(int threads, int particles = 50, string tangent = "contact", string update = "iteration", string reuse = "constant", double reuseStrain = 5e-6) =>
        (DemRveMaterial)_plugin.Create(MaterialParameters.Validate(_plugin.Metadata, new Dictionary<string, object?>
        {
            ["preset"] = "M1",
            ["particles"] = particles,
            ["seed"] = 5,
            ["threads"] = threads,
            ["cacheFolder"] = _cache,
            ["tangentMethod"] = tangent,
            ["tangentUpdate"] = update,
            ["reuse"] = reuse,
            ["reuseStrain"] = reuseStrain,
        }), ModellingHypothesis.PlaneStrain);

    /// <summary>Host-side arrays of a few points (committed strain/stress/state and the outputs).</summary>
    private sealed class Points
    {
        public Points(int count, int stateSize)
        {
            (Count, StateSize) = (count, stateSize);
            Ids = Enumerable.Range(10, count).ToArray();
            Coordinates = new double[2 * count];
            Strain = new double[N * count];
            Increment = new double[N * count];
            StressOld = new double[N * count];
            StateOld = new double[stateSize * count];
            Stress = new double[N * count];
            State = new double[stateSize * count];
            Tangent = new double[N * N * count];
            Status = new PointStatus[count];
            for (int i = 0; i < count; i++)
            {
                StressOld[i * N] = StressOld[i * N + 1] = StressOld[i * N + 2] = -100;
            }
        }

        public int Count { get; }
        public int StateSize { get; }
        public int[] Ids { get; }
        public double[] Coordinates { get; }
        public double[] Strain { get; }
        public double[] Increment { get; }
        public double[] StressOld { get; }
        public double[] StateOld { get; }
        public double[] Stress { get; }
        public double[] State { get; }
        public double[] Tangent { get; }
        public PointStatus[] Status { get; }

        public void Initialize(IMaterialModel model) =>
            model.Initialize(new MaterialInitialization(Ids, Coordinates, StressOld, StateOld));

        public void Integrate(IMaterialModel model) => model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, Count, StateSize,
            0, 1, TangentKind.Approximate, Ids, Coordinates, Strain, Increment, StressOld, StateOld, Stress, State, Tangent, Status));

        /// <summary>Host commit: ε_n += Δε, σ_n = σ, state_n = state.</summary>
        public void Accept()
        {
            for (int k = 0; k < Strain.Length; k++)
            {
                Strain[k] += Increment[k];
            }

            Array.Copy(Stress, StressOld, Stress.Length);
            Array.Copy(State, StateOld, State.Length);
        }

        /// <summary>Biaxial-like increments, a different one per point: Δε11 = 0.0004, Δε22 = −0.0012 − 0.0001 i, γ = 0.0002 i.</summary>
        public void SetIncrement(double factor = 1.0)
        {
            for (int i = 0; i < Count; i++)
            {
                Increment[i * N] = factor * 0.0004;
                Increment[i * N + 1] = factor * (-0.0012 - 0.0001 * i);
                Increment[i * N + 3] = factor * 0.0002 * i;
            }
        }
    }

    [Fact]
    public void InitialStateMatchesTheConsolidationPressure()
    {
        // Truth: each RVE is consolidated to p0 = −(σ11 + σ22)/2 of the initial stress; a vanishing
        // increment (10⁻⁹) returns that stress (within the 1 % servo tolerance plus relaxation),
        // σ33 = ½(σ11 + σ22).
        using var model = Create(threads: 2);
        var pts = new Points(2, model.Metadata.StateSize);
        pts.Initialize(model);
        Assert.InRange(pts.StateOld[0], 3.0, 4.5); // coordination of a dense frictionless-compacted packing
        pts.Increment[1] = pts.Increment[N + 1] = -1e-9;
        pts.Integrate(model);
        Assert.All(pts.Status, s => Assert.True(s.IsOk, s.Reason));
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(pts.Stress[i * N], -101.5, -98.5);
            Assert.InRange(pts.Stress[i * N + 1], -101.5, -98.5);
            Assert.Equal(0.5 * (pts.Stress[i * N] + pts.Stress[i * N + 1]), pts.Stress[i * N + 2], 1e-9);
        }

        Assert.Equal(1, model.PreparedPackings);
    }

    [Fact]
    public void RevertRestoresTheCommittedPackingBitForBit()
    {
        // Truth: a call never changes the committed packing; after a revert the same increment gives the
        // same result bit for bit, and commit makes the trial state the committed one.
        using var model = Create(threads: 2);
        var pts = new Points(2, model.Metadata.StateSize);
        pts.Initialize(model);
        var before = model.Point(10).Committed.Clone();
        pts.SetIncrement();
        pts.Integrate(model);
        var first = pts.Stress.ToArray();
        var firstTangent = pts.Tangent.ToArray();
        Assert.True(model.Point(10).Committed.StateEquals(before));
        model.RevertStep();
        pts.SetIncrement(0.5);
        pts.Integrate(model); // a different trial in between
        model.RevertStep();
        pts.SetIncrement();
        pts.Integrate(model);
        Assert.Equal(first, pts.Stress);
        Assert.Equal(firstTangent, pts.Tangent);
        Assert.True(model.Point(10).Committed.StateEquals(before));
        model.CommitStep();
        Assert.True(model.Point(10).Committed.StateEquals(model.Point(10).Trial));
        Assert.False(model.Point(10).Committed.StateEquals(before));
    }

    [Fact]
    public void ResultsAreIdenticalAtOneAndTwoThreadsAndAfterACheckpoint()
    {
        // Truth: RVEs are independent and each is integrated sequentially, so the log (stress, tangent,
        // micro state) does not depend on the thread count; a checkpoint restores the committed packings
        // exactly, so the next increment is identical.
        using var one = Create(threads: 1);
        using var two = Create(threads: 2);
        var a = new Points(3, one.Metadata.StateSize);
        var b = new Points(3, two.Metadata.StateSize);
        a.Initialize(one);
        b.Initialize(two);
        for (int step = 0; step < 2; step++)
        {
            a.SetIncrement();
            b.SetIncrement();
            a.Integrate(one);
            b.Integrate(two);
            Assert.Equal(a.Stress, b.Stress);
            Assert.Equal(a.Tangent, b.Tangent);
            Assert.Equal(a.State, b.State);
            one.CommitStep();
            two.CommitStep();
            a.Accept();
            b.Accept();
        }

        using var stream = new MemoryStream();
        one.SaveCheckpoint(stream);
        using var restored = Create(threads: 2);
        var c = new Points(3, restored.Metadata.StateSize);
        c.Initialize(restored);
        stream.Position = 0;
        restored.LoadCheckpoint(stream);
        Array.Copy(a.Strain, c.Strain, a.Strain.Length);
        Array.Copy(a.StressOld, c.StressOld, a.StressOld.Length);
        a.SetIncrement();
        c.SetIncrement();
        a.Integrate(one);
        c.Integrate(restored);
        Assert.Equal(a.Stress, c.Stress);
        Assert.Equal(a.Tangent, c.Tangent);
    }

    [Fact]
    public void AZeroIncrementReturnsTheCommittedStressAndStateExactly()
    {
        // Truth: the committed packing is the equilibrium the host committed; a zero increment (the host's
        // predictor, the conformance kit's "zero increment" check) moves nothing and gives back the
        // committed stress and state bit for bit, with the tangent the committed packing was returned with.
        using var model = Create(threads: 1, tangent: "relaxed");
        var pts = new Points(2, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.SetIncrement(2.0);
        pts.Integrate(model);
        var converged = pts.Tangent.ToArray();
        model.CommitStep();
        pts.Accept();
        Array.Clear(pts.Increment);
        pts.Integrate(model);
        Assert.All(pts.Status, s => Assert.True(s.IsOk, s.Reason));
        Assert.Equal(pts.StressOld, pts.Stress);
        Assert.Equal(pts.StateOld, pts.State);
        Assert.Equal(converged, pts.Tangent); // the tangent of the same (committed) packing, kept, not probed again
        Assert.True(pts.Tangent[5] > 0, "relaxed tangent of the committed packing");
        Assert.True(model.Point(10).Trial.StateEquals(model.Point(10).Committed));
    }

    [Fact]
    public void TangentUpdateStepKeepsTheFirstTangentOfAStep()
    {
        // Truth: with tangentUpdate: step (modified Newton) every later iteration of a FEM step returns the
        // tangent of the step's first iteration bit for bit, the stress still follows the increment, and
        // after a commit the next step computes a new tangent of its own packing.
        using var model = Create(threads: 1, tangent: "relaxed", update: "step");
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.SetIncrement();
        pts.Integrate(model);
        var first = pts.Tangent.ToArray();
        var firstStress = pts.Stress.ToArray();
        pts.SetIncrement(1.1);
        pts.Integrate(model);
        Assert.Equal(first, pts.Tangent);
        Assert.NotEqual(firstStress, pts.Stress);
        model.CommitStep();
        pts.Accept();
        pts.SetIncrement();
        pts.Integrate(model);
        Assert.NotEqual(first, pts.Tangent);
    }

    [Fact]
    public void LinearReuseContinuesTheTrialsStressAlongItsTangentWithoutRunningTheRve()
    {
        // Truth: with reuse: linear, an iterate within reuseStrain of the point's trial is answered by the first-order
        // Taylor expansion σ = σ_trial + D_trial (Δε − Δε_trial), D the tangent returned with the trial (row-major,
        // engineering shear), without a DEM step; the tangent and state are the trial's. At the trial's own increment
        // the answer is the trial's stress exactly.
        using var model = Create(threads: 1, tangent: "relaxed", reuse: "linear", reuseStrain: 2e-4);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.SetIncrement();
        pts.Integrate(model);
        var rve = model.Point(10);
        var (stress, state, tangent, increment) = (pts.Stress.ToArray(), pts.State.ToArray(), pts.Tangent.ToArray(), pts.Increment.ToArray());
        long steps = rve.Solver.Steps;

        double[] delta = [3e-5, -1.5e-4, 0, 1e-4];
        for (int j = 0; j < N; j++)
        {
            pts.Increment[j] += delta[j];
        }

        pts.Integrate(model);
        Assert.True(pts.Status[0].IsOk, pts.Status[0].Reason);
        Assert.Equal(steps, rve.Solver.Steps);
        for (int i = 0; i < N; i++)
        {
            double expected = stress[i] + Enumerable.Range(0, N).Sum(j => tangent[i * N + j] * delta[j]);
            Assert.Equal(expected, pts.Stress[i], 1e-9);
        }

        Assert.NotEqual(stress[1], pts.Stress[1]);
        Assert.Equal(tangent, pts.Tangent);
        Assert.Equal(state, pts.State);

        increment.CopyTo(pts.Increment, 0);
        pts.Integrate(model);
        Assert.Equal(stress, pts.Stress);
    }

    [Fact]
    public void LinearReuseNeverAnswersWithTensionTheRveRunsInstead()
    {
        // Truth: a cohesionless packing carries no tension. Near the unloaded state (a stretch that takes the RVE
        // from 100 kPa to a few kPa) the trial's tangent continued 2·10⁻⁴ further in stretch gives a tensile
        // σ_trial + D_trial δε; that answer is refused, the RVE runs (DEM steps are taken) and its stress has no
        // tensile principal value beyond round-off (contacts open instead).
        using var model = Create(threads: 1, tangent: "relaxed", reuse: "linear", reuseStrain: 2e-4);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.Increment[0] = pts.Increment[1] = StretchToNearlyUnloaded;
        pts.Integrate(model);
        Assert.True(pts.Status[0].IsOk, pts.Status[0].Reason);
        var rve = model.Point(10);
        var (stress, tangent) = (pts.Stress.ToArray(), pts.Tangent.ToArray());
        Assert.InRange(MajorPrincipal(stress), -40.0, 0.0);

        double[] delta = [2e-4, 2e-4, 0, 0];
        var linear = Enumerable.Range(0, N).Select(i => stress[i] + Enumerable.Range(0, N).Sum(j => tangent[i * N + j] * delta[j])).ToArray();
        Assert.True(MajorPrincipal(linear) > 1.0, $"the set-up must make the linear answer tensile, got {MajorPrincipal(linear):G3} kPa");

        long steps = rve.Solver.Steps;
        pts.Increment[0] += delta[0];
        pts.Increment[1] += delta[1];
        pts.Integrate(model);
        Assert.True(pts.Status[0].IsOk, pts.Status[0].Reason);
        Assert.True(rve.Solver.Steps > steps, "a tensile linear answer runs the RVE");
        Assert.True(MajorPrincipal(pts.Stress) <= 0.01, $"the RVE's answer is not tensile: {MajorPrincipal(pts.Stress):G3} kPa");
    }

    /// <summary>Isotropic stretch (each in-plane component) that unloads the 50-particle M1 RVE from 100 kPa to a few kPa.</summary>
    private const double StretchToNearlyUnloaded = 8e-4;

    private static double MajorPrincipal(IReadOnlyList<double> s) =>
        (0.5 * (s[0] + s[1])) + Math.Sqrt((0.25 * (s[0] - s[1]) * (s[0] - s[1])) + (s[3] * s[3]));

    [Fact]
    public void ANewtonIterateWithinReuseStrainReusesTheTrialAndAFartherOneRunsTheRve()
    {
        // Truth: within a FEM step, an iterate that moves the point by at most reuseStrain (5e-6, the default) in
        // every in-plane component since its last trial gets that trial's answer bit for bit, without a single DEM
        // step (a re-run would differ by D·δε ≈ 0.5 kPa plus the RVE's roughness); an iterate farther away, or the
        // same increment after a revert, runs the RVE, and the fixed-step map gives the first answer again.
        using var model = Create(threads: 1, tangent: "relaxed");
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.SetIncrement();
        pts.Integrate(model);
        var rve = model.Point(10);
        var (stress, state, tangent) = (pts.Stress.ToArray(), pts.State.ToArray(), pts.Tangent.ToArray());
        long steps = rve.Solver.Steps;

        pts.Increment[1] += 4e-6;
        pts.Increment[3] -= 8e-6; // γ12: a tensor component change of 4e-6
        pts.Integrate(model);
        Assert.True(pts.Status[0].IsOk, pts.Status[0].Reason);
        Assert.Equal(steps, rve.Solver.Steps);
        Assert.Equal(stress, pts.Stress);
        Assert.Equal(state, pts.State);
        Assert.Equal(tangent, pts.Tangent);

        pts.Increment[1] += 2e-6; // 6e-6 from the trial's increment: beyond reuseStrain
        pts.Integrate(model);
        Assert.True(rve.Solver.Steps > steps, "an iterate beyond reuseStrain runs the RVE");
        Assert.NotEqual(stress, pts.Stress);

        model.RevertStep();
        pts.SetIncrement();
        long before = rve.Solver.Steps;
        pts.Integrate(model);
        Assert.True(rve.Solver.Steps > before, "no reuse across a revert");
        Assert.Equal(stress, pts.Stress);
    }

    [Fact]
    public void TheResponseIsAContinuousFunctionOfTheIncrement()
    {
        // Truth: every call is the same fixed-step map from the committed packing (load steps set by |Δε|,
        // then a fixed relaxation), so a perturbation of 10⁻⁹ in Δε22 changes the stress by about D·10⁻⁹
        // (≈ 10⁻⁴ kPa), not by the relaxation noise of an adaptive stop (≈ 1 kPa); and a zero increment
        // is the limit of vanishing ones (the committed state was relaxed the same way).
        using var model = Create(threads: 1);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        for (int step = 0; step < 3; step++)
        {
            pts.SetIncrement(2.0);
            pts.Integrate(model);
            model.CommitStep();
            pts.Accept();
        }

        double Sigma22(double de22)
        {
            Array.Clear(pts.Increment);
            pts.Increment[1] = de22;
            pts.Integrate(model);
            model.RevertStep();
            return pts.Stress[1];
        }

        double committed = pts.StressOld[1];
        double a = Sigma22(-0.001), b = Sigma22(-0.001 - 1e-9);
        Assert.True(Math.Abs(b - a) < 1e-2, $"σ22 changed by {b - a:G3} kPa for a 1e-9 change of the increment");
        double tiny = Sigma22(-1e-9);
        Assert.True(Math.Abs(tiny - committed) < 0.5, $"σ22 after a 1e-9 increment {tiny:G6} kPa vs committed {committed:G6} kPa");
    }

    [Fact]
    public void CompressionIncrementsStiffenAndTheTangentIsPositiveDefinite()
    {
        // Truth: axial compression from an isotropic state increases the axial compressive stress
        // (σ22 more negative) and the eq. 7 tangent (a sum of k_n (n⊗d)² + k_s (t⊗d)² terms) is
        // symmetric positive definite on the in-plane components.
        using var model = Create(threads: 2);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        pts.Increment[1] = -0.001;
        pts.Integrate(model);
        Assert.True(pts.Status[0].IsOk, pts.Status[0].Reason);
        Assert.True(pts.Stress[1] < -110, $"σ22 = {pts.Stress[1]}");
        var d = pts.Tangent;
        int[] idx = [0, 1, 3];
        foreach (var i in idx)
        {
            foreach (var j in idx)
            {
                Assert.Equal(d[i * N + j], d[j * N + i], 1e-9 * d[0]);
            }
        }

        double a = d[0], b = d[1], c = d[5], s = d[15];
        Assert.True(a > 0 && a * c - b * b > 0 && s > 0);
        Assert.True(pts.State[5] > 0, "DEM steps are logged");
    }

    [Fact]
    public void RelaxedTangentPredictsTheNextIncrementBetterThanTheVoigtBound()
    {
        // Truth: eq. 7 assumes affine particle motion, an upper (Voigt) bound of the stiffness; the relaxed
        // tangent (finite differences of the RVE) includes non-affine relaxation and sliding, so it is
        // softer in the loading direction and predicts the stress change of the next increment better.
        using var contact = Create(threads: 2);
        using var relaxed = Create(threads: 2, tangent: "relaxed");
        var a = new Points(1, contact.Metadata.StateSize);
        var b = new Points(1, relaxed.Metadata.StateSize);
        a.Initialize(contact);
        b.Initialize(relaxed);
        a.Increment[1] = b.Increment[1] = -0.001;
        a.Integrate(contact);
        b.Integrate(relaxed);
        Assert.Equal(a.Stress, b.Stress); // the tangent method does not change the RVE response
        Assert.True(b.Tangent[5] > 0 && b.Tangent[5] < a.Tangent[5], $"relaxed D22 {b.Tangent[5]:G4} vs eq. 7 {a.Tangent[5]:G4}");
        double sigma = a.Stress[1], contactD22 = a.Tangent[5], relaxedD22 = b.Tangent[5];
        contact.CommitStep();
        a.Accept();
        a.Increment[1] = -0.0004;
        a.Integrate(contact);
        double actual = a.Stress[1] - sigma;
        double errorContact = Math.Abs(-0.0004 * contactD22 - actual);
        double errorRelaxed = Math.Abs(-0.0004 * relaxedD22 - actual);
        Assert.True(errorRelaxed < errorContact, $"relaxed error {errorRelaxed:G3} kPa vs eq. 7 error {errorContact:G3} kPa");
    }

    [Fact]
    public void AnIncrementBeyondTheLimitAsksForASmallerStepWithoutTouchingThePacking()
    {
        // Truth: an increment of 15 % (five times maxStrainIncrement = 3 %) is refused with a smaller-step
        // request of ratio 0.9 · 0.03 / 0.15 and leaves the committed packing as it was.
        using var model = Create(threads: 1);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.Initialize(model);
        var before = model.Point(10).Committed.Clone();
        pts.Increment[1] = -0.15;
        pts.Integrate(model);
        Assert.Equal(PointOutcome.SmallerStep, pts.Status[0].Outcome);
        Assert.Equal(0.18, pts.Status[0].StepRatio, 1e-12);
        Assert.True(model.Point(10).Committed.StateEquals(before));
    }

    [Fact]
    public void InvalidParametersAndTensileInitialStressGiveClearErrors()
    {
        // Truth: user mistakes are reported as MaterialParameterException naming the key and the allowed values.
        var e1 = Assert.Throws<MaterialParameterException>(() => _plugin.Create(MaterialParameters.Validate(_plugin.Metadata,
            new Dictionary<string, object?> { ["rMin"] = 8.0, ["rMax"] = 4.0 }), ModellingHypothesis.PlaneStrain));
        Assert.Contains("rMin", e1.Message);
        Assert.Throws<MaterialParameterException>(() => MaterialParameters.Validate(_plugin.Metadata,
            new Dictionary<string, object?> { ["preset"] = "M3" }));
        foreach (var bad in new object[] { "soft", -5.0, 2e7 })
        {
            var e3 = Assert.Throws<MaterialParameterException>(() => _plugin.Create(MaterialParameters.Validate(_plugin.Metadata,
                new Dictionary<string, object?> { ["E"] = bad }), ModellingHypothesis.PlaneStrain));
            Assert.Equal("E", e3.Key);
            Assert.Contains("'preset'", e3.Message);
        }

        // 'preset' (the default) takes the preset's value; a number overrides it.
        var m2 = DemRveSettings.From("DemRve", MaterialParameters.Validate(_plugin.Metadata, new Dictionary<string, object?> { ["preset"] = "M2" }));
        Assert.Equal(800e6, m2.Template.Law.YoungsModulus);
        var stiff = DemRveSettings.From("DemRve", MaterialParameters.Validate(_plugin.Metadata, new Dictionary<string, object?> { ["preset"] = "M2", ["E"] = 1000 }));
        Assert.Equal(1000e6, stiff.Template.Law.YoungsModulus);
        Assert.Equal(0.12, stiff.Template.Law.StiffnessRatio);
        using var model = Create(threads: 1);
        var pts = new Points(1, model.Metadata.StateSize);
        pts.StressOld[0] = pts.StressOld[1] = 10;
        var e2 = Assert.Throws<MaterialParameterException>(() => pts.Initialize(model));
        Assert.Contains("compressive", e2.Message);
    }
}
