using FemHost.Materials.DemRve.Dem3D;
using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>The 3D periodic sphere engine against analytic truths.</summary>
public class Dem3DTests
{
    /// <summary>
    /// Truth: a simple cubic lattice of equal spheres (diameter d, spacing a &lt; d, so every sphere presses its six
    /// neighbours with f_n = k_n (d − a)) has one contact per direction and per volume a³, so by the Love–Weber
    /// formula σ_ii = −k_n (d − a)/a²; an affine strain increment then gives exactly
    /// Δσ11 = (k_n / a) Δε11 and, with no oblique contacts, only the change of volume in the lateral stresses,
    /// σ22 = σ22⁰ / (1 + Δε11); for a pure shear Δε12 = Δε21 = γ/2 the tangential springs of the x- and y-contacts give
    /// Δσ12 = (k_s / 2a) γ with no net moment on a sphere (so none rotates), up to geometric terms of relative
    /// size (k_n/k_s)(d − a)/a = 2·10⁻⁴. The Voigt stiffness of the lattice is
    /// C1111 = k_n / a, C1212 = k_s / a, C1122 = 0. The 3 × 3 × 3 lattice exercises the all-image pair search,
    /// the 4 × 4 × 4 one the bins.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void SimpleCubicLatticeStiffnessMatchesTheClosedForm(int perSide)
    {
        const double d = 0.01, a = d * (1 - 1e-4);
        var law = new SphereContactLaw(1e8, 0.5, 10.0, 2600, LocalDamping: 0);
        var p = SimpleCubic(perSide, d, a, law);
        var solver = new SphereDemSolver(p, law);
        double kn = law.NormalStiffness(d / 2, d / 2), ks = law.StiffnessRatio * kn;

        solver.Step(Mat3.Zero);
        var sigma0 = solver.Stress;
        Assert.Equal(3 * p.Count, solver.ContactCount);
        Assert.Equal(-kn * (d - a) / (a * a), sigma0.X11, 1e-9 * kn / a);
        Assert.Equal(sigma0.X11, sigma0.X33, 1e-9 * kn / a);

        Span<double> c = stackalloc double[81];
        SphereHomogenisation.VoigtStiffness(p, c);
        Assert.Equal(kn / a, c[0], 1e-9 * kn / a);                       // C1111
        Assert.Equal(ks / a, c[((0 * 3 + 1) * 3 + 0) * 3 + 1], 1e-9 * kn / a); // C1212
        Assert.Equal(0, c[((0 * 3 + 0) * 3 + 1) * 3 + 1], 1e-9 * kn / a);  // C1122

        // Uniaxial compression Δε11 = −10⁻⁴ in 100 steps.
        const double strain = -1e-4;
        Strain(solver, Mat3.Diagonal(strain, 0, 0), 100);
        var ds = solver.Stress - sigma0;
        Assert.Equal(kn / a * strain, ds.X11, 1e-4 * Math.Abs(kn / a * strain));
        Assert.Equal(sigma0.X22 * (1 / (1 + strain) - 1), ds.X22, 1e-6 * Math.Abs(kn / a * strain));
        Assert.Equal(sigma0.X33 * (1 / (1 + strain) - 1), ds.X33, 1e-6 * Math.Abs(kn / a * strain));

        // Pure shear γ = 10⁻⁴ on top of it.
        var sigma1 = solver.Stress;
        const double gamma = 1e-4;
        Strain(solver, new Mat3(0, gamma / 2, 0, gamma / 2, 0, 0, 0, 0, 0), 100);
        var dt = solver.Stress - sigma1;
        Assert.Equal(ks / (2 * a) * gamma, dt.X12, 1e-3 * ks / (2 * a) * gamma);
        Assert.Equal(ks / (2 * a) * gamma, dt.X21, 1e-3 * ks / (2 * a) * gamma);
        // Spheres stay (almost) unrotated: the moments of the x- and y-contacts cancel up to the 10⁻⁴ difference
        // of their lengths left by the compression; the angle turned is far below γ.
        Assert.InRange(p.Wz.Max(Math.Abs) * 101 * solver.TimeStep, 0, 1e-3 * gamma);
    }

    /// <summary>
    /// Truth: the binned pair search lists exactly the pairs (i, j, image) closer than r_i + r_j + skin that a
    /// brute-force search over every periodic image finds, in a sheared (triclinic) cell; so does the search
    /// without bins of a cell under three bins wide (60 spheres).
    /// </summary>
    [Theory]
    [InlineData(400)]
    [InlineData(60)]
    public void PairSearchFindsExactlyThePairsOfABruteForceSearchInAShearedCell(int count)
    {
        var p = SpherePackingGenerator.Generate(count, SphereMaterial.Material1.Gradation, 2600, 11, solidFraction: 0.3);
        var h0 = p.Cell;
        p.Cell = h0 * new Mat3(1, 0.2, -0.1, 0, 1, 0.15, 0, 0, 1);
        p.Skin = 3e-3;
        var (w1, w2, w3) = SphereNeighbourList.FaceDistances(p.Cell);
        bool binned = Math.Min(w1, Math.Min(w2, w3)) >= 3 * (2 * p.MaxRadius + p.Skin);
        Assert.Equal(count == 400, binned);
        new SphereNeighbourList().Build(p, SphereMaterial.Table2Law);
        var listed = new HashSet<(int, int, int, int, int)>();
        for (int k = 0; k < p.PairCount; k++)
        {
            Assert.True(listed.Add((p.PairI[k], p.PairJ[k], p.ShiftX[k], p.ShiftY[k], p.ShiftZ[k])));
        }

        var expected = new HashSet<(int, int, int, int, int)>();
        var h = p.Cell;
        for (int i = 0; i < p.Count; i++)
        {
            for (int j = i + 1; j < p.Count; j++)
            {
                for (int sx = -2; sx <= 2; sx++)
                {
                    for (int sy = -2; sy <= 2; sy++)
                    {
                        for (int sz = -2; sz <= 2; sz++)
                        {
                            double u = p.Sx[j] + sx - p.Sx[i], v = p.Sy[j] + sy - p.Sy[i], w = p.Sz[j] + sz - p.Sz[i];
                            double dx = h.X11 * u + h.X12 * v + h.X13 * w, dy = h.X21 * u + h.X22 * v + h.X23 * w, dz = h.X31 * u + h.X32 * v + h.X33 * w;
                            double reach = p.Radius[i] + p.Radius[j] + p.Skin;
                            if (dx * dx + dy * dy + dz * dz < reach * reach)
                            {
                                expected.Add((i, j, sx, sy, sz));
                            }
                        }
                    }
                }
            }
        }

        Assert.True(expected.Count > p.Count / 2, $"only {expected.Count} pairs: the test needs a crowded cell");
        Assert.True(expected.SetEquals(listed), $"brute force {expected.Count} pairs, binned list {listed.Count}");
    }

    /// <summary>
    /// Truth: without damping and friction the contact forces are conservative (f_n = k_n δ derives from the
    /// potential k_n δ²/2), so the total energy E = K + U is a constant of the motion and leapfrog keeps it to
    /// O(Δt²). A random packing of 200 spheres whose radii are blown up by 8 % (overlaps, no velocities) is
    /// released: with Δt = 0.1 √(m/k) the energy E^n = ½ (K^{n−½} + K^{n+½}) + U^n stays within 0.2 % of its
    /// initial value over 4000 steps while more than a fifth of it turns into kinetic energy; the momentum
    /// Σ m u stays zero to round-off (action equals reaction).
    /// </summary>
    [Fact]
    public void UndampedFrictionlessPackingConservesEnergyAndMomentum()
    {
        var law = SphereMaterial.Table2Law with { Friction = 0, LocalDamping = 0 };
        var p = SpherePackingGenerator.Generate(200, SphereMaterial.Material1.Gradation, law.Density, 5, solidFraction: 0.36);
        for (int i = 0; i < p.Count; i++)
        {
            p.Radius[i] *= 1.08;
        }

        p.SetMasses(law.Density);
        var solver = new SphereDemSolver(p, law, timeStepSafety: 0.1);
        double kBefore = p.KineticEnergy();
        solver.Step(Mat3.Zero);
        double e0 = 0.5 * (kBefore + p.KineticEnergy()) + solver.ElasticEnergy;
        double maxError = 0, maxKinetic = 0;
        for (int s = 0; s < 4000; s++)
        {
            kBefore = p.KineticEnergy();
            solver.Step(Mat3.Zero);
            double k = 0.5 * (kBefore + p.KineticEnergy());
            double e = k + solver.ElasticEnergy;
            maxError = Math.Max(maxError, Math.Abs(e - e0) / e0);
            maxKinetic = Math.Max(maxKinetic, k / e0);
        }

        Assert.True(maxKinetic > 0.2, $"too little energy exchanged (largest kinetic share {maxKinetic:P1})");
        Assert.InRange(maxError, 0, 2e-3); // measured 8.7e-4
        double mass = 0, mx = 0, my = 0, mz = 0, speed = 0;
        for (int i = 0; i < p.Count; i++)
        {
            double m = 1 / p.InvMass[i];
            mass += m;
            mx += m * p.Ux[i];
            my += m * p.Uy[i];
            mz += m * p.Uz[i];
            speed = Math.Max(speed, Math.Abs(p.Ux[i]) + Math.Abs(p.Uy[i]) + Math.Abs(p.Uz[i]));
        }

        Assert.InRange(Math.Sqrt(mx * mx + my * my + mz * mz), 0, 1e-12 * mass * speed);
    }

    /// <summary>
    /// Truth (sampling): the bell-shaped gradation is symmetric about the middle of its range with a standard
    /// deviation of (range/6)·0.986 (a normal truncated at ±3σ); the straight gradation curve passes half the
    /// mass at the mid diameter; every diameter lies in its range. 40 000 draws: sampling errors below 0.5 %.
    /// </summary>
    [Fact]
    public void GradationsHaveTheirStatedShapeAndRange()
    {
        var rng = new SplitMix64(3);
        foreach (var material in new[] { SphereMaterial.Material1, SphereMaterial.Material2 })
        {
            var g = material.Gradation;
            var d = new double[40_000];
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = g.Sample(ref rng);
            }

            Assert.InRange(d.Min(), g.MinDiameter, g.MaxDiameter);
            Assert.InRange(d.Max(), g.MinDiameter, g.MaxDiameter);
            double mid = 0.5 * (g.MinDiameter + g.MaxDiameter), range = g.MaxDiameter - g.MinDiameter;
            if (g.Shape == GradationShape.BellShaped)
            {
                double mean = d.Average(), sd = Math.Sqrt(d.Average(x => (x - mean) * (x - mean)));
                Assert.Equal(mid, mean, 0.005 * range);
                Assert.Equal(range / 6 * 0.9865, sd, 0.01 * range / 6);
            }
            else
            {
                double passing = d.Where(x => x < mid).Sum(x => x * x * x) / d.Sum(x => x * x * x);
                Assert.Equal(0.5, passing, 0.02);
            }
        }
    }

    private static SpherePacking SimpleCubic(int perSide, double diameter, double spacing, SphereContactLaw law)
    {
        var p = new SpherePacking(perSide * perSide * perSide) { Cell = Mat3.Diagonal(perSide * spacing, perSide * spacing, perSide * spacing), Skin = 0.1 * diameter };
        p.ReferenceCell = p.Cell;
        int n = 0;
        for (int i = 0; i < perSide; i++)
        {
            for (int j = 0; j < perSide; j++)
            {
                for (int k = 0; k < perSide; k++)
                {
                    p.Radius[n] = diameter / 2;
                    p.Sx[n] = (i + 0.5) / perSide;
                    p.Sy[n] = (j + 0.5) / perSide;
                    p.Sz[n] = (k + 0.5) / perSide;
                    n++;
                }
            }
        }

        p.SetMasses(law.Density);
        return p;
    }

    /// <summary>Applies the strain <paramref name="total"/> to the cell in <paramref name="steps"/> equal steps, then evaluates the stress at the end.</summary>
    private static void Strain(SphereDemSolver solver, Mat3 total, int steps)
    {
        var e = (1.0 / steps) * total;
        for (int s = 0; s < steps; s++)
        {
            solver.Step(e * solver.Packing.Cell);
        }

        solver.Step(Mat3.Zero);
    }
}
