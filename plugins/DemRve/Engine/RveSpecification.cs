using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// Everything that defines a prepared RVE: the particle material, the gradation and count, the numerical
/// settings that shape the packing, the preparation recipe and the consolidation pressure. Two equal
/// specifications give bit-identical packings, which is what the packing cache relies on.
/// </summary>
/// <param name="PresetName">Name of the material preset (for file names and logs).</param>
/// <param name="Law">Contact law with the material friction.</param>
/// <param name="Count">Number of disks N.</param>
/// <param name="MinRadius">Smallest radius (m).</param>
/// <param name="MaxRadius">Largest radius (m).</param>
/// <param name="Seed">Random seed of the packing.</param>
/// <param name="PreparationFriction">Friction during compaction (0: dense; the material μ: loose).</param>
/// <param name="Pressure">Consolidation pressure (Pa, compression positive).</param>
/// <param name="MassScale">Uniform density scaling factor (quasi-static results do not depend on it).</param>
/// <param name="TimeStepSafety">Δt = safety · √(m_min / k_n,max).</param>
/// <param name="SkinFraction">Verlet skin as a fraction of the mean radius.</param>
/// <param name="Loading">Equilibrium criterion used for the final relaxation (and later increments).</param>
public sealed record RveSpecification(
    string PresetName,
    ContactLaw Law,
    int Count,
    double MinRadius,
    double MaxRadius,
    ulong Seed,
    double PreparationFriction,
    double Pressure,
    double MassScale,
    double TimeStepSafety,
    double SkinFraction,
    LoadingControl Loading)
{
    /// <summary>
    /// Version of the preparation recipe (generator, consolidation, relaxation); part of the cache key so
    /// that packings prepared by an older recipe are not reused.
    /// </summary>
    public const int PreparationVersion = 2;

    /// <summary>A specification of one of the Table 3 materials with default numerics.</summary>
    public static RveSpecification FromPreset(MaterialPreset preset, int count, ulong seed, double pressure, bool dense = true)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var law = new ContactLaw(preset.YoungsModulus, preset.Poisson, preset.Friction, preset.Density);
        return new RveSpecification(preset.Name, law, count, preset.MinRadius, preset.MaxRadius, seed,
            dense ? 0.0 : preset.Friction, pressure, 1.0, 0.3, 0.3, new LoadingControl());
    }

    /// <summary>
    /// Canonical text of every value that shapes the prepared packing (round-trip formatted), used as
    /// the cache key.
    /// </summary>
    public string CanonicalKey()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var l = Law;
        return string.Join(';',
            "v" + Packing.FormatVersion, "prep" + PreparationVersion, PresetName, Count.ToString(CultureInfo.InvariantCulture), F(MinRadius), F(MaxRadius),
            Seed.ToString(CultureInfo.InvariantCulture), F(PreparationFriction), F(Pressure), F(MassScale), F(TimeStepSafety), F(SkinFraction),
            F(l.YoungsModulus), F(l.StiffnessRatio), F(l.Friction), F(l.Density), F(l.LocalDamping), F(l.RollingStiffnessFactor), F(l.RollingFriction),
            F(Loading.UnbalancedTolerance), F(Loading.StressTolerance), Loading.CheckInterval.ToString(CultureInfo.InvariantCulture),
            Loading.MaxRelaxationSteps.ToString(CultureInfo.InvariantCulture), Loading.SteadyChecks.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Cache file name: readable prefix plus a hash of <see cref="CanonicalKey"/>.</summary>
    public string CacheFileName()
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalKey())))[..16].ToLowerInvariant();
        return string.Create(CultureInfo.InvariantCulture, $"{PresetName}-n{Count}-seed{Seed}-p{Pressure / 1e3:0.###}kPa-{hash}.demrve");
    }

    /// <summary>A solver on <paramref name="packing"/> with this specification's numerics.</summary>
    public DemSolver CreateSolver(Packing packing) => new(packing, Law, TimeStepSafety);

    /// <summary>
    /// Prepares the packing from scratch: random gas, servo-controlled isotropic consolidation to
    /// <see cref="Pressure"/> (first with the preparation friction, then the material friction), then a
    /// relaxation at fixed cell to equilibrium.
    /// </summary>
    public Packing Prepare()
    {
        var p = PackingGenerator.Generate(Count, MinRadius, MaxRadius, Seed);
        p.SetMasses(Law.Density, MassScale);
        p.Skin = SkinFraction * 0.5 * (MinRadius + MaxRadius);
        var solver = CreateSolver(p);
        Consolidation.Run(solver, new ConsolidationControl(Pressure, PreparationFriction, Law.Friction,
            UnbalancedTolerance: Loading.UnbalancedTolerance));
        var relax = QuasiStaticLoading.Relax(solver, Loading with { MaxRelaxationSteps = 50 * Loading.MaxRelaxationSteps });
        if (!relax.Converged)
        {
            throw new InvalidOperationException($"the consolidated packing did not reach equilibrium (unbalanced force ratio {relax.UnbalancedForceRatio:G3})");
        }

        return p;
    }
}
