using FemHost.Materials.DemRve.Dem3D;
using FemHost.Materials.DemRve.Engine;
using Xunit;

namespace FemHost.Materials.DemRve.Tests;

/// <summary>Isotropic consolidation and the true triaxial servo of the 3D engine.</summary>
public class Dem3DServoTests
{
    /// <summary>
    /// Truth: the consolidation stops only when σ11, σ22, σ33 are within 1 % of the target and the shear stresses
    /// below 1 % of it, in equilibrium; frictionless compaction of polydisperse spheres gives a dense random
    /// packing near random close packing (solid fraction 0.62–0.68; Z ≈ 6 for μ = 0.4 once friction is on).
    /// Then the servo holds the path it is given while the axial strain drives σ1 up: for constant p and b it
    /// keeps p within 1 % of its value and b within 0.02 (b checked once q ≥ 0.3 p, where it is defined to that
    /// accuracy); for constant σ3 and b, σ3 within 1 % and b within 0.02. The path is truly deviatoric: q reaches
    /// at least half the held stress. Material 2 (3.39–28.27 mm, the paper's constant-σ3 family) packs denser,
    /// as wide gradations do (the small spheres fill the voids of the large: solid fraction 0.68–0.80); its
    /// coordination number is not bounded below, because many of its small spheres are rattlers; it needs 800 spheres
    /// for the cell to be wider than twice the contact cut-off of its largest sphere.
    /// </summary>
    [Theory]
    [InlineData(1, TrueTriaxialMode.ConstantMeanStress, 0.5)]
    [InlineData(1, TrueTriaxialMode.ConstantMinorStress, 0.75)]
    [InlineData(2, TrueTriaxialMode.ConstantMinorStress, 0.25)]
    public void ServoHoldsTheTrueTriaxialPathWithinOnePercent(int materialNumber, TrueTriaxialMode mode, double b)
    {
        const double held = 1e6;
        var material = materialNumber == 1 ? SphereMaterial.Material1 : SphereMaterial.Material2;
        var p = SpherePackingGenerator.Generate(materialNumber == 1 ? 150 : 800, material.Gradation, material.Law.Density, 1);
        var solver = new SphereDemSolver(p, material.Law);
        SphereConsolidation.Run(solver, new ConsolidationControl(held, 0.0, material.Law.Friction, Tolerance: 0.01));
        var s = solver.Stress;
        Assert.All(new[] { s.X11, s.X22, s.X33 }, x => Assert.InRange(-x, 0.99 * held, 1.01 * held));
        if (materialNumber == 1)
        {
            Assert.InRange(p.SolidFraction, 0.62, 0.68);
            Assert.InRange(SphereHomogenisation.CoordinationNumber(p), 4.5, 7.5);
        }
        else
        {
            Assert.InRange(p.SolidFraction, 0.68, 0.80);
        }

        var records = TrueTriaxialTest.Run(solver, new TrueTriaxialPath(mode, held, b), 4e-6, 0.015, 100);
        Assert.True(records[^1].AxialStrain >= 0.015);
        Assert.True(records.Max(r => r.DeviatorStress) > 0.5 * held, $"q reached only {records.Max(r => r.DeviatorStress):G3} Pa");
        foreach (var r in records)
        {
            double kept = mode == TrueTriaxialMode.ConstantMeanStress ? r.MeanStress : r.S3;
            Assert.InRange(kept, 0.99 * held, 1.01 * held);
            if (r.DeviatorStress >= 0.3 * held)
            {
                Assert.InRange(r.B, b - 0.02, b + 0.02);
            }
        }
    }

    /// <summary>
    /// Truth: b = (σ2 − σ3)/(σ1 − σ3) and, for constant p, σ1 + σ2 + σ3 = 3p; the lateral stresses a path prescribes
    /// satisfy both exactly (σ1 = 1.6 MPa at p = 1 MPa, b = 0.25: σ3 = 4/7 MPa, σ2 = 3/7 + 0.4 MPa).
    /// </summary>
    [Fact]
    public void PathPrescribesLateralStressesWithTheHeldStressAndB()
    {
        var (s2, s3) = new TrueTriaxialPath(TrueTriaxialMode.ConstantMeanStress, 1e6, 0.25).LateralStresses(1.6e6);
        Assert.Equal(4e6 / 7, s3, 1e-6);
        Assert.Equal(3e6 / 7 + 0.4e6, s2, 1e-6);
        (s2, s3) = new TrueTriaxialPath(TrueTriaxialMode.ConstantMinorStress, 2e6, 1.0).LateralStresses(5e6);
        Assert.Equal(2e6, s3, 1e-6);
        Assert.Equal(5e6, s2, 1e-6);
    }
}
