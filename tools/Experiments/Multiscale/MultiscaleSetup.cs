namespace FemHost.Experiments.Multiscale;

/// <summary>
/// Sizes of the multiscale comparison (paper §5.3): the biaxial shear BVP (0.5 m × 1 m, rough rigid platens,
/// 100 kPa lateral pressure and initial isotropic stress, top platen pushed down), the DEM RVEs of the FD-HMM
/// runs, the M2 training budget of the neural models, and what the figures show.
/// </summary>
public sealed record MultiscaleSetup
{
    /// <summary>Q8 elements across the width.</summary>
    public required int ElementsX { get; init; }

    /// <summary>Q8 elements over the height.</summary>
    public required int ElementsY { get; init; }

    /// <summary>Load steps.</summary>
    public required int Steps { get; init; }

    /// <summary>Final axial strain (compression, positive number); the top platen moves down by this × 1 m.</summary>
    public required double FinalAxialStrain { get; init; }

    /// <summary>Disks per RVE.</summary>
    public required int Particles { get; init; }

    /// <summary>Newton tolerances (residual and displacement) of the FD-HMM runs: DEM stresses carry relaxation noise.</summary>
    public required double FdhmmTolerance { get; init; }

    /// <summary>
    /// The M2 run's tolerance where it differs from <see cref="FdhmmTolerance"/>: the stiffer, rougher M2 RVEs have a
    /// higher post-peak residual floor. The neural runs use it too: they solve the M2 reference's BVP with its settings.
    /// </summary>
    public double? FdhmmToleranceM2 { get; init; }

    /// <summary>
    /// DemRve parameters beyond preset, size, seed, preparation and tangent method (e.g. the linear reuse of a trial
    /// answer that lets Newton converge below the RVE's roughness); empty for the plug-in's defaults.
    /// </summary>
    public string DemParameters { get; init; } = "";

    /// <summary>Newton tolerance of the FD-HMM run of a preset (M1 or M2).</summary>
    public double ToleranceOf(string preset) => preset == "M2" && FdhmmToleranceM2 is { } m2 ? m2 : FdhmmTolerance;

    /// <summary>Newton predictor of the runs (<c>solver.predictor</c>: tangent or extrapolate).</summary>
    public string Predictor { get; init; } = "tangent";

    /// <summary>A .vtu every this many steps (and at the last).</summary>
    public required int FieldEvery { get; init; }

    /// <summary>M2 Gauss-point histories the neural models may train on (the small target budget, same for both schemes).</summary>
    public required int TargetPaths { get; init; }

    /// <summary>Epoch limit of each training (early stopping ends it sooner).</summary>
    public required int Epochs { get; init; }

    /// <summary>Mini-batch size (small sets need small batches for enough Adam steps per epoch).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Early-stopping patience in epochs.</summary>
    public required int Patience { get; init; }

    /// <summary>
    /// Weight of the tangent term when NN1 is trained (<c>training.jacobian_weight</c>): NN1's consistent tangent is
    /// matched to the logged RVE tangent (Jacobian-matched training, docs/neural-surrogate.md); 0 is the paper's
    /// stress-only loss.
    /// </summary>
    public double JacobianWeight { get; init; }

    /// <summary>
    /// Output form of NN2 (<c>network.tangent_form</c>): "direct", the paper's tangent entries, or "cholesky", D = c² L Lᵀ,
    /// positive definite by construction (docs/neural-surrogate.md).
    /// </summary>
    public string TangentForm { get; init; } = "direct";

    /// <summary>
    /// δ of the NeuralSurrogate's regularised |Δε| in φ (<c>phi_smoothing</c>): below |Δε| ≈ δ the path length grows
    /// smoothly (Δε·tanh(Δε/δ)) instead of with the kink of |Δε|, which the iterations of a run with an approximate
    /// tangent keep crossing at Gauss points where a strain component reverses.
    /// </summary>
    public double PhiSmoothing { get; init; } = 1e-6;

    /// <summary>
    /// Nonlinear method (<c>solver.method</c>) of the runs with the NN2 tangent, which is not the derivative of NN1:
    /// "newton" iterates with it as it is, "bfgs" corrects it with the secant pairs of the iterations.
    /// </summary>
    public string ApproximateTangentMethod { get; init; } = "newton";

    /// <summary>The <c>solver.method</c> of a neural run with the given <c>tangent</c> (consistent or approximate).</summary>
    public string MethodFor(string tangent) => tangent == "approximate" ? ApproximateTangentMethod : "newton";

    /// <summary>Axial strains of the accumulated deviatoric strain contours (paper Fig. 17).</summary>
    public required double[] ContourStrains { get; init; }

    /// <summary>Gauss points (global ids) whose principal stress–strain paths are plotted (paper Fig. 20).</summary>
    public required int[] TracedPoints { get; init; }

    /// <summary>Gauss points of the mesh (3 × 3 per element).</summary>
    public int GaussPoints => ElementsX * ElementsY * 9;

    /// <summary>
    /// NN1 trainings per scheme, seeds 1…K. With K &gt; 1 every seed's NN1 runs the BVP alone with its exact Jacobian, and
    /// the neural runs use the mean (a femhost-neural-ensemble file) of the seeds whose run completes, or of all seeds
    /// when none does: a small network trained on 20 noisy histories lands in a different minimum for every seed, and
    /// its validation MSE does not tell which ones can run the BVP (docs/results.md §4, "Seed study").
    /// </summary>
    public int StressSeeds { get; init; } = 1;

    /// <summary>
    /// NN2 trainings per scheme, seeds 1…K. With K &gt; 1 every seed's NN2 runs the BVP as the tangent of the screened NN1
    /// ensemble, and the nn2 runs use the mean of the seeds whose run completes, or of all seeds when none does: like NN1,
    /// an NN2 that fits its data well may still not carry the iterations to the end (docs/results.md §4).
    /// </summary>
    public int TangentSeeds { get; init; } = 1;

    /// <summary>
    /// Quick: the set-up of cases/biaxial-dem-quick.yaml, 1 × 2 Q8 (18 RVEs of 150 disks), 12 steps to 6 % axial
    /// strain (past the peak), 6 of the 18 M2 histories for training.
    /// </summary>
    public static MultiscaleSetup Quick { get; } = new()
    {
        ElementsX = 1,
        ElementsY = 2,
        Steps = 12,
        FinalAxialStrain = 0.06,
        Particles = 150,
        FdhmmTolerance = 2e-2,
        FieldEvery = 1,
        TargetPaths = 6,
        StressSeeds = 2,
        TangentSeeds = 2,
        Epochs = 4000,
        BatchSize = 32,
        Patience = 500,
        ContourStrains = [0.015, 0.03, 0.06],
        TracedPoints = [0, 4, 13],
    };

    /// <summary>
    /// The paper's sizes, as cases/biaxial-dem-m1.yaml and -m2.yaml: 4 × 8 Q8 (288 RVEs of 500 disks), 100 steps to 12 %,
    /// Newton tolerance 1e-2 for both, reached below the post-peak roughness of 500-disk RVEs by answering iterates
    /// within 2e-4 of a point's trial along the trial's tangent (reuse: linear), and the extrapolating predictor
    /// (docs/dem-rve.md, "FD-HMM cases"); 20 of the 288 M2 histories for training, NN1 Jacobian-matched (w = 1) and NN2
    /// in Cholesky form: with the paper's plain losses only one of the four neural runs completes; the NN2 runs iterate
    /// by BFGS with φ smoothed over δ = 1e-4, without which transfer/nn2 stops at 14 % of the load. NN1 is trained with 10
    /// seeds and the neural runs use the mean of those that run the BVP alone, NN2 with 5 seeds and the mean of those that
    /// run it as the tangent of that NN1: a single seed completes the transfer runs for 5 seeds in 10 and meets 10 % of
    /// FD-HMM for 1 in 10, and 1 of 5 scratch NN2 seeds carries scratch/nn2 to the end (docs/results.md §4, "Seed study").
    /// </summary>
    public static MultiscaleSetup Full { get; } = new()
    {
        ElementsX = 4,
        ElementsY = 8,
        Steps = 100,
        FinalAxialStrain = 0.12,
        Particles = 500,
        FdhmmTolerance = 1e-2,
        DemParameters = "reuse: linear, reuseStrain: 2.0e-4",
        Predictor = "extrapolate",
        FieldEvery = 5,
        TargetPaths = 20,
        StressSeeds = 10,
        TangentSeeds = 5,
        Epochs = 20000,
        BatchSize = 256,
        Patience = 500,
        ContourStrains = [0.03, 0.06, 0.09, 0.12],
        TracedPoints = [4, 148, 157, 283],
        JacobianWeight = 1,
        TangentForm = "cholesky",
        PhiSmoothing = 1e-4,
        ApproximateTangentMethod = "bfgs",
    };
}
