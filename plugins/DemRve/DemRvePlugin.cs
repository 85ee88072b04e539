using FemHost.Materials.DemRve.Engine;
using FemHost.MaterialSdk;

namespace FemHost.Materials.DemRve;

/// <summary>
/// The "DemRve" material: a 2D periodic DEM representative volume element at every Gauss point
/// (FEM×DEM hierarchical multiscale modelling, Guo and Zhao 2014; Qu et al. 2023 §5.1).
/// </summary>
public sealed class DemRvePlugin : IMaterialPlugin
{
    /// <summary>Names of the host-owned state variables, in order.</summary>
    public static readonly IReadOnlyList<StateVariableInfo> StateVariables =
    [
        new("coordination", "-", "coordination number Z = 2 N_c / N"),
        new("fabric11", "-", "fabric tensor F11 = <n1 n1> over contacts"),
        new("fabric22", "-", "fabric tensor F22 = <n2 n2> over contacts"),
        new("fabric12", "-", "fabric tensor F12 = <n1 n2> over contacts"),
        new("unbalanced", "-", "unbalanced force ratio at the end of the increment"),
        new("dem_steps", "-", "DEM steps used by the increment (loading + relaxation)"),
        new("solid_fraction", "-", "solid area fraction of the RVE"),
        new("sliding_fraction", "-", "fraction of contacts at the Coulomb limit"),
    ];

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "DemRve",
        Version = new Version(1, 0, 0),
        Description = "2D periodic DEM RVE (disks, linear contacts with Coulomb friction) at every Gauss point: "
            + "Love–Weber stress and the homogenised contact tangent of Qu et al. (2023) eq. 7; presets M1 and M2 of their Table 3. "
            + "Stress in kPa, tension positive; sigma33 = sigma33Factor·(sigma11 + sigma22).",
        Parameters =
        [
            ParameterInfo.Choice("preset", "material preset of Qu et al. (2023) Table 3", "M1", "M1", "M2"),
            PresetValue("E", "MPa", "contact Young's modulus, k_n = 2 E min(r_i,r_j)/(r_i+r_j) per unit thickness", 1e-6, 1e7),
            PresetValue("nu", "-", "stiffness ratio k_s/k_n (Table 3's Poisson's ratio)", 0, 1),
            PresetValue("density", "kg/m3", "particle density", 1e-6, 1e6),
            PresetValue("frictionAngle", "deg", "inter-particle friction angle, mu = tan(angle)", 0, 89),
            PresetValue("rMin", "mm", "smallest radius (uniform radius distribution)", 1e-6, 1e4),
            PresetValue("rMax", "mm", "largest radius", 1e-6, 1e4),
            ParameterInfo.Integer("particles", "number of disks per RVE", 500, 2, 1_000_000),
            ParameterInfo.Integer("seed", "random seed of the packing (every Gauss point gets a copy of the same packing)", 1, 0, long.MaxValue),
            ParameterInfo.Choice("preparation", "dense: frictionless compaction; loose: compaction with the material friction", "dense", "dense", "loose"),
            ParameterInfo.Real("damping", "-", "Cundall local non-viscous damping coefficient", 0.7, 0, 0.99),
            ParameterInfo.Real("timeStepSafety", "-", "time step = safety * sqrt(m_min / k_n,max)", 0.3, 1e-6, 1.0),
            ParameterInfo.Real("massScale", "-", "uniform density scaling for quasi-static loading", 1.0, 1e-6, 1e12),
            ParameterInfo.Real("rollingStiffness", "-", "beta in k_r = beta k_s rbar^2 (0: no rolling resistance)", 0.0, 0, 1e3),
            ParameterInfo.Real("rollingFriction", "-", "eta in |M_r| <= eta rbar f_n (0: no rolling resistance)", 0.0, 0, 10),
            ParameterInfo.Real("skin", "-", "Verlet skin as a fraction of the mean radius", 0.3, 0.01, 10),
            ParameterInfo.Real("maxStrainPerStep", "-", "largest strain change per DEM step while deforming the cell", 2e-6, 1e-12, 1e-2),
            ParameterInfo.Integer("relaxationSteps", "DEM steps at fixed cell after the loading of every increment (a fixed count keeps the response a smooth function of the increment)", 200, 1, 10_000_000),
            ParameterInfo.Choice("relaxation", "after the loading of an increment: fixed: relaxationSteps DEM steps; equilibrium: at least relaxationSteps, then until the unbalanced force ratio is below unbalancedTolerance (checked every checkInterval steps, at most maxRelaxationSteps)", "fixed", "fixed", "equilibrium"),
            ParameterInfo.Integer("maxLoadSteps", "most DEM steps over which one increment is applied: larger increments (shear-band points) are applied faster (2500 steps = 0.5 % at maxStrainPerStep 2e-6)", 2500, 1, 100_000_000),
            ParameterInfo.Real("unbalancedTolerance", "-", "preparation equilibrium: unbalanced force ratio below this (after an increment it is only logged)", 2e-3, 1e-12, 1),
            ParameterInfo.Real("stressTolerance", "-", "preparation equilibrium: stress change between checks below this fraction of the pressure", 2e-3, 1e-12, 1),
            ParameterInfo.Integer("checkInterval", "preparation: DEM steps between equilibrium checks", 50, 1, 1_000_000),
            ParameterInfo.Integer("steadyChecks", "preparation: consecutive equilibrium checks that must pass", 1, 1, 1000),
            ParameterInfo.Integer("maxRelaxationSteps", "preparation: cap on the final relaxation is 50 times this", 20_000, 1, 100_000_000),
            ParameterInfo.Real("maxStrainIncrement", "-", "largest strain-component increment per call; larger ones ask the host for a smaller step (a diverging Newton iterate would otherwise cost |de|/maxStrainPerStep DEM steps)", 0.03, 1e-8, 1),
            ParameterInfo.Choice("tangentMethod", "relaxed: forward finite differences of the RVE (4 extra short runs, includes sliding and non-affine relaxation; Newton needs 3-8 times fewer iterations); contact: Voigt contact stiffness of paper eq. 7", "relaxed", "relaxed", "contact"),
            ParameterInfo.Real("tangentStrain", "-", "strain perturbation of the relaxed tangent", 1e-4, 1e-8, 1e-2),
            ParameterInfo.Integer("tangentRelaxationSteps", "DEM steps at fixed cell after each probe of the relaxed tangent (fewer than relaxationSteps: the probes difference two runs of equal length, so their common drift cancels)", 100, 1, 10_000_000),
            ParameterInfo.Choice("tangentUpdate", "iteration: a new tangent at every Newton iteration; step: the tangent of the first iteration of a FEM step is kept for the step (modified Newton, fewer DEM steps per iteration)", "iteration", "iteration", "step"),
            ParameterInfo.Real("reuseStrain", "-", "a Newton iterate that moves a point by at most this strain (every in-plane component) since the point's last trial of the step reuses that trial (stress, tangent, packing) instead of running the RVE again, whose answer would differ by the RVE's roughness only; 0: always run", 5e-6, 0, 1e-3),
            ParameterInfo.Choice("reuse", "how an iterate within reuseStrain of the point's last trial is answered: constant: the trial's stress; linear: the trial's stress continued along its tangent, sigma_trial + D_trial (de - de_trial), a smooth answer Newton converges on below the RVE's roughness", "constant", "constant", "linear"),
            ParameterInfo.Real("sigma33Factor", "-", "out-of-plane stress sigma33 = factor * (sigma11 + sigma22); 0.5 makes tr(sigma)/3 the 2D pressure", 0.5, 0, 1),
            new ParameterInfo("cacheFolder", ParameterKind.Text, "-", "folder of prepared packings; empty: ~/.cache/femhost/dem; 'none': no cache", ""),
            ParameterInfo.Integer("threads", "RVEs integrated in parallel; 0: all cores", 0, 0, 4096),
        ],
        StateVariables = StateVariables,
        Hypotheses = [ModellingHypothesis.PlaneStrain],
        TangentKinds = [TangentKind.Approximate],
        IsThreadSafe = false,
        HasOpaqueState = true,
        IsIsotropic = false,
    };

    /// <summary>
    /// A micro constant that defaults to the value of the chosen preset: the word <c>preset</c> (the default)
    /// or a number within [<paramref name="min"/>, <paramref name="max"/>] (checked by <see cref="DemRveSettings"/>).
    /// </summary>
    private static ParameterInfo PresetValue(string name, string unit, string description, double min, double max) =>
        new(name, ParameterKind.Text, unit, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{description}: a number in [{min:G6}, {max:G6}] {unit}, or 'preset' for the value of the chosen preset ({string.Join(", ", MaterialPreset.All.Select(m => $"{m.Name}: {m.Value(name):G4}"))})"),
            PresetWord, min, max);

    /// <summary>The word that selects a preset's value for a micro constant.</summary>
    public const string PresetWord = "preset";

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new DemRveMaterial(Metadata, hypothesis, DemRveSettings.From(Metadata.Name, parameters));
    }
}
