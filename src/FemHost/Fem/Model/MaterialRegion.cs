using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Plugins;

namespace FemHost.Fem.Model;

/// <summary>
/// The material points of one mesh region and the model instance that integrates them, with the
/// host-owned arrays of the SDK contract: committed values at t_n (strain, stress, state) and trial
/// values at t_{n+1} (strain increment, stress, state, tangent, status). Every Newton iteration
/// integrates from the committed values, so iterations have no side effects; <see cref="Commit"/>
/// accepts the trial values when a step converges.
/// </summary>
public sealed class MaterialRegion : IDisposable
{
    internal MaterialRegion(string name, MaterialDefinition definition, IMaterialModel model, TangentKind requestedTangent,
        int[] elements, int pointsPerElement, ModellingHypothesis hypothesis)
    {
        (Name, Definition, Model, RequestedTangent, Elements, PointsPerElement) = (name, definition, model, requestedTangent, elements, pointsPerElement);
        Hypothesis = hypothesis;
        int count = elements.Length * pointsPerElement, n = Voigt.Size(hypothesis), m = model.Metadata.StateSize;
        Count = count;
        PointIds = new int[count];
        for (int le = 0; le < elements.Length; le++)
        {
            for (int q = 0; q < pointsPerElement; q++)
            {
                PointIds[le * pointsPerElement + q] = elements[le] * pointsPerElement + q;
            }
        }

        Coordinates = new double[count * MaterialBatch.Dimension(hypothesis)];
        Volumes = new double[count];
        Strain = new double[count * n];
        Stress = new double[count * n];
        State = new double[count * m];
        StrainIncrement = new double[count * n];
        TrialStress = new double[count * n];
        TrialState = new double[count * m];
        Tangent = new double[count * n * n];
        Status = new PointStatus[count];
    }

    /// <summary>Region name (a mesh region).</summary>
    public string Name { get; }

    /// <summary>The case's material entry.</summary>
    public MaterialDefinition Definition { get; }

    /// <summary>The plug-in model instance.</summary>
    public IMaterialModel Model { get; }

    /// <summary>Tangent kind requested from the model.</summary>
    public TangentKind RequestedTangent { get; }

    /// <summary>Modelling hypothesis.</summary>
    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Global element ids of the region.</summary>
    public int[] Elements { get; }

    /// <summary>Quadrature points per element.</summary>
    public int PointsPerElement { get; }

    /// <summary>Number of material points; point p belongs to local element p / PointsPerElement.</summary>
    public int Count { get; }

    /// <summary>Global point ids (element × PointsPerElement + q).</summary>
    public int[] PointIds { get; }

    /// <summary>Point coordinates.</summary>
    public double[] Coordinates { get; }

    /// <summary>Integration weight dV of each point.</summary>
    public double[] Volumes { get; }

    /// <summary>Committed total strain ε_n.</summary>
    public double[] Strain { get; }

    /// <summary>Committed stress σ_n.</summary>
    public double[] Stress { get; }

    /// <summary>Committed state.</summary>
    public double[] State { get; }

    /// <summary>Trial strain increment Δε.</summary>
    public double[] StrainIncrement { get; }

    /// <summary>Trial stress σ_{n+1}.</summary>
    public double[] TrialStress { get; }

    /// <summary>Trial state.</summary>
    public double[] TrialState { get; }

    /// <summary>Trial tangent.</summary>
    public double[] Tangent { get; }

    /// <summary>Status of the last integration of each point.</summary>
    public PointStatus[] Status { get; }

    /// <summary>The batch over every point of the region for the increment [time, time + dt].</summary>
    public MaterialBatch Batch(double time, double dt) => new(Hypothesis, Count, Model.Metadata.StateSize, time, dt, RequestedTangent,
        PointIds, Coordinates, Strain, StrainIncrement, Stress, State, TrialStress, TrialState, Tangent, Status);

    /// <summary>
    /// Accepts the trial values: ε_n += Δε, σ_n = σ_trial, state_n = state_trial; opaque models commit too
    /// (a throwing CommitStep is a <see cref="PluginCallException"/>).
    /// </summary>
    public void Commit()
    {
        for (int i = 0; i < Strain.Length; i++)
        {
            Strain[i] += StrainIncrement[i];
        }

        Array.Copy(TrialStress, Stress, Stress.Length);
        Array.Copy(TrialState, State, State.Length);
        Array.Clear(StrainIncrement);
        if (Model is IOpaqueStateMaterial opaque)
        {
            PluginCallException.Guard(Model, Name, nameof(opaque.CommitStep), opaque.CommitStep);
        }
    }

    /// <summary>Rejects the trial values (the committed arrays are untouched); opaque models revert (a throwing RevertStep is a <see cref="PluginCallException"/>).</summary>
    public void Revert()
    {
        Array.Clear(StrainIncrement);
        if (Model is IOpaqueStateMaterial opaque)
        {
            PluginCallException.Guard(Model, Name, nameof(opaque.RevertStep), opaque.RevertStep);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
