namespace FemHost.Experiments.Transfer;

/// <summary>
/// Sizes of the transfer study (paper §3.2.2) per mode, in one place because <c>pretrain</c> must generate its
/// synthetic sequences with the same axial strain per row as the DEM target paths (a GRU reads windows of rows,
/// so source and target rows must mean the same strain step).
/// </summary>
/// <param name="Particles">Disks per DEM RVE.</param>
/// <param name="Paths">DEM stress paths, confining pressures evenly spaced in [<see cref="MinPressure"/>, <see cref="MaxPressure"/>].</param>
/// <param name="Records">Rows per DEM path after the initial one.</param>
/// <param name="SyntheticCurves">DH sequences of the synthetic pre-training set.</param>
/// <param name="Budgets">Numbers N of target training paths.</param>
/// <param name="Seeds">Seeds averaged over.</param>
/// <param name="Epochs">Training epochs (paper Table 1: 200).</param>
public sealed record TransferSizes(int Particles, int Paths, int Records, int SyntheticCurves, int[] Budgets, int[] Seeds, int Epochs)
{
    /// <summary>Smallest confining pressure (kPa), paper §3.2.2.</summary>
    public const double MinPressure = 25;

    /// <summary>Largest confining pressure (kPa), paper §3.2.2.</summary>
    public const double MaxPressure = 1000;

    /// <summary>Final axial strain of the DEM paths.</summary>
    public const double FinalAxialStrain = 0.12;

    /// <summary>The budget whose predictions are plotted (paper Fig. 8–9: N = 6).</summary>
    public const int PlottedBudget = 6;

    /// <summary>Axial strain between two rows, shared by the DEM target and the DH source.</summary>
    public double AxialStep => FinalAxialStrain / Records;

    /// <summary>The confining pressures of the DEM paths (kPa): the paper's 25, 50, …, 1000 in full mode.</summary>
    public double[] Pressures => [.. Enumerable.Range(0, Paths).Select(i => MinPressure + (MaxPressure - MinPressure) * i / (Paths - 1))];

    /// <summary>The sizes of a mode: quick (200 disks, 16 paths, N = 2 and 6, 2 seeds) or the paper's (500 disks, 40 paths, 450 curves, N = 2…20, 3 seeds).</summary>
    public static TransferSizes Of(ExperimentMode mode) => mode == ExperimentMode.Quick
        ? new TransferSizes(200, 16, 60, 90, [2, 6], [1, 2], 100)
        : new TransferSizes(500, 40, 100, 450, [2, 4, 6, 8, 10, 14, 20], [1, 2, 3], 200);
}
