using FemHost.Materials.Elastic;
using FemHost.Materials.VonMises;
using FemHost.MaterialSdk;
using FemHost.MaterialSdk.Testing;
using Xunit.Abstractions;

namespace FemHost.UmatAdapter.Tests;

/// <summary>
/// Material points driven through the Umat plug-in. Truth: the native Elastic and VonMises plug-ins (whose physics
/// FemHost's own tests verify) on the same strain paths, the closed-form elastic energy, and the values a probe UMAT
/// echoes from its arguments.
/// </summary>
public class PointTests(ITestOutputHelper output)
{
    private const double E = 2e5, Nu = 0.3, SigmaY = 2.0;

    public static TheoryData<ModellingHypothesis, double> Hardening => new()
    {
        { ModellingHypothesis.PlaneStrain, 0.0 },
        { ModellingHypothesis.PlaneStrain, 5000.0 },
        { ModellingHypothesis.Tridimensional, 0.0 },
        { ModellingHypothesis.Tridimensional, 5000.0 },
    };

    /// <summary>
    /// umat_vonmises.f90 is the VonMises plug-in's radial return in Fortran: along random loading/unloading paths,
    /// from 100 kPa isotropic compression, far into plasticity, stress, eqps and the consistent tangent agree to round-off.
    /// </summary>
    [Theory]
    [MemberData(nameof(Hardening))]
    public void The_von_Mises_umat_follows_the_VonMises_plugin_along_strain_paths(ModellingHypothesis h, double hardening)
    {
        var native = new VonMisesPlugin().Create(MaterialParameters.Validate(new VonMisesPlugin().Metadata,
            new Dictionary<string, object?> { ["E"] = E, ["nu"] = Nu, ["sigma_y"] = SigmaY, ["H"] = hardening }), h);
        var umat = Umat.Create(Paths.Example("umat_vonmises.f90"), [E, Nu, SigmaY, hardening], 1, h);
        var (stress, tangent, state) = Compare(native, umat, h, seed: 7, steps: 60, plastic: true);
        output.WriteLine($"{h}, H = {hardening}: max relative difference stress {stress:E2}, tangent {tangent:E2}, eqps {state:E2}");
        Assert.True(stress < 1e-12 && tangent < 1e-12 && state < 1e-12, $"stress {stress:E2}, tangent {tangent:E2}, eqps {state:E2}");
    }

    [Theory]
    [InlineData("umat_elastic.f90", ModellingHypothesis.PlaneStrain)]
    [InlineData("umat_elastic.f90", ModellingHypothesis.Tridimensional)]
    [InlineData("umat_elastic_abaqus.for", ModellingHypothesis.PlaneStrain)]
    [InlineData("umat_elastic_abaqus.for", ModellingHypothesis.Tridimensional)]
    public void The_elastic_umats_follow_the_Elastic_plugin_along_strain_paths(string file, ModellingHypothesis h)
    {
        var native = new ElasticPlugin().Create(MaterialParameters.Validate(new ElasticPlugin().Metadata,
            new Dictionary<string, object?> { ["E"] = E, ["nu"] = Nu }), h);
        var path = file.EndsWith(".for", StringComparison.Ordinal) ? Paths.Asset(file) : Paths.Example(file);
        var umat = Umat.Create(path, [E, Nu], 0, h);
        var (stress, tangent, _) = Compare(native, umat, h, seed: 3, steps: 30, plastic: false);
        output.WriteLine($"{file}, {h}: max relative difference stress {stress:E2}, tangent {tangent:E2}");
        Assert.True(stress < 1e-13 && tangent < 1e-13, $"stress {stress:E2}, tangent {tangent:E2}");
    }

    /// <summary>SSE of the elastic UMAT is the strain energy ½ σ·ε of the path from zero (Voigt, engineering shear).</summary>
    [Fact]
    public void The_elastic_umat_stores_the_strain_energy_in_SSE()
    {
        var umat = Umat.Create(Paths.Example("umat_elastic.f90"), [E, Nu]);
        Assert.Equal(["SSE", "SPD", "SCD"], umat.Metadata.StateVariables.Select(s => s.Name));
        var h = new PointHarness(umat, 1, new double[4], TangentKind.Consistent);
        var rng = new Random(11);
        for (int k = 0; k < 10; k++)
        {
            double[] de = [1e-4 * (rng.NextDouble() - 0.5), 1e-4 * (rng.NextDouble() - 0.3), 0, 2e-4 * (rng.NextDouble() - 0.5)];
            var t = h.Trial(de);
            Assert.True(t.AllOk);
            h.Commit(t);
        }

        double energy = 0.5 * Enumerable.Range(0, 4).Sum(i => h.Stress[i] * h.Strain[i]);
        Assert.Equal(energy, h.State[0], 1e-12 * energy);
        Assert.Equal(0.0, h.State[1]);
    }

    /// <summary>Every argument the plug-in passes, as a probe UMAT echoes it (plane strain and 3D).</summary>
    [Theory]
    [InlineData(ModellingHypothesis.PlaneStrain)]
    [InlineData(ModellingHypothesis.Tridimensional)]
    public void The_umat_receives_the_abaqus_arguments_and_its_results_reach_the_host(ModellingHypothesis h)
    {
        var model = Umat.Create(Paths.Asset("umat_probe.f90"), [1, 2, 3], 29, h, ("cmname", "sand"), ("celent", 0.25));
        int n = Voigt.Size(h), d = MaterialBatch.Dimension(h), m = model.Metadata.StateSize;
        Assert.Equal(32, m);
        Assert.Equal("ndi", model.Metadata.StateVariables[0].Name);   // the names the source declares
        Assert.Equal("SCD", model.Metadata.StateVariables[^1].Name);
        Assert.False(model.Metadata.IsThreadSafe);

        int[] ids = [7, 12];
        double[] coords = d == 2 ? [1.5, 2.5, 3.0, 4.0] : [1.5, 2.5, 0.5, 3.0, 4.0, 0.75];
        var state = new double[2 * m];
        model.Initialize(new MaterialInitialization(ids, coords, new double[2 * n], state));
        for (int p = 0; p < 2; p++)
        {
            // SDVINI ran once per point: STATEV(29) = 1000 NOEL + 10 x + y + NCRDS / 2.
            Assert.Equal(1000 * (ids[p] + 1) + 10 * coords[p * d] + coords[p * d + 1] + 0.5 * d, state[p * m + 28]);
            (state[p * m + 29], state[p * m + 30], state[p * m + 31]) = (5, 6, 7);   // committed SSE, SPD, SCD
        }

        var strain = new double[2 * n];
        var increment = new double[2 * n];
        var stressOld = new double[2 * n];
        for (int i = 0; i < 2 * n; i++)
        {
            (strain[i], increment[i], stressOld[i]) = (1e-3 * (i + 1), 1e-4 * (i + 2), -100 - i);
        }

        var stress = new double[2 * n];
        var trial = new double[2 * m];
        var tangent = new double[2 * n * n];
        var status = new PointStatus[2];
        model.Integrate(new MaterialBatch(h, 2, m, 0.3, 0.1, TangentKind.Consistent, ids, coords, strain, increment, stressOld, state,
            stress, trial, tangent, status));
        for (int p = 0; p < 2; p++)
        {
            Assert.Equal(PointStatus.Ok, status[p]);
            var s = trial.AsSpan(p * m, m);
            double gamma = strain[p * n + Voigt.XY], dgamma = increment[p * n + Voigt.XY];
            double[] expected =
            [
                3, n - 3, n, 29, 3, ids[p] + 1, 1, 1, 1, 1, 4,                         // NDI NSHR NTENS NSTATV NPROPS NOEL NPT LAYER KSPT KSTEP KINC
                0.3, 0.3, 0.1, coords[p * d], coords[p * d + 1], d == 3 ? coords[p * d + 2] : 0, 0.25,   // TIME(1:2) DTIME COORDS CELENT
                1 * 1 + 2 * 2 + 3 * 3, 4, 'S', 3,                                        // sum i PROPS(i), CMNAME upper-cased, DROT = I
                0.5 * (gamma + dgamma), 1 + strain[p * n] + increment[p * n],              // DFGRD1 = I + ε_{n+1} (tensor shear)
                gamma, dgamma, 1e36, 1,                                                  // STRAN(4), DSTRAN(4): engineering shear; PNEWDT in; CMNAME = 'SAND'
                state[p * m + 28],                                                       // STATEV(29) carried through
            ];
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - s[i]) <= 1e-15 * Math.Max(1, Math.Abs(expected[i])),
                    $"point {p}, {model.Metadata.StateVariables[i].Name}: expected {expected[i]}, got {s[i]}");
            }

            Assert.Equal([6.0, 8.0, 10.0], s[29..].ToArray());
            for (int r = 0; r < n; r++)
            {
                Assert.Equal(stressOld[p * n + r] + r + 1, stress[p * n + r]);
                for (int c = 0; c < n; c++)
                {
                    // DDSDDE(r+1, c+1) = 10 (r+1) + (c+1) in Fortran's column-major order; the host's tangent is row-major.
                    Assert.Equal(10 * (r + 1) + (c + 1), tangent[p * n * n + r * n + c]);
                }
            }
        }

        // KINC is 1 in the increment that starts the analysis.
        model.Integrate(new MaterialBatch(h, 2, m, 0.0, 0.1, TangentKind.Consistent, ids, coords, strain, increment, stressOld, state,
            stress, trial, tangent, status));
        Assert.Equal(1.0, trial[10]);
    }

    /// <summary>Faults inside a UMAT end the point with a reason, never the process: the host turns them into cut-backs.</summary>
    [Theory]
    [InlineData(1, "umat_faults.f90: the UMAT called XIT")]
    [InlineData(2, "umat_faults.f90: the UMAT executed STOP 'tired'")]
    [InlineData(3, "umat_faults.f90: the UMAT executed ERROR STOP 7")]
    [InlineData(4, "the UMAT reported an error (STDB_ABQERR, LOP = -2): point 1 failed at 2.5 in GRAVEL")]
    [InlineData(5, "the UMAT reported an error and asked to stop (STDB_ABQERR, LOP = -3): cannot go on at point 1")]
    [InlineData(7, "the UMAT wrote STATEV(2), past NSTATV = 1; expected nstatv to cover every state variable it uses")]
    [InlineData(8, "the UMAT left DDSDDE zero")]
    [InlineData(9, "the UMAT returned a non-finite STRESS(2) = NaN")]
    public void A_failing_umat_fails_the_point_with_its_reason(int fault, string reason)
    {
        var h = new PointHarness(Umat.Create(Paths.Asset("umat_faults.f90"), [E, Nu, fault, 0, 0], 1), 2, [-100, -100, -100, 0], TangentKind.Consistent);
        var t = h.Trial([1e-4, -2e-4, 0, 1e-4, 1e-4, 0, 0, 0]);
        Assert.All(t.Status, s => Assert.Equal(PointOutcome.Failed, s.Outcome));
        Assert.Contains(reason, t.Status[0].Reason, StringComparison.Ordinal);

        // The same instance keeps working afterwards (the jump out of the UMAT left nothing behind).
        var ok = new PointHarness(Umat.Create(Paths.Asset("umat_faults.f90"), [E, Nu, 0, 0, 0], 1), 1, [-100, -100, -100, 0], TangentKind.Consistent)
            .Trial([1e-4, 0, 0, 0]);
        Assert.True(ok.AllOk);
    }

    /// <summary>PNEWDT &lt; 1 asks for a smaller step with that ratio; an information message leaves the point ok.</summary>
    [Fact]
    public void Pnewdt_below_one_is_a_smaller_step_request_with_its_ratio()
    {
        var h = new PointHarness(Umat.Create(Paths.Asset("umat_faults.f90"), [E, Nu, 10, 0.3, 1e-3], 1), 1, new double[4], TangentKind.Consistent);
        var big = h.Trial([2e-3, 0, 0, 0]);
        Assert.Equal(PointOutcome.SmallerStep, big.Status[0].Outcome);
        Assert.Equal(0.3, big.Status[0].StepRatio);
        Assert.Contains("the UMAT set PNEWDT = 0.3 (asks for a smaller increment)", big.Status[0].Reason, StringComparison.Ordinal);
        Assert.True(h.Trial([5e-4, 0, 0, 0]).AllOk);

        var noted = new PointHarness(Umat.Create(Paths.Asset("umat_faults.f90"), [E, Nu, 6, 0, 0], 1), 1, new double[4], TangentKind.Consistent)
            .Trial([1e-4, 0, 0, 0]);
        Assert.True(noted.AllOk);
        Assert.Equal(E * (1 - Nu) / ((1 + Nu) * (1 - 2 * Nu)) * 1e-4, noted.Stress[0], 1e-9);
    }

    [Fact]
    public void Non_finite_input_is_failed_without_calling_the_umat()
    {
        // The probe would write STRESS + i: a failed status with untouched outputs shows it was not called.
        var model = Umat.Create(Paths.Asset("umat_probe.f90"), [1], 29);
        var h = new PointHarness(model, 1, new double[4], TangentKind.Consistent);
        var t = h.Trial([double.NaN, 0, 0, 0]);
        Assert.Equal(PointOutcome.Failed, t.Status[0].Outcome);
        Assert.Contains("non-finite strain, strain increment, stress or state", t.Status[0].Reason, StringComparison.Ordinal);
        Assert.All(t.Stress, s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void The_instance_metadata_names_the_declared_state_and_states_thread_safety()
    {
        var vm = Umat.Create(Paths.Example("umat_vonmises.f90"), [E, Nu, SigmaY, 0], 1, ModellingHypothesis.PlaneStrain, ("thread_safe", "yes"));
        Assert.Equal(["eqps", "SSE", "SPD", "SCD"], vm.Metadata.StateVariables.Select(s => s.Name));
        Assert.True(vm.Metadata.IsThreadSafe);
        Assert.False(Umat.Plugin.Metadata.IsThreadSafe);

        // Without a declaration in the source the state variables are STATEV1..N.
        var file = Paths.TempFile("umat_plain.f90", File.ReadAllText(Paths.Example("umat_vonmises.f90")).Replace("! femhost:", "! (femhost)", StringComparison.Ordinal));
        var plain = Umat.Create(file, [E, Nu, SigmaY, 0], 2);
        Assert.Equal(["STATEV1", "STATEV2", "SSE", "SPD", "SCD"], plain.Metadata.StateVariables.Select(s => s.Name));
        Assert.False(plain.Metadata.IsThreadSafe);
    }

    /// <summary>
    /// Drives both models along the same path (a random direction of strain, reversed half-way, 1e-4 per step so
    /// that σ_y = 2 kPa is crossed at once) and returns the largest differences relative to each quantity's scale.
    /// </summary>
    private static (double Stress, double Tangent, double State) Compare(IMaterialModel native, IMaterialModel umat, ModellingHypothesis h,
        int seed, int steps, bool plastic)
    {
        int n = Voigt.Size(h);
        var sigma0 = new double[n];
        sigma0[0] = sigma0[1] = sigma0[2] = -100;
        var a = new PointHarness(native, 1, sigma0, TangentKind.Consistent);
        var b = new PointHarness(umat, 1, sigma0, TangentKind.Consistent);
        var rng = new Random(seed);
        int[] driven = h == ModellingHypothesis.PlaneStrain ? [0, 1, 3] : [0, 1, 2, 3, 4, 5];
        var dir = new double[n];
        foreach (int j in driven)
        {
            dir[j] = rng.NextDouble() - 0.5;
        }

        double stress = 0, tangent = 0, state = 0;
        int plasticSteps = 0;
        for (int k = 0; k < steps; k++)
        {
            double sign = k < steps / 2 ? 1 : -1;
            var de = dir.Select(x => sign * 2e-4 * x + 2e-5 * (rng.NextDouble() - 0.5)).ToArray();
            if (h == ModellingHypothesis.PlaneStrain)
            {
                de[2] = 0;
            }

            var ta = a.Trial(de);
            var tb = b.Trial(de);
            Assert.True(ta.AllOk && tb.AllOk, $"step {k}: {ta.Status[0]} / {tb.Status[0]}");
            double ss = ta.Stress.Max(Math.Abs), ts = ta.Tangent.Max(Math.Abs);
            stress = Math.Max(stress, ta.Stress.Zip(tb.Stress, (x, y) => Math.Abs(x - y)).Max() / ss);
            tangent = Math.Max(tangent, ta.Tangent.Zip(tb.Tangent, (x, y) => Math.Abs(x - y)).Max() / ts);
            if (a.M > 0)
            {
                state = Math.Max(state, Math.Abs(ta.State[0] - tb.State[0]) / Math.Max(ta.State[0], 1e-300));
                plasticSteps += ta.State[0] > a.State[0] ? 1 : 0;
            }

            a.Commit(ta);
            b.Commit(tb);
        }

        if (plastic)
        {
            Assert.True(plasticSteps > steps / 3, $"only {plasticSteps} of {steps} steps were plastic");
        }

        return (stress, tangent, state);
    }
}
