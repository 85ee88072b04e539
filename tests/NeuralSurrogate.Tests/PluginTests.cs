using FemHost.MaterialSdk;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class PluginTests
{
    private static readonly double[] Strain = [-0.004, 0.0015, 0, 0.002];
    private static readonly double[] Phi = [0.005, 0.002, 0, 0.003];
    private static readonly double[] Increment = [-0.0007, 0.0003, 0, -0.0004];
    private static readonly double[] StressOld = [-150, -90, -110, 12];

    /// <summary>Truth: the exact Jacobian of y = s_y·MLP((x − m)/s_x) + m_y equals central finite differences (error O(h²)).</summary>
    [Fact]
    public void NetworkJacobianMatchesFiniteDifferences()
    {
        var net = PluginTestSupport.Nn1(seed: 11);
        var x = new[] { -0.01, 0.004, 0.002, 0.012, 0.006 };
        var y = new double[3];
        var j = new double[15];
        net.EvaluateWithJacobian(x, y, j, 1);
        for (int k = 0; k < 5; k++)
        {
            double h = 1e-6;
            var xp = (double[])x.Clone();
            var xm = (double[])x.Clone();
            xp[k] += h;
            xm[k] -= h;
            var yp = new double[3];
            var ym = new double[3];
            net.Evaluate(xp, yp, 1);
            net.Evaluate(xm, ym, 1);
            for (int i = 0; i < 3; i++)
            {
                double fd = (yp[i] - ym[i]) / (2 * h);
                Assert.True(Math.Abs(fd - j[i * 5 + k]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"∂y{i}/∂x{k}: {j[i * 5 + k]} vs FD {fd}");
            }
        }
    }

    /// <summary>
    /// Truth: the "jacobian" (Consistent) tangent is the derivative of the stress update with respect to
    /// the strain increment, including φ_{n+1} = φ_n + |Δε| (∂φ/∂Δε = sign Δε): it must equal central
    /// differences of the plug-in's own stress over the in-plane components (11, 22, 12).
    /// </summary>
    /// <remarks>
    /// The second case uses the regularised |Δε| = Δε·tanh(Δε/δ) with δ = 1e-4 and increments of the order of δ,
    /// where the regularisation matters: its derivative must be consistent too.
    /// </remarks>
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1e-4, 0.2)]
    public void ConsistentTangentMatchesFiniteDifferencesOfTheStressUpdate(double phiSmoothing, double incrementScale)
    {
        using var model = PluginTestSupport.CreateMaterial(PluginTestSupport.Nn1(seed: 5), null, out _, phiSmoothing);
        var increment = Increment.Select(v => v * incrementScale).ToArray();
        var (_, _, d, status) = PluginTestSupport.Integrate(model, Strain, increment, StressOld, Phi, TangentKind.Consistent);
        Assert.True(status[0].IsOk);
        PluginTestSupport.AssertTangentIsTheDerivativeOfTheUpdate(model, Strain, increment, StressOld, Phi, d);
    }

    /// <summary>
    /// Truth (paper eq. 5 and the plug-in's documented choices): φ_{n+1} = φ_n + |Δε|; σ11, σ22, σ12 are NN1's
    /// outputs at (ε_n + Δε, φ_{n+1}); σ33, which NN1 does not predict, is carried with a zero tangent row.
    /// </summary>
    [Fact]
    public void StateAccumulatesAbsoluteIncrementsAndStressIsNn1()
    {
        var nn1 = PluginTestSupport.Nn1(seed: 2);
        using var model = PluginTestSupport.CreateMaterial(nn1, null, out _);
        var (stress, state, d, status) = PluginTestSupport.Integrate(model, Strain, Increment, StressOld, Phi, TangentKind.Consistent);
        Assert.True(status[0].IsOk);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(Phi[j] + Math.Abs(Increment[j]), state[j], 15);
        }

        var x = new[] { Strain[0] + Increment[0], Strain[1] + Increment[1], Strain[3] + Increment[3], state[0], state[1] };
        var y = new double[3];
        nn1.Evaluate(x, y, 1);
        Assert.Equal(new[] { y[0], y[1], StressOld[2], y[2] }, stress);
        Assert.All(d.AsSpan(8, 4).ToArray(), v => Assert.Equal(0, v));
    }

    /// <summary>
    /// Truth: the "nn2" (Approximate) tangent is NN2's upper triangle mirrored into a symmetric matrix; asking
    /// for it without an NN2 file fails the points with a message naming the parameter.
    /// </summary>
    [Fact]
    public void Nn2TangentIsTheSymmetricNetworkOutput()
    {
        var nn2 = PluginTestSupport.Nn2(seed: 8);
        using var model = PluginTestSupport.CreateMaterial(PluginTestSupport.Nn1(seed: 1), nn2, out _);
        var (_, state, d, status) = PluginTestSupport.Integrate(model, Strain, Increment, StressOld, Phi, TangentKind.Approximate);
        Assert.True(status[0].IsOk);
        var x = new[] { Strain[0] + Increment[0], Strain[1] + Increment[1], Strain[3] + Increment[3], state[0], state[1] };
        var y = new double[6];
        nn2.Evaluate(x, y, 1);
        int[] voigt = [0, 1, 3];
        int k = 0;
        for (int a = 0; a < 3; a++)
        {
            for (int b = a; b < 3; b++, k++)
            {
                Assert.Equal(y[k], d[voigt[a] * 4 + voigt[b]]);
                Assert.Equal(y[k], d[voigt[b] * 4 + voigt[a]]);
            }
        }

        using var without = PluginTestSupport.CreateMaterial(PluginTestSupport.Nn1(seed: 1), null, out _);
        var failed = PluginTestSupport.Integrate(without, Strain, Increment, StressOld, Phi, TangentKind.Approximate).Status[0];
        Assert.Equal(PointOutcome.Failed, failed.Outcome);
        Assert.Contains("nn2_model", failed.Reason);
    }

    /// <summary>Truth: a batch is the same computation as its points one by one (batched inference changes nothing).</summary>
    [Fact]
    public void BatchedCallEqualsPointByPointCalls()
    {
        using var model = PluginTestSupport.CreateMaterial(PluginTestSupport.Nn1(seed: 3), null, out _);
        var rng = new Random(1);
        int count = 288;
        double[] R(double a) => [.. Enumerable.Range(0, count * 4).Select(i => i % 4 == 2 ? 0 : a * (2 * rng.NextDouble() - 1))];
        var (strain, inc, phi) = (R(0.01), R(0.001), R(0.01).Select(Math.Abs).ToArray());
        var sOld = R(100);
        var all = PluginTestSupport.Integrate(model, strain, inc, sOld, phi, TangentKind.Consistent);
        for (int p = 0; p < count; p += 37)
        {
            var one = PluginTestSupport.Integrate(model, strain[(4 * p)..(4 * p + 4)], inc[(4 * p)..(4 * p + 4)], sOld[(4 * p)..(4 * p + 4)], phi[(4 * p)..(4 * p + 4)], TangentKind.Consistent);
            Assert.Equal(one.Stress, all.Stress[(4 * p)..(4 * p + 4)]);
            Assert.Equal(one.Tangent, all.Tangent[(16 * p)..(16 * p + 16)]);
        }
    }

    /// <summary>
    /// Truth: with anchor_initial_stress (default) Initialize stores σ0 − NN1(0, 0), so at ε = φ = 0 the stress
    /// is the case's initial stress exactly (equilibrium at λ = 0) and elsewhere it is NN1 shifted by that
    /// constant; with "no" it is NN1 itself (paper eq. 8).
    /// </summary>
    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    public void AnchoringReproducesTheInitialStress(string anchor)
    {
        var nn1 = PluginTestSupport.Nn1(seed: 4);
        var folder = Directory.CreateTempSubdirectory("nn-anchor-").FullName;
        var file = Path.Combine(folder, "nn1.json");
        NeuralModelFile.From(nn1, NetworkRole.Stress, null).Save(file);
        var plugin = new NeuralSurrogatePlugin();
        using var model = plugin.Create(MaterialParameters.Validate(plugin.Metadata,
            new Dictionary<string, object?> { ["nn1_model"] = file, ["anchor_initial_stress"] = anchor }), ModellingHypothesis.PlaneStrain);
        double[] s0 = [-100, -100, -100, 0];
        var state = new double[8];
        model.Initialize(new MaterialInitialization(new[] { 0 }, new double[2], s0, state));
        var y0 = new double[3];
        nn1.Evaluate(new double[5], y0, 1);
        var stress = new double[4];
        var newState = new double[8];
        var status = new PointStatus[1];
        var run = (double[] inc) => model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, 1, 8, 0, 1, TangentKind.Consistent,
            new[] { 0 }, new double[2], new double[4], inc, s0, state, stress, newState, new double[16], status));
        run(new double[4]);
        Assert.True(status[0].IsOk);
        double[] expected = anchor == "yes" ? s0 : [y0[0], y0[1], s0[2], y0[2]];
        Assert.All(expected.Zip(stress), p => Assert.Equal(p.First, p.Second, 9));
        run(Increment);
        var x = new[] { Increment[0], Increment[1], Increment[3], Math.Abs(Increment[0]), Math.Abs(Increment[1]) };
        var y = new double[3];
        nn1.Evaluate(x, y, 1);
        double shift = anchor == "yes" ? -100 - y0[0] : 0;
        Assert.Equal(y[0] + shift, stress[0], 9);
    }

    /// <summary>
    /// Truth (documented predictor rule): at Δε = 0, where |Δε| has no derivative, the tangent is the one-sided
    /// derivative for continued loading — along sign(ε_n) where ε_n ≠ 0, along sign(σ_n) at a virgin component —
    /// i.e. ∂NN1/∂ε_j + ∂NN1/∂φ_j · s_j with those signs.
    /// </summary>
    [Fact]
    public void PredictorTangentAtZeroIncrementFollowsContinuedLoading()
    {
        var nn1 = PluginTestSupport.Nn1(seed: 6);
        using var model = PluginTestSupport.CreateMaterial(nn1, null, out _);
        double[] strain = [0.002, 0, 0, 0];           // ε11 > 0 loaded before; ε22 virgin
        double[] phi = [0.002, 0, 0, 0];
        double[] stressOld = [-80, -100, -100, 0];    // compressive: virgin ε22 loads in compression
        var d = PluginTestSupport.Integrate(model, strain, new double[4], stressOld, phi, TangentKind.Consistent).Tangent;
        var x = new[] { 0.002, 0, 0, 0.002, 0 };
        var (y, j) = (new double[3], new double[15]);
        nn1.EvaluateWithJacobian(x, y, j, 1);
        int[] rows = [0, 1, 3];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(j[i * 5 + 0] + j[i * 5 + 3], d[rows[i] * 4 + 0], 9);   // column 11: s = sign(ε11) = +1
            Assert.Equal(j[i * 5 + 1] - j[i * 5 + 4], d[rows[i] * 4 + 1], 9);   // column 22: s = sign(σ22) = −1
            Assert.Equal(j[i * 5 + 2], d[rows[i] * 4 + 3], 9);                  // column 12: no φ12 input
        }
    }
}
