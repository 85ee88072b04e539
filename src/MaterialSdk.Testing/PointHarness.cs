namespace FemHost.MaterialSdk.Testing;

/// <summary>
/// Drives a few material points of one model instance the way a host does: it owns the committed
/// strain, stress and state, calls <see cref="IMaterialModel.Integrate"/> with them, and commits (or
/// reverts) the trial result. Used by the conformance checks; handy in an author's own tests too.
/// </summary>
public sealed class PointHarness
{
    private readonly double[] _strain, _stress, _state, _coords;
    private readonly int[] _ids;

    /// <summary>Creates <paramref name="count"/> points and initialises them from <paramref name="initialStress"/>.</summary>
    public PointHarness(IMaterialModel model, int count, ReadOnlySpan<double> initialStress, TangentKind tangent)
    {
        Model = model;
        Count = count;
        Tangent = tangent;
        N = Voigt.Size(model.Hypothesis);
        M = model.Metadata.StateSize;
        _strain = new double[count * N];
        _stress = new double[count * N];
        _state = new double[count * M];
        _ids = Enumerable.Range(0, count).ToArray();
        _coords = new double[count * MaterialBatch.Dimension(model.Hypothesis)];
        for (int i = 0; i < count; i++)
        {
            initialStress.CopyTo(_stress.AsSpan(i * N, N));
        }

        model.Initialize(new MaterialInitialization(_ids, _coords, _stress, _state));
    }

    /// <summary>The model under test.</summary>
    public IMaterialModel Model { get; }

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>Voigt size.</summary>
    public int N { get; }

    /// <summary>State size.</summary>
    public int M { get; }

    /// <summary>Tangent kind requested in every call.</summary>
    public TangentKind Tangent { get; }

    /// <summary>Committed stress of every point.</summary>
    public ReadOnlySpan<double> Stress => _stress;

    /// <summary>Committed state of every point.</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>Committed strain of every point.</summary>
    public ReadOnlySpan<double> Strain => _strain;

    /// <summary>
    /// Integrates all points over the increments <paramref name="dstrain"/> (Count × N) from the committed
    /// state, optionally in <paramref name="chunks"/> concurrent slices, without committing.
    /// </summary>
    public TrialResult Trial(ReadOnlySpan<double> dstrain, int chunks = 1)
    {
        var r = new TrialResult(Count, N, M);
        var batch = new MaterialBatch(Model.Hypothesis, Count, M, 0.0, 1.0, Tangent, _ids, _coords,
            _strain.ToArray(), dstrain.ToArray(), _stress.ToArray(), _state.ToArray(), r.Stress, r.State, r.Tangent, r.Status);
        if (chunks <= 1)
        {
            Model.Integrate(batch);
        }
        else
        {
            int size = (Count + chunks - 1) / chunks;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                int start = c * size, count = Math.Min(size, Count - start);
                if (count > 0)
                {
                    Model.Integrate(batch.Slice(start, count));
                }
            });
        }

        r.Increment = dstrain.ToArray();
        return r;
    }

    /// <summary>Accepts a trial: its stress and state become committed (and opaque state is committed).</summary>
    public void Commit(TrialResult trial)
    {
        for (int k = 0; k < _strain.Length; k++)
        {
            _strain[k] += trial.Increment[k];
        }

        trial.Stress.CopyTo(_stress, 0);
        trial.State.CopyTo(_state, 0);
        (Model as IOpaqueStateMaterial)?.CommitStep();
    }

    /// <summary>Copies of the committed host-owned arrays (strain, stress, state).</summary>
    public (double[] Strain, double[] Stress, double[] State) Snapshot() => (_strain.ToArray(), _stress.ToArray(), _state.ToArray());

    /// <summary>Restores host-owned arrays taken with <see cref="Snapshot"/> (opaque state is the plug-in's business).</summary>
    public void Restore((double[] Strain, double[] Stress, double[] State) s)
    {
        s.Strain.CopyTo(_strain, 0);
        s.Stress.CopyTo(_stress, 0);
        s.State.CopyTo(_state, 0);
    }

    /// <summary>Rejects the last trial (opaque state reverts; host-owned state was never touched).</summary>
    public void Revert() => (Model as IOpaqueStateMaterial)?.RevertStep();
}

/// <summary>Output of one <see cref="PointHarness.Trial"/>.</summary>
public sealed class TrialResult(int count, int n, int m)
{
    /// <summary>Stress per point.</summary>
    public double[] Stress { get; } = new double[count * n];

    /// <summary>State per point.</summary>
    public double[] State { get; } = new double[count * m];

    /// <summary>Tangent per point (n×n).</summary>
    public double[] Tangent { get; } = new double[count * n * n];

    /// <summary>Status per point.</summary>
    public PointStatus[] Status { get; } = new PointStatus[count];

    /// <summary>The increments that produced it.</summary>
    public double[] Increment { get; internal set; } = [];

    /// <summary>Whether every point is ok.</summary>
    public bool AllOk => Status.All(s => s.IsOk);
}
