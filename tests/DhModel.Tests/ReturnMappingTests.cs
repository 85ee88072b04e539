using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;
using Xunit;
using static FemHost.Materials.DhModel.Tests.PointFixtures;

namespace FemHost.Materials.DhModel.Tests;

/// <summary>Point-level verification of the strain-driven DH integration.</summary>
public class ReturnMappingTests
{
    private readonly DhReturnMapping _m = new(Paper);

    /// <summary>
    /// Truth: the Consistent tangent is the exact derivative of the integration, so it matches central finite
    /// differences of the stress update to round-off (h = 1e-6·|Δε|: truncation ~1e-10, round-off ~1e-9),
    /// in elastic and plastic steps, plane strain and 3D. Points whose perturbed updates change regime
    /// (elastic ↔ plastic, where σ(Δε) has a kink) are skipped.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void ConsistentTangentMatchesCentralDifferences(int n)
    {
        var rng = new Random(17 + n);
        int plastic = 0, elastic = 0;
        for (int k = 0; k < 120; k++)
        {
            double p = 5 + 800 * rng.NextDouble();
            double kappa = 0.05 * rng.NextDouble() * rng.NextDouble();
            double r = rng.NextDouble() < 0.6 ? 1.0 : rng.NextDouble();
            var (s, x) = State(rng, n, p, kappa, r);
            var de = Increment(rng, n, Math.Pow(10, -5 + 3.5 * rng.NextDouble()));
            var res = Run(_m, s, x, de);
            Assert.True(res.Status.IsOk, res.Status.Reason);
            double h = 1e-6 * Math.Max(1e-4, MaxAbs(de));
            bool isPlastic = res.State[0] > x[0];
            bool regimeStable = true;
            for (int j = 0; j < n && regimeStable; j++)
            {
                foreach (double sign in new[] { -1.0, 1.0 })
                {
                    var d2 = (double[])de.Clone();
                    d2[j] += sign * h;
                    regimeStable &= Run(_m, s, x, d2).State[0] > x[0] == isPlastic;
                }
            }

            if (!regimeStable)
            {
                continue;
            }

            var fd = FiniteDifferenceTangent(_m, s, x, de, h);
            double err = RelativeDifference(res.Tangent, fd);
            Assert.True(err < 1e-6, $"case {k}: relative tangent error {err:E2} (plastic: {isPlastic}, p = {p:F1}, |Δε| = {MaxAbs(de):E1})");
            if (isPlastic)
            {
                plastic++;
            }
            else
            {
                elastic++;
            }
        }

        Assert.True(plastic >= 30 && elastic >= 15, $"coverage: {plastic} plastic and {elastic} elastic cases checked");
    }

    /// <summary>Truth: after a plastic return the stress lies on the yield surface f = q − η(κ)p = 0; after any step f ≤ 0.</summary>
    [Fact]
    public void StressEndsOnOrInsideTheYieldSurface()
    {
        var rng = new Random(3);
        for (int k = 0; k < 300; k++)
        {
            var (s, x) = State(rng, 6, 10 + 500 * rng.NextDouble(), 0.02 * rng.NextDouble(), 1.0);
            var res = Run(_m, s, x, Increment(rng, 6, Math.Pow(10, -5 + 3 * rng.NextDouble())));
            double p = DhInvariants.P(res.Stress);
            double f = DhInvariants.Q(res.Stress, p) - Paper.Eta(res.State[0]) * p;
            Assert.True(f <= 1e-9 * p, $"f = {f:E3} > 0");
            if (res.State[0] > x[0])
            {
                Assert.True(Math.Abs(f) <= 1e-9 * p, $"plastic step off the yield surface: f = {f:E3}");
                Assert.Equal(Paper.Eta(res.State[0]), res.State[DhState.MobilisedEta], 12);
            }
        }
    }

    /// <summary>Truth: unloading from the yield surface (reducing q at constant volume) is elastic: no plastic strain.</summary>
    [Fact]
    public void ElasticUnloadingHasNoPlasticFlow()
    {
        var rng = new Random(5);
        for (int k = 0; k < 50; k++)
        {
            var (s, x) = State(rng, 4, 50 + 300 * rng.NextDouble(), 0.001 + 0.02 * rng.NextDouble(), 1.0);
            double p = DhInvariants.P(s);
            // Strain increment opposite to the deviatoric stress: shrinks q; no volume change.
            double size = 1e-5 * (1 + 10 * rng.NextDouble());
            var de = new double[4];
            for (int i = 0; i < 4; i++)
            {
                de[i] = -(i < 3 ? s[i] + p : 2 * s[i]) * size / p;
            }

            var res = Run(_m, s, x, de);
            Assert.Equal(x[0], res.State[0]);
            Assert.Equal(x[2], res.State[2]);
            Assert.True(DhInvariants.Q(res.Stress, DhInvariants.P(res.Stress)) < DhInvariants.Q(s, p));
        }
    }

    /// <summary>
    /// Truth: the elastic response is the hypoelastic law with K = K0 p_a (p/p_a)^n, G = G0 p_a (p/p_a)^n.
    /// (a) isotropic compression is elastic (no cap) and follows the exact integral
    /// p1^(1−n) = p0^(1−n) + (1−n)K0 p_a^(1−n) Δε_v; (b) a shear increment at constant volume inside the
    /// yield surface gives Δσ12 = G(p) γ12 exactly; (c) the Elastic tangent kind is K 1⊗1 + 2G(I − ⅓1⊗1) at p_{n+1}.
    /// </summary>
    [Fact]
    public void ElasticResponseMatchesKAndG()
    {
        var c = Paper;
        double p0 = 100, dEv = 2e-3;
        var res = Run(_m, [-p0, -p0, -p0, 0], [0, 0, 0], [-dEv / 3, -dEv / 3, -dEv / 3, 0]);
        double expected = Math.Pow(Math.Pow(p0, 1 - c.N) + (1 - c.N) * c.BulkFactor * dEv, 1 / (1 - c.N));
        Assert.Equal(expected, DhInvariants.P(res.Stress), 10);
        Assert.Equal(0.0, res.State[0]);
        Assert.Equal(c.BulkModulus(expected), (res.Tangent[0] + res.Tangent[1] + res.Tangent[2]) / 3, 9); // ∂p/∂ε_v = K(p_{n+1})

        double gamma = 1e-6;
        var sheared = Run(_m, [-p0, -p0, -p0, 0], [0.01, c.Eta(0.01), 0], [0, 0, 0, gamma]);
        Assert.Equal(0.01, sheared.State[0]);
        Assert.Equal(c.ShearModulus(p0) * gamma, sheared.Stress[3], 12);

        var elastic = Run(_m, [-p0, -p0, -p0, 0], [0.01, c.Eta(0.01), 0], [1e-4, -2e-4, 0, gamma], TangentKind.Elastic);
        var d = new double[16];
        double p1 = DhInvariants.P(elastic.Stress);
        Elasticity.Isotropic(c.BulkModulus(p1), c.ShearModulus(p1), d, 4);
        Assert.Equal(d, elastic.Tangent, (a, b) => Math.Abs(a - b) < 1e-9 * Math.Abs(d[0]));
    }

    /// <summary>Truth: isotropy — a rotated increment from a rotated state gives the rotated stress (3D, random rotations).</summary>
    [Fact]
    public void RotatedIncrementGivesRotatedStress()
    {
        var rng = new Random(11);
        for (int k = 0; k < 40; k++)
        {
            var (s, x) = State(rng, 6, 30 + 300 * rng.NextDouble(), 0.01 * rng.NextDouble(), rng.NextDouble() < 0.5 ? 1 : 0.5);
            var de = Increment(rng, 6, Math.Pow(10, -4 + 2 * rng.NextDouble()));
            var rot = RandomRotation(rng);
            var a = Run(_m, s, x, de);
            var b = Run(_m, RotateStress(rot, s), x, RotateStrain(rot, de));
            var expected = RotateStress(rot, a.Stress);
            for (int i = 0; i < 6; i++)
            {
                Assert.True(Math.Abs(expected[i] - b.Stress[i]) <= 1e-9 * MaxAbs(a.Stress), $"component {i}: {expected[i]} vs {b.Stress[i]}");
            }

            Assert.Equal(a.State[0], b.State[0], 12);
        }
    }

    /// <summary>
    /// Truth: a cohesionless soil carries no tension. Zero, tensile or strongly extended states return to the
    /// apex σ = −p_min 1 with finite stress, state and tangent — never NaN.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0, 1e-3)]
    [InlineData(10, 10, 10, 1e-3)]
    [InlineData(-1, -1, -1, 0.04)]
    [InlineData(-1e-3, -1e-3, -1e-3, 1e-6)]
    [InlineData(-100, -100, -100, 0.04)]
    public void ZeroOrTensileMeanStressNeverGivesNaN(double s11, double s22, double s33, double extension)
    {
        foreach (var kind in new[] { TangentKind.Consistent, TangentKind.Elastic })
        {
            var res = Run(_m, [s11, s22, s33, 0], [0, 0, 0], [extension, extension / 2, 0, extension / 3], kind);
            Assert.True(res.Status.IsOk);
            Assert.All(res.Stress.Concat(res.State).Concat(res.Tangent), v => Assert.True(double.IsFinite(v)));
            Assert.True(DhInvariants.P(res.Stress) >= Paper.PMin * (1 - 1e-12));
        }
    }

    /// <summary>Truth: an increment above max_strain_increment is refused with a smaller-step request, outputs finite.</summary>
    [Fact]
    public void TooLargeIncrementAsksForSmallerStep()
    {
        var res = Run(_m, [-100, -100, -100, 0], [0, 0, 0], [0.1, -0.1, 0, 0]);
        Assert.Equal(PointOutcome.SmallerStep, res.Status.Outcome);
        Assert.InRange(res.Status.StepRatio, 0.01, 0.99);
        Assert.All(res.Stress.Concat(res.Tangent), v => Assert.True(double.IsFinite(v)));
    }

    private static double[,] RandomRotation(Random rng)
    {
        // Rotation from a random unit quaternion.
        double a = rng.NextDouble() - 0.5, b = rng.NextDouble() - 0.5, c = rng.NextDouble() - 0.5, d = rng.NextDouble() - 0.5;
        double m = Math.Sqrt(a * a + b * b + c * c + d * d);
        (a, b, c, d) = (a / m, b / m, c / m, d / m);
        return new[,]
        {
            { a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) },
            { 2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b) },
            { 2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d },
        };
    }

    private static double[] Rotate(double[,] r, double[] t)
    {
        var o = new double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double v = 0;
                for (int k = 0; k < 3; k++)
                {
                    for (int l = 0; l < 3; l++)
                    {
                        v += r[i, k] * t[k * 3 + l] * r[j, l];
                    }
                }

                o[i * 3 + j] = v;
            }
        }

        return o;
    }

    private static double[] RotateStress(double[,] r, double[] s)
    {
        var t = new double[9];
        Voigt.StressToTensor(s, t);
        var o = new double[6];
        Voigt.TensorToStress(Rotate(r, t), o);
        return o;
    }

    private static double[] RotateStrain(double[,] r, double[] e)
    {
        var t = new double[9];
        Voigt.StrainToTensor(e, t);
        var o = new double[6];
        Voigt.TensorToStrain(Rotate(r, t), o);
        return o;
    }
}
