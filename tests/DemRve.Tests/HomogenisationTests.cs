using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>Love–Weber stress and eq. 7 tangent of a hexagonal lattice against its analytic values.</summary>
public class HomogenisationTests
{
    private const double R = 0.005, Spacing = 2 * R * 0.99, Kn = 1e8;
    private static readonly ContactLaw Frictionless = new(Kn, 0.5, 0.0, 2600, 0.0);

    /// <summary>A 6×6 hexagonal lattice of equal disks with spacing a = 0.99 · 2r (each disk has 6 contacts).</summary>
    private static Packing Lattice()
    {
        int nx = 6, ny = 6;
        double rowHeight = Spacing * Math.Sqrt(3) / 2;
        var p = new Packing(nx * ny) { Cell = new Mat2(nx * Spacing, 0, 0, ny * rowHeight) };
        for (int row = 0, i = 0; row < ny; row++)
        {
            for (int col = 0; col < nx; col++, i++)
            {
                p.Radius[i] = R;
                p.SetPosition(i, (col + 0.5 * (row % 2) + 0.25) * Spacing, (row + 0.5) * rowHeight);
            }
        }

        p.SetMasses(2600);
        p.Skin = 0.2 * R;
        p.ReferenceCell = p.Cell;
        return p;
    }

    [Fact]
    public void AffinelyDeformedLatticeGivesTheStressOfItsBonds()
    {
        // Truth: every disk of a Bravais lattice is a centre of symmetry, so an affine deformation F
        // keeps it in equilibrium; each disk has three bonds b = a(cos θ, sin θ), θ = 0°, 60°, 120°, of
        // deformed length l_b = |F b| and force k_n (2r − l_b), and the stress is
        // σ = −(1/A_d) Σ_b k_n (2r − l_b) (F b ⊗ F b)/l_b with A_d = det F · (√3/2) a² per disk.
        var p = Lattice();
        var strain = new Mat2(-0.0012, 0.0004, 0.0004, -0.002);
        var f = Mat2.Identity + strain;
        p.Cell = f * p.Cell;
        var solver = new DemSolver(p, Frictionless);
        solver.Step(Mat2.Zero);
        Assert.Equal(3 * p.Count, solver.ContactCount);

        double area = f.Determinant * Math.Sqrt(3) / 2 * Spacing * Spacing;
        var expected = Mat2.Zero;
        for (int b = 0; b < 3; b++)
        {
            double th = b * Math.PI / 3;
            double bx = Spacing * Math.Cos(th), by = Spacing * Math.Sin(th);
            double dx = f.XX * bx + f.XY * by, dy = f.YX * bx + f.YY * by, l = Math.Sqrt(dx * dx + dy * dy);
            double force = Kn * (2 * R - l);
            expected -= (force / l / area) * new Mat2(dx * dx, dx * dy, dy * dx, dy * dy);
        }

        var s = solver.Stress;
        double scale = expected.MaxAbs;
        Assert.Equal(expected.XX, s.XX, 1e-9 * scale);
        Assert.Equal(expected.YY, s.YY, 1e-9 * scale);
        Assert.Equal(expected.XY, s.XY, 1e-9 * scale);
        Assert.Equal(expected.XY, s.YX, 1e-9 * scale);
    }

    [Fact]
    public void ContactTangentOfTheLatticeIsIsotropicWithLameConstantsRoot3KnOver4()
    {
        // Truth: eq. 7 with normal springs only on a triangular lattice, C = (k_n a²/A) Σ_b n⊗n⊗n⊗n
        // = (√3/4) k_n (δδ + δδ + δδ): λ = μ = √3 k_n / 4 (plane-strain Voigt, engineering shear),
        // and σ33 = ½(σ11 + σ22) makes row 33 half the sum of rows 11 and 22.
        var p = Lattice();
        var solver = new DemSolver(p, Frictionless);
        solver.Step(Mat2.Zero); // every contact slides (μ = 0): no k_s contribution
        Span<double> c = stackalloc double[16];
        Homogenisation.ContactTangent(p, c);
        var d = new double[16];
        Homogenisation.ToPlaneStrainVoigt(c, 0.5, 1.0, d);
        double mu = Math.Sqrt(3) / 4 * Kn, tol = 1e-9 * mu;
        Assert.Equal(3 * mu, d[0], tol);
        Assert.Equal(mu, d[1], tol);
        Assert.Equal(mu, d[4], tol);
        Assert.Equal(3 * mu, d[5], tol);
        Assert.Equal(mu, d[15], tol);
        Assert.Equal(0.0, d[3], tol);
        Assert.Equal(0.0, d[12], tol);
        Assert.Equal(2 * mu, d[8], tol);
        Assert.Equal(2 * mu, d[9], tol);
        Assert.Equal(0.0, d[2], tol);
    }

    [Fact]
    public void StickingContactsAddTangentialStiffness()
    {
        // Truth: sticking contacts add (k_s a²/A) Σ_b t⊗n⊗t⊗n to eq. 7. For three bonds at 0°, 60°, 120°
        // with A = (√3/2) a²: Σ sin²θ cos²θ = 3/8 and ¼ Σ (sin⁴θ + cos⁴θ − 2 sin²θ cos²θ) = 3/8, so the
        // tangential part adds μ_s = √3 k_s / 4 to D11, D22 and D_shear and −μ_s to D12.
        var p = Lattice();
        var law = Frictionless with { Friction = 0.5 };
        var solver = new DemSolver(p, law);
        solver.Step(Mat2.Zero);
        Assert.All(Enumerable.Range(0, p.PairCount).Where(k => p.ContactState[k] != 0), k => Assert.Equal(1, p.ContactState[k]));
        Span<double> c = stackalloc double[16];
        Homogenisation.ContactTangent(p, c);
        var d = new double[16];
        Homogenisation.ToPlaneStrainVoigt(c, 0.5, 1.0, d);
        double mun = Math.Sqrt(3) / 4 * Kn, mus = Math.Sqrt(3) / 4 * law.StiffnessRatio * Kn, tol = 1e-9 * mun;
        Assert.Equal(3 * mun + mus, d[0], tol);
        Assert.Equal(mun - mus, d[1], tol);
        Assert.Equal(mun + mus, d[15], tol);
    }
}
