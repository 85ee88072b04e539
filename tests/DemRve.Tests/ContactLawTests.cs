using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>Two-disk checks of the contact law and of the integrator.</summary>
public class ContactLawTests
{
    private static readonly ContactLaw Law = new(YoungsModulus: 1e8, StiffnessRatio: 0.5, Friction: 0.4, Density: 2600, LocalDamping: 0.0);

    /// <summary>Two disks of radii r1, r2 with centre distance <paramref name="distance"/> along x in a large cell.</summary>
    private static Packing Pair(double r1, double r2, double distance, double side = 1.0)
    {
        var p = new Packing(2) { Cell = new Mat2(side, 0, 0, side) };
        p.Radius[0] = r1;
        p.Radius[1] = r2;
        p.SetMasses(Law.Density);
        p.Skin = 0.2 * r1;
        p.SetPosition(0, 0.5 * side, 0.5 * side);
        p.SetPosition(1, 0.5 * side + distance, 0.5 * side);
        return p;
    }

    [Fact]
    public void NormalForceIsStiffnessTimesOverlap()
    {
        // Truth: linear contact f_n = k_n δ with k_n = 2E min(r_i, r_j)/(r_i + r_j), repulsive along the branch vector.
        double r1 = 0.004, r2 = 0.006, overlap = 1e-5;
        var p = Pair(r1, r2, r1 + r2 - overlap);
        var solver = new DemSolver(p, Law);
        solver.Step(Mat2.Zero);
        double kn = 2 * Law.YoungsModulus * r1 / (r1 + r2);
        Assert.Equal(1, solver.ContactCount);
        Assert.Equal(kn * overlap, p.Fn[0], 1e-9 * kn * overlap);
        Assert.Equal(kn * overlap, p.Fx[1], 1e-9 * kn * overlap);
        Assert.Equal(-kn * overlap, p.Fx[0], 1e-9 * kn * overlap);
        Assert.Equal(0.0, p.Fy[0], 1e-12);
    }

    [Fact]
    public void TangentialForceGrowsElasticallyThenIsCappedAtCoulomb()
    {
        // Truth: f_t = −k_s ∫ v_t dt while |f_t| < μ f_n, then |f_t| = μ f_n (sliding).
        double r = 0.005, overlap = 2e-5, v = 1e-3;
        var p = Pair(r, r, 2 * r - overlap);
        var solver = new DemSolver(p, Law with { Friction = 0.4 });
        p.InvMass[0] = p.InvMass[1] = 0; // held kinematically: constant velocities, no rotation
        p.InvInertia[0] = p.InvInertia[1] = 0;
        p.Uy[1] = v;
        double kn = Law.YoungsModulus, ks = Law.StiffnessRatio * kn, dt = solver.TimeStep;
        for (int s = 1; s <= 5; s++)
        {
            solver.Step(Mat2.Zero);
            Assert.Equal(-ks * v * dt * s, p.Ft[0], 1e-6 * ks * v * dt * s);
            Assert.Equal(1, p.ContactState[0]);
        }

        for (int s = 0; s < 20000 && p.ContactState[0] != 2; s++)
        {
            solver.Step(Mat2.Zero);
        }

        Assert.Equal(2, p.ContactState[0]);
        Assert.Equal(-0.4 * p.Fn[0], p.Ft[0], 1e-12 * kn * overlap);
        solver.Step(Mat2.Zero);
        Assert.True(Math.Abs(p.Ft[0]) <= 0.4 * p.Fn[0] * (1 + 1e-12));
    }

    [Fact]
    public void RollingMomentGrowsWithRelativeRotationThenIsCapped()
    {
        // Truth: rolling resistance M_r = −k_r ∫(ω_j − ω_i) dt with k_r = β k_s r̄², capped at η r̄ f_n.
        double r = 0.005, overlap = 2e-5, omega = 0.5;
        var law = Law with { RollingStiffnessFactor = 1.0, RollingFriction = 0.1 };
        var p = Pair(r, r, 2 * r - overlap);
        var solver = new DemSolver(p, law);
        p.InvMass[0] = p.InvMass[1] = 0;
        p.InvInertia[0] = p.InvInertia[1] = 0; // prescribed spin
        p.Omega[1] = omega;
        double kr = 1.0 * law.StiffnessRatio * law.YoungsModulus * r * r, dt = solver.TimeStep;
        for (int s = 1; s <= 3; s++)
        {
            solver.Step(Mat2.Zero);
            Assert.Equal(-kr * omega * dt * s, p.Mr[0], 1e-9 * kr * omega * dt * s);
        }

        for (int s = 0; s < 20_000; s++)
        {
            solver.Step(Mat2.Zero);
        }

        Assert.Equal(-0.1 * r * p.Fn[0], p.Mr[0], 1e-12 * r * p.Fn[0]);
    }

    [Fact]
    public void UndampedChainConservesEnergy()
    {
        // Truth: leapfrog on conservative linear springs conserves energy up to O((ω Δt)²); with
        // ω Δt ≈ 10⁻³ the synchronous energy ½ m v_n² + Σ ½ k_n δ_n² stays within 10⁻⁶ over 10⁴ steps.
        // Three disks in a periodic row (each touches its neighbours, one contact through the boundary).
        double r = 0.005, overlap = 1e-4;
        double a = 2 * r - overlap;
        var p = new Packing(3) { Cell = new Mat2(3 * a, 0, 0, 20 * r) };
        for (int i = 0; i < 3; i++)
        {
            p.Radius[i] = r;
        }

        p.SetMasses(Law.Density);
        p.Skin = 0.2 * r;
        for (int i = 0; i < 3; i++)
        {
            p.SetPosition(i, (i + 0.5) * a, 10 * r);
        }

        p.Ux[0] = 0.01; p.Ux[1] = -0.004; p.Ux[2] = -0.006; // zero total momentum, amplitude well below the overlap
        var solver = new DemSolver(p, Law, timeStepSafety: 5e-4);
        double kn = Law.YoungsModulus;
        double first = double.NaN, worst = 0;
        var before = new double[3];
        for (int s = 0; s < 10_000; s++)
        {
            Array.Copy(p.Ux, before, 3);
            solver.Step(Mat2.Zero);
            Assert.Equal(3, solver.ContactCount);
            double energy = 0;
            for (int i = 0; i < 3; i++)
            {
                double vn = 0.5 * (before[i] + p.Ux[i]);
                energy += 0.5 * vn * vn / p.InvMass[i];
            }

            for (int k = 0; k < p.PairCount; k++)
            {
                energy += 0.5 * p.Fn[k] * p.Fn[k] / kn;
            }

            if (double.IsNaN(first))
            {
                first = energy;
            }

            worst = Math.Max(worst, Math.Abs(energy - first) / first);
        }

        Assert.True(worst < 1e-6, $"relative energy drift {worst:G3}");
    }

    [Fact]
    public void DiskInteractsWithThePeriodicImageOfItsNeighbour()
    {
        // Truth: a disk at the right edge overlaps the image of a disk at the left edge; the force pushes
        // them apart across the boundary with magnitude k_n δ, as if the cell were tiled.
        double r = 0.005, overlap = 1e-5, side = 0.1;
        var p = Pair(r, r, 0, side);
        p.SetPosition(0, side - r + 0.5 * overlap, 0.05);
        p.SetPosition(1, r - 0.5 * overlap, 0.05);
        var solver = new DemSolver(p, Law);
        p.InvMass[0] = p.InvMass[1] = 0; // held kinematically
        solver.Step(Mat2.Zero);
        double f = Law.YoungsModulus * overlap;
        Assert.Equal(1, solver.ContactCount);
        Assert.Equal(-f, p.Fx[0], 1e-8 * f);
        Assert.Equal(f, p.Fx[1], 1e-8 * f);

        // Both disks drift leftwards together: disk 1 leaves through the left face and re-enters on the
        // right (reduced coordinate wrapped at a list rebuild); the contact and its force are unchanged.
        p.Ux[0] = p.Ux[1] = -1.0;
        double start = p.Sx[1];
        for (int s = 0; s < 1000; s++)
        {
            solver.Step(Mat2.Zero);
        }

        Assert.True(solver.Builds > 1);
        Assert.True(p.Sx[1] > start + 0.5, $"disk 1 crossed the boundary (s = {p.Sx[1]})");
        Assert.Equal(1, solver.ContactCount);
        Assert.Equal(-f, p.Fx[0], 1e-6 * f);
    }
}
