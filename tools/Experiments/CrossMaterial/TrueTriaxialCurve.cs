using FemHost.MaterialData;

namespace FemHost.Experiments.CrossMaterial;

/// <summary>
/// One path of a <c>demrve-bench lab triaxial3d</c> dataset in geotechnical terms (compression positive): the
/// held stress (p or σ3, the isotropic consolidation stress), the target b, and per row ε1, σ1 and ε_v.
/// </summary>
/// <param name="Id">Path id.</param>
/// <param name="HeldStress">Held stress (kPa).</param>
/// <param name="B">Target b = (σ2 − σ3)/(σ1 − σ3).</param>
/// <param name="AxialStrain">ε1 per row.</param>
/// <param name="MajorStress">σ1 per row (kPa).</param>
/// <param name="VolumetricStrain">ε_v = 1 − V/V_ref per row.</param>
public sealed record TrueTriaxialCurve(int Id, double HeldStress, double B, double[] AxialStrain, double[] MajorStress, double[] VolumetricStrain)
{
    /// <summary>Rows.</summary>
    public int Count => AxialStrain.Length;

    /// <summary>The curves of every path by id; a dataset without the lab's columns is a clear error.</summary>
    public static IReadOnlyDictionary<int, TrueTriaxialCurve> FromDataset(PathDataset lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var extras = lab.Info.ExtraColumns.ToList();
        int Column(string name) => extras.IndexOf(name) is >= 0 and var i ? i
            : throw new ExperimentException($"the dataset has no column x_{name}: it is not a 'demrve-bench lab triaxial3d' dataset (its extra columns: {string.Join(", ", extras)}).");
        int held = Column("held_kPa"), b = Column("b_target"), e1 = Column("e1"), s1 = Column("s1_kPa"), ev = Column("ev");
        return lab.Paths.ToDictionary(p => p.Id, p => new TrueTriaxialCurve(p.Id, p.Rows[0].Extras[held], p.Rows[0].Extras[b],
            [.. p.Rows.Select(r => r.Extras[e1])], [.. p.Rows.Select(r => r.Extras[s1])], [.. p.Rows.Select(r => r.Extras[ev])]));
    }
}
