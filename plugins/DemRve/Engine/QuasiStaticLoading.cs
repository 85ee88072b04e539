namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// How a strain increment is imposed on an RVE and when the RVE counts as in quasi-static equilibrium.
/// </summary>
/// <param name="MaxStrainPerStep">
/// Largest strain-component change per DEM step while the cell is deformed. With Δt ≈ 0.3 √(m/k_n) the
/// default 2·10⁻⁶ gives an inertial number I = ε̇ d̄ √(ρ/p) of order 10⁻⁴ for M1 at 100 kPa, well inside
/// the quasi-static regime I &lt; 10⁻³ (GDR MiDi 2004; da Cruz et al. 2005).
/// </param>
/// <param name="UnbalancedTolerance">Equilibrium when mean |resultant| / mean |contact force| is below this.</param>
/// <param name="StressTolerance">…and the stress changed by less than this fraction of the mean pressure between two checks.</param>
/// <param name="CheckInterval">Steps between two equilibrium checks.</param>
/// <param name="MaxRelaxationSteps">Cap of an adaptive <see cref="QuasiStaticLoading.Relax"/> (preparation, laboratory).</param>
/// <param name="MinLoadSteps">Fewest steps over which an increment is applied.</param>
/// <param name="SteadyChecks">Consecutive checks that must pass in <see cref="QuasiStaticLoading.Relax"/>.</param>
/// <param name="RelaxationSteps">
/// Fixed number of steps at fixed cell after the loading of an increment (<see cref="QuasiStaticLoading.ApplyStrain"/>).
/// A fixed count makes the RVE response a deterministic, nearly smooth function of the strain increment, which
/// Newton–Raphson needs (an adaptive stop makes the response jump with the number of steps taken).
/// </param>
/// <param name="RelaxToEquilibrium">
/// After the loading of an increment, relax until the unbalanced force ratio falls below
/// <see cref="UnbalancedTolerance"/> (checked every <see cref="CheckInterval"/> steps, at least
/// <see cref="RelaxationSteps"/> and at most <see cref="MaxRelaxationSteps"/> steps) instead of for a fixed count.
/// </param>
/// <param name="MaxLoadSteps">
/// Most steps over which one increment is applied: increments larger than MaxLoadSteps · MaxStrainPerStep
/// (0.5 % by default, met only by Gauss points inside a shear band after localisation) are applied at a
/// proportionally higher rate. At 2 % the inertial number is ≈ 2.4·10⁻³, where the μ(I) rheology of dense
/// granular flow (GDR MiDi 2004; Jop et al. 2006: μ ≈ μ_s + 0.9 I for small I) raises the friction by
/// ≈ 0.002, while the cost of such a call drops from 10 000 to 2 500 steps.
/// </param>
public sealed record LoadingControl(
    double MaxStrainPerStep = 2e-6,
    double UnbalancedTolerance = 2e-3,
    double StressTolerance = 2e-3,
    int CheckInterval = 50,
    int MaxRelaxationSteps = 20_000,
    int MinLoadSteps = 20,
    int SteadyChecks = 1,
    int RelaxationSteps = 200,
    int MaxLoadSteps = 2500,
    bool RelaxToEquilibrium = false);

/// <summary>Outcome of one loading or relaxation.</summary>
/// <param name="Converged">Whether the unbalanced force ratio at the end is below the tolerance (for a fixed-step increment: informative only).</param>
/// <param name="LoadSteps">Steps spent deforming the cell.</param>
/// <param name="RelaxationSteps">Steps spent relaxing at fixed cell.</param>
/// <param name="UnbalancedForceRatio">Unbalanced force ratio at the end.</param>
public readonly record struct LoadingResult(bool Converged, int LoadSteps, int RelaxationSteps, double UnbalancedForceRatio)
{
    /// <summary>All DEM steps.</summary>
    public int Steps => LoadSteps + RelaxationSteps;
}

/// <summary>
/// Strain-controlled quasi-static loading of a periodic RVE: the cell is driven to
/// h = (I + ε) h_ref by equal increments (affine deformation, the first-order homogenisation of
/// FD-HMM, Guo and Zhao 2014), then the packing relaxes at fixed cell for a fixed number of steps.
/// </summary>
/// <remarks>
/// The number of steps of an increment depends only on its size (⌈|Δε|/rate⌉, at least
/// <see cref="LoadingControl.MinLoadSteps"/>) plus the fixed relaxation, as in the FEM×DEM scheme of Guo
/// and Zhao (2014), where every Newton iteration restarts the RVE from its last converged state and
/// applies the total increment over a prescribed number of DEM steps. The response is then a
/// deterministic function of Δε that varies continuously with it, so Newton–Raphson converges on it.
/// </remarks>
public static class QuasiStaticLoading
{
    /// <summary>
    /// Deforms the cell of the solver's packing to (I + <paramref name="strain"/>) h_ref, with
    /// <paramref name="strain"/> the total small strain (symmetric, tension positive), then relaxes for
    /// <see cref="LoadingControl.RelaxationSteps"/> steps.
    /// </summary>
    /// <param name="solver">Solver of the packing (modified in place).</param>
    /// <param name="strain">Total strain to reach.</param>
    /// <param name="control">Rate and relaxation.</param>
    /// <param name="loadSteps">Number of loading steps to use instead of the one given by the rate (a relaxed-tangent probe uses the same count for every probe).</param>
    public static LoadingResult ApplyStrain(DemSolver solver, Mat2 strain, LoadingControl control, int? loadSteps = null)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(control);
        var p = solver.Packing;
        var target = (Mat2.Identity + strain) * p.ReferenceCell;
        var total = target - p.Cell;
        // Strain of the whole increment relative to the current cell.
        double increment = (total * p.Cell.Inverse()).MaxAbs;
        int steps = loadSteps ?? LoadSteps(increment, control);
        var dh = (1.0 / steps) * total;
        for (int s = 0; s < steps; s++)
        {
            solver.Step(dh);
        }

        p.Cell = target;
        for (int s = 1; s < control.RelaxationSteps; s++)
        {
            solver.Step(Mat2.Zero);
        }

        solver.Step(Mat2.Zero, measure: true);
        int relaxation = Math.Max(1, control.RelaxationSteps);
        while (control.RelaxToEquilibrium && solver.UnbalancedForceRatio >= control.UnbalancedTolerance && relaxation < control.MaxRelaxationSteps)
        {
            for (int s = 1; s < control.CheckInterval; s++)
            {
                solver.Step(Mat2.Zero);
            }

            solver.Step(Mat2.Zero, measure: true);
            relaxation += control.CheckInterval;
        }

        double ratio = solver.UnbalancedForceRatio;
        return new LoadingResult(ratio < control.UnbalancedTolerance, steps, relaxation, ratio);
    }

    /// <summary>
    /// Steps over which a strain increment of size <paramref name="increment"/> (largest component) is applied:
    /// ⌈increment / MaxStrainPerStep⌉, at least MinLoadSteps and at most MaxLoadSteps.
    /// </summary>
    public static int LoadSteps(double increment, LoadingControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        double steps = Math.Ceiling(increment / control.MaxStrainPerStep);
        return (int)Math.Clamp(steps, control.MinLoadSteps, Math.Max(control.MinLoadSteps, control.MaxLoadSteps));
    }

    /// <summary>Relaxes at fixed cell until the equilibrium criterion holds or the cap is reached.</summary>
    public static LoadingResult Relax(DemSolver solver, LoadingControl control)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(control);
        int steps = 0, passed = 0;
        Mat2? previous = null;
        while (true)
        {
            for (int s = 1; s < control.CheckInterval; s++)
            {
                solver.Step(Mat2.Zero);
            }

            solver.Step(Mat2.Zero, measure: true);
            steps += control.CheckInterval;
            var stress = solver.Stress;
            double pressure = Math.Max(Math.Abs(0.5 * stress.Trace), 1e-300);
            bool steady = previous is { } prev && (stress - prev).MaxAbs < control.StressTolerance * pressure;
            passed = steady && solver.UnbalancedForceRatio < control.UnbalancedTolerance ? passed + 1 : 0;
            if (passed >= control.SteadyChecks)
            {
                return new LoadingResult(true, 0, steps, solver.UnbalancedForceRatio);
            }

            if (steps >= control.MaxRelaxationSteps)
            {
                return new LoadingResult(false, 0, steps, solver.UnbalancedForceRatio);
            }

            previous = stress;
        }
    }
}
