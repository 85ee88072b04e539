using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve;

/// <summary>Homogenised response of an RVE after an increment.</summary>
/// <param name="Stress">Symmetrised Love–Weber stress (Pa, tension positive).</param>
/// <param name="Loading">How the increment went.</param>
public readonly record struct RveResponse(Mat2 Stress, LoadingResult Loading);

/// <summary>
/// The DEM RVE of one Gauss point: its committed packing (the state at the last accepted step), a trial
/// packing that every call restores from it and deforms, and the solver working on the trial packing.
/// </summary>
public sealed class RveMaterialPoint
{
    /// <summary>Creates the point from a prepared packing (copied twice: committed and trial).</summary>
    public RveMaterialPoint(Packing prepared, RveSpecification spec)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        Specification = spec ?? throw new ArgumentNullException(nameof(spec));
        Committed = prepared.Clone();
        Trial = prepared.Clone();
        Solver = spec.CreateSolver(Trial);
        Trial.CopyFrom(Committed);
        Solver.Restored();
    }

    /// <summary>RVE definition.</summary>
    public RveSpecification Specification { get; }

    /// <summary>State at the last accepted step.</summary>
    public Packing Committed { get; }

    /// <summary>State of the last call.</summary>
    public Packing Trial { get; }

    /// <summary>Solver bound to <see cref="Trial"/>.</summary>
    public DemSolver Solver { get; }

    /// <summary>Whether <see cref="Trial"/> holds an uncommitted increment.</summary>
    public bool HasTrial { get; private set; }

    /// <summary>
    /// Restores the committed packing and drives it to the total strain <paramref name="strain"/>
    /// (symmetric small strain tensor, tension positive) by affine cell deformation, then relaxes it.
    /// </summary>
    public RveResponse Deform(Mat2 strain)
    {
        Trial.CopyFrom(Committed);
        Solver.Restored();
        var result = QuasiStaticLoading.ApplyStrain(Solver, strain, Specification.Loading);
        HasTrial = true;
        return new RveResponse(Solver.Stress.Symmetric(), result);
    }

    /// <summary>The trial state becomes the committed one.</summary>
    public void Commit()
    {
        if (HasTrial)
        {
            Committed.CopyFrom(Trial);
            HasTrial = false;
        }
    }

    /// <summary>Forgets the trial state.</summary>
    public void Revert() => HasTrial = false;

    /// <summary>Replaces the committed state (checkpoint load) and forgets any trial.</summary>
    public void Load(Packing packing)
    {
        Committed.CopyFrom(packing);
        HasTrial = false;
    }
}
