namespace FemHost.MaterialSdk;

/// <summary>
/// Base class for models written one point at a time, like an Abaqus UMAT: implement
/// <see cref="Integrate(in MaterialPoint)"/> and, if the state depends on the initial stress,
/// <see cref="InitialState"/>. The base class loops over the batch, turns exceptions and non-finite
/// results into failed points, and leaves parallelism to the host (the model is declared thread-safe
/// by default, so it must not mutate instance fields in <see cref="Integrate(in MaterialPoint)"/>).
/// </summary>
public abstract class PointMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis) : IMaterialModel
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = metadata;

    /// <inheritdoc/>
    public ModellingHypothesis Hypothesis { get; } = metadata.Hypotheses.Contains(hypothesis) ? hypothesis
        : throw new NotSupportedException($"material '{metadata.Name}' does not support {hypothesis}; it supports {string.Join(", ", metadata.Hypotheses)}");

    /// <summary>Voigt size n of this instance.</summary>
    protected int Size => Voigt.Size(Hypothesis);

    /// <summary>
    /// Updates one point: write <see cref="MaterialPoint.Stress"/>, <see cref="MaterialPoint.State"/> and
    /// <see cref="MaterialPoint.Tangent"/> from the values at t_n and the increment.
    /// </summary>
    protected abstract PointStatus Integrate(in MaterialPoint point);

    /// <summary>Initial state of a point from its initial stress. Default: all zeros.</summary>
    protected virtual void InitialState(ReadOnlySpan<double> initialStress, Span<double> state) => state.Clear();

    /// <inheritdoc/>
    public void Initialize(in MaterialInitialization init)
    {
        int n = Size, m = Metadata.StateSize;
        for (int i = 0; i < init.Count; i++)
        {
            InitialState(init.InitialStress.Span.Slice(i * n, n), init.State.Span.Slice(i * m, m));
        }
    }

    /// <inheritdoc/>
    public void Integrate(in MaterialBatch batch)
    {
        var status = batch.Status.Span;
        for (int i = 0; i < batch.Count; i++)
        {
            var point = batch.Point(i);
            try
            {
                status[i] = Integrate(point);
                if (status[i].IsOk && !(AllFinite(point.Stress) && AllFinite(point.State) && AllFinite(point.Tangent)))
                {
                    status[i] = PointStatus.Failed("non-finite stress, state or tangent");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                status[i] = PointStatus.Failed($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>Whether every entry is finite.</summary>
    protected static bool AllFinite(ReadOnlySpan<double> v)
    {
        foreach (var x in v)
        {
            if (!double.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
