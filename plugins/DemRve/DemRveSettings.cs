using FemHost.Materials.DemRve.Engine;
using FemHost.MaterialSdk;

namespace FemHost.Materials.DemRve;

/// <summary>The validated parameters of a DemRve instance, resolved against the preset.</summary>
/// <param name="Template">RVE specification without its consolidation pressure (set per Gauss point).</param>
/// <param name="OutOfPlaneFactor">σ33 = factor (σ11 + σ22).</param>
/// <param name="CacheFolder">Packing cache folder, or null for no cache.</param>
/// <param name="Threads">Largest number of RVEs integrated at once (≥ 1).</param>
/// <param name="RelaxedTangent">Whether the tangent is the relaxed finite-difference one instead of eq. 7.</param>
/// <param name="TangentStrain">Strain perturbation of the relaxed tangent.</param>
/// <param name="MaxStrainIncrement">Largest strain-component increment accepted per call.</param>
/// <param name="TangentPerStep">Whether the tangent of the first iteration of a FEM step is returned for the step's later iterations (modified Newton).</param>
/// <param name="ReuseStrain">A Newton iterate within this strain of a point's last trial of the step reuses that trial's answer (0: never).</param>
/// <param name="TangentRelaxationSteps">Relaxation steps of each probe of the relaxed tangent.</param>
/// <param name="LinearReuse">Whether a reused trial's stress is continued along its tangent to the iterate (else returned as it is).</param>
public sealed record DemRveSettings(RveSpecification Template, double OutOfPlaneFactor, string? CacheFolder, int Threads,
    bool RelaxedTangent = false, double TangentStrain = 1e-4, double MaxStrainIncrement = 0.03, bool TangentPerStep = false, double ReuseStrain = 0,
    int TangentRelaxationSteps = 100, bool LinearReuse = false)
{
    /// <summary>Resolves typed parameters; inconsistent combinations throw <see cref="MaterialParameterException"/>.</summary>
    public static DemRveSettings From(string material, MaterialParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var preset = MaterialPreset.All.First(m => m.Name == p.Text("preset"));
        double e = PresetOr(material, p, preset, "E") * 1e6;
        double nu = PresetOr(material, p, preset, "nu");
        double rho = PresetOr(material, p, preset, "density");
        double phi = PresetOr(material, p, preset, "frictionAngle");
        double rmin = PresetOr(material, p, preset, "rMin") * 1e-3;
        double rmax = PresetOr(material, p, preset, "rMax") * 1e-3;
        if (rmin > rmax)
        {
            throw new MaterialParameterException(material, "rMin",
                $"the smallest radius {rmin * 1e3:G4} mm exceeds the largest radius {rmax * 1e3:G4} mm; expected rMin <= rMax (preset {preset.Name}: {preset.Value("rMin"):G4}-{preset.Value("rMax"):G4} mm)");
        }

        double mu = Math.Tan(phi * Math.PI / 180.0);
        var law = new ContactLaw(e, nu, mu, rho, p.Real("damping"), p.Real("rollingStiffness"), p.Real("rollingFriction"));
        var loading = new LoadingControl(p.Real("maxStrainPerStep"), p.Real("unbalancedTolerance"), p.Real("stressTolerance"),
            (int)p.Integer("checkInterval"), (int)p.Integer("maxRelaxationSteps"), SteadyChecks: (int)p.Integer("steadyChecks"),
            RelaxationSteps: (int)p.Integer("relaxationSteps"), MaxLoadSteps: (int)p.Integer("maxLoadSteps"),
            RelaxToEquilibrium: p.Text("relaxation") == "equilibrium");
        bool dense = p.Text("preparation") == "dense";
        var template = new RveSpecification(preset.Name, law, (int)p.Integer("particles"), rmin, rmax, (ulong)p.Integer("seed"),
            dense ? 0.0 : mu, 0.0, p.Real("massScale"), p.Real("timeStepSafety"), p.Real("skin"), loading);
        string folder = p.Text("cacheFolder").Trim();
        string? cache = folder.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : folder.Length == 0 ? PackingCache.DefaultFolder : folder;
        int threads = p.Integer("threads") is 0 ? Environment.ProcessorCount : (int)p.Integer("threads");
        return new DemRveSettings(template, p.Real("sigma33Factor"), cache, threads,
            p.Text("tangentMethod") == "relaxed", p.Real("tangentStrain"), p.Real("maxStrainIncrement"), p.Text("tangentUpdate") == "step",
            p.Real("reuseStrain"), (int)p.Integer("tangentRelaxationSteps"), p.Text("reuse") == "linear");
    }

    /// <summary>
    /// A micro constant: the word 'preset' gives the preset's value, otherwise a number within the bounds
    /// declared by the parameter (in the parameter's unit).
    /// </summary>
    private static double PresetOr(string material, MaterialParameters p, MaterialPreset preset, string name)
    {
        string text = p.Text(name).Trim();
        if (text.Equals(DemRvePlugin.PresetWord, StringComparison.OrdinalIgnoreCase))
        {
            return preset.Value(name);
        }

        var info = p.Metadata.FindParameter(name)!;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x)
            || !double.IsFinite(x) || x < info.Minimum || x > info.Maximum)
        {
            throw new MaterialParameterException(material, name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"'{text}' is not allowed; expected a number in [{info.Minimum:G6}, {info.Maximum:G6}] {info.Unit}, or 'preset' for the value of preset {preset.Name} ({preset.Value(name):G4})"));
        }

        return x;
    }
}
