using FemHost.Cases;
using FemHost.Fem.Elements;
using FemHost.Fem.Meshes;

namespace FemHost.Fem.Model;

/// <summary>A prescribed value of one degree of freedom: value × (1 or λ).</summary>
/// <param name="Dof">Global equation number (2 × node + component).</param>
/// <param name="Value">Full value at λ = 1.</param>
/// <param name="History">Constant or ramped in λ.</param>
public readonly record struct PrescribedDof(int Dof, double Value, LoadHistory History)
{
    /// <summary>The value at load factor λ &gt; 0 (at λ = 0, the reference state, every displacement is zero).</summary>
    public double At(double lambda) => History == LoadHistory.Ramp ? Value * lambda : Value;
}

/// <summary>
/// A discretised boundary value problem: mesh, element formulation, degrees of freedom (two per node,
/// u_x at 2i and u_y at 2i + 1), prescribed displacements, consistent nodal loads and the material
/// regions with their host-owned point state. Built by <see cref="ModelBuilder"/>.
/// </summary>
public sealed class Model : IDisposable
{
    internal Model(Mesh mesh, IElementFormulation element, IReadOnlyList<MaterialRegion> regions,
        PrescribedDof[] prescribed, double[] constantLoad, double[] rampLoad)
    {
        (Mesh, Element, Regions, Prescribed, ConstantLoad, RampLoad) = (mesh, element, regions, prescribed, constantLoad, rampLoad);
        DofCount = element.DofsPerNode * mesh.NodeCount;
        IsPrescribed = new bool[DofCount];
        foreach (var p in prescribed)
        {
            IsPrescribed[p.Dof] = true;
        }

        RegionOfElement = new int[mesh.ElementCount];
        LocalElement = new int[mesh.ElementCount];
        for (int r = 0; r < regions.Count; r++)
        {
            for (int le = 0; le < regions[r].Elements.Length; le++)
            {
                RegionOfElement[regions[r].Elements[le]] = r;
                LocalElement[regions[r].Elements[le]] = le;
            }
        }
    }

    /// <summary>The mesh.</summary>
    public Mesh Mesh { get; }

    /// <summary>Element kinematics and quadrature.</summary>
    public IElementFormulation Element { get; }

    /// <summary>Material regions; every element belongs to exactly one.</summary>
    public IReadOnlyList<MaterialRegion> Regions { get; }

    /// <summary>Prescribed displacement components.</summary>
    public PrescribedDof[] Prescribed { get; }

    /// <summary>Whether each equation is prescribed.</summary>
    public bool[] IsPrescribed { get; }

    /// <summary>External nodal forces applied in full from the first step.</summary>
    public double[] ConstantLoad { get; }

    /// <summary>External nodal forces at λ = 1 of the loads ramped with λ.</summary>
    public double[] RampLoad { get; }

    /// <summary>Number of equations.</summary>
    public int DofCount { get; }

    /// <summary>Region index of each element.</summary>
    public int[] RegionOfElement { get; }

    /// <summary>Index of each element inside its region's element list.</summary>
    public int[] LocalElement { get; }

    /// <summary>Material points per element.</summary>
    public int PointsPerElement => Element.Rule.Count;

    /// <summary>F_ext(λ) = F_constant + λ F_ramp.</summary>
    public void ExternalForce(double lambda, Span<double> f)
    {
        for (int i = 0; i < DofCount; i++)
        {
            f[i] = ConstantLoad[i] + lambda * RampLoad[i];
        }
    }

    /// <summary>The region and region-local point index of global point id <paramref name="pointId"/>.</summary>
    public (MaterialRegion Region, int Point) FindPoint(int pointId)
    {
        int e = pointId / PointsPerElement, q = pointId % PointsPerElement;
        var region = Regions[RegionOfElement[e]];
        return (region, LocalElement[e] * PointsPerElement + q);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var r in Regions)
        {
            r.Dispose();
        }
    }
}
