namespace FemHost.Experiments.CrossMaterial;

/// <summary>
/// Sizes of the cross-material study (paper §4.2) per mode. Both materials run the same axial strain and the same
/// number of rows per path, so that a GRU window of rows means the same strain history in source and target.
/// </summary>
/// <param name="Spheres">Spheres per 3D packing (paper: 10 000).</param>
/// <param name="PackingSeeds">Independent packings per (held stress, b): the lab's <c>--seeds</c>; 15 paths each.</param>
/// <param name="FinalAxialStrain">Axial strain ε1 at the end of every path.</param>
/// <param name="Records">Rows per path after the initial one.</param>
/// <param name="Budgets">Numbers N of Material 2 training paths.</param>
/// <param name="Seeds">Training seeds averaged over.</param>
/// <param name="Epochs">Training epochs (paper Table 1: 200).</param>
/// <param name="PlottedBudget">The budget of Fig. 14 (paper: 20).</param>
public sealed record CrossMaterialSizes(int Spheres, int[] PackingSeeds, double FinalAxialStrain, int Records, int[] Budgets, int[] Seeds, int Epochs, int PlottedBudget)
{
    /// <summary>Held stresses of both families (MPa): Material 1 constant p, Material 2 constant σ3 (paper §4.1).</summary>
    public static IReadOnlyList<double> HeldStressesMPa { get; } = [1, 2, 4];

    /// <summary>Intermediate principal stress coefficients b = (σ2 − σ3)/(σ1 − σ3) (paper §4.1).</summary>
    public static IReadOnlyList<double> BValues { get; } = [0, 0.25, 0.5, 0.75, 1.0];

    /// <summary>Paths per material: held stresses × b values × packings (paper: 60).</summary>
    public int PathsPerMaterial => HeldStressesMPa.Count * BValues.Count * PackingSeeds.Length;

    /// <summary>
    /// Quick: 1 000 spheres, 2 packings (30 paths per material), ε1 to 0.1, N = 2, 5, 10, 2 seeds, 100 epochs
    /// (about 3.5 minutes of DEM and 4 of training on 2 cores). Full: the paper's 10 000 spheres and 60 paths
    /// per material (4 packings), ε1 to 0.2, N = 2, 5, 10, 20, 30, 3 seeds, 200 epochs, Fig. 14 at N = 20.
    /// </summary>
    public static CrossMaterialSizes Of(ExperimentMode mode) => mode == ExperimentMode.Quick
        ? new CrossMaterialSizes(1000, [1, 2], 0.1, 200, [2, 5, 10], [1, 2], 100, 10)
        : new CrossMaterialSizes(10000, [1, 2, 3, 4], 0.2, 200, [2, 5, 10, 20, 30], [1, 2, 3], 200, 20);
}
