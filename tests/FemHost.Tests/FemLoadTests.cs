using FemHost.Cases;
using FemHost.Fem.Model;
using Xunit;
using static FemHost.Tests.FemTestSupport;

namespace FemHost.Tests;

/// <summary>Loads, initial stress and body forces against statics.</summary>
public sealed class FemLoadTests
{
    /// <summary>
    /// Truth: consistent nodal loads of a uniform traction on a straight quadratic edge of length L are
    /// L/6, 2L/3, L/6 (corner, mid-side, corner) times the traction; the totals equal the resultant
    /// L_total (t_x, t_y − p) for a pressure p pushing into the top edge (outward normal +y).
    /// </summary>
    [Fact]
    public void EdgeTractionAndPressureGiveConsistentNodalForces()
    {
        const double tx = 2, ty = -3, p = 5;
        var c = Case(new MeshDefinition { Rectangle = new RectangleMesh(3, 1, 2, 1) }, Material("Elastic", ("E", 1000.0)),
            loads: [new EdgeLoad("top", p, tx, ty, LoadHistory.Ramp, SourceLocation.None)]);
        using var model = ModelBuilder.Build(c, Plugin);
        var f = model.RampLoad;
        double sx = 0, sy = 0;
        for (int n = 0; n < model.Mesh.NodeCount; n++)
        {
            sx += f[2 * n];
            sy += f[2 * n + 1];
        }

        Assert.Equal(3 * tx, sx, 12);
        Assert.Equal(3 * (ty - p), sy, 12);

        // Element 0's top edge: nodes 3 (x = 0), 2 (x = 1.5) and mid-side 6 (x = 0.75); L = 1.5.
        var nodes = model.Mesh.ElementNodes(0);
        Assert.Equal(1.5 / 6 * tx, f[2 * nodes[3]], 12);
        Assert.Equal(2 * 1.5 / 3 * tx, f[2 * nodes[6]], 12);
        Assert.Equal(2 * 1.5 / 6 * (ty - p), f[2 * nodes[2] + 1], 12); // shared corner: two elements
        Assert.All(model.ConstantLoad, v => Assert.Equal(0.0, v));
    }

    /// <summary>
    /// Truth: an initial stress σ0 = −100 kPa (isotropic) in equilibrium with a constant confining pressure
    /// of 100 kPa on the free faces is already equilibrium: the displacement stays zero, the stress stays σ0
    /// and the base reaction equals the pressure resultant on the top, 100 kPa × width.
    /// </summary>
    [Fact]
    public void InitialStressInEquilibriumWithConfinementGivesNoDisplacement()
    {
        var c = Case(new MeshDefinition { Rectangle = new RectangleMesh(0.5, 1, 2, 4) }, Material("Elastic", ("E", 50000.0), ("nu", 0.3)), 2,
            displacements: [Fix("bottom", null, 0), Fix("bottom_left", 0, null)],
            loads: [Pressure("left", 100, LoadHistory.Constant), Pressure("right", 100, LoadHistory.Constant), Pressure("top", 100, LoadHistory.Constant)]) with
        {
            InitialStresses = [new InitialStress(null, [-100, -100, -100, 0], SourceLocation.None)],
        };
        using var run = Solve(c);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        Assert.All(run.U, u => Assert.True(Math.Abs(u) < 1e-12));
        var region = run.Model.Regions[0];
        Assert.All(region.Stress.Where((_, i) => i % 4 < 3), s => Assert.Equal(-100, s, 9));
        Assert.Equal(100 * 0.5, Reaction(run, "bottom").Ry, 9);
    }

    /// <summary>
    /// Truth: a column of unit weight γ on a smooth base with smooth sides (u_x = 0) under gravity is in
    /// one-dimensional compression, σ22(y) = −γ (H − y), linear in y, which Q8 represents exactly; the base
    /// reaction carries the weight γ W H.
    /// </summary>
    [Fact]
    public void GravityColumnHasLinearVerticalStressAndCarriesItsWeight()
    {
        const double gamma = 18, w = 1, h = 3;
        var c = Case(new MeshDefinition { Rectangle = new RectangleMesh(w, h, 1, 4) }, Material("Elastic", ("E", 20000.0), ("nu", 0.3)),
            displacements: [Fix("bottom", 0, 0), Fix("left", 0, null), Fix("right", 0, null)]) with
        {
            BodyForces = [new BodyForce(null, 0, -gamma, LoadHistory.Ramp, SourceLocation.None)],
        };
        using var run = Solve(c);
        Assert.True(run.Result.Completed, run.Result.StopReason);
        var region = run.Model.Regions[0];
        for (int q = 0; q < region.Count; q++)
        {
            double y = region.Coordinates[2 * q + 1];
            Assert.Equal(-gamma * (h - y), region.Stress[4 * q + 1], 9);
        }

        Assert.Equal(gamma * w * h, Reaction(run, "bottom").Ry, 9);
    }

    /// <summary>Truth: a case naming a set the mesh lacks is a user error at the case location that lists the sets there are.</summary>
    [Fact]
    public void UnknownSetIsAUserErrorListingTheMeshSets()
    {
        var where = new SourceLocation("case.yaml", 12, 5);
        var c = Case(new MeshDefinition { Rectangle = new RectangleMesh(1, 1, 1, 1) }, Material("Elastic", ("E", 1000.0)),
            displacements: [new DisplacementBc("botom", 0, 0, LoadHistory.Constant, where)]);
        var e = Assert.Throws<UserInputException>(() => ModelBuilder.Build(c, Plugin));
        Assert.StartsWith("case.yaml:12:5: node set or edge 'botom'", e.Message);
        Assert.Contains("bottom", e.Message);
    }
}
