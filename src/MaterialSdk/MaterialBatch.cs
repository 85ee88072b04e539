namespace FemHost.MaterialSdk;

/// <summary>
/// A batch of material points to integrate over one increment [t_n, t_n + Δt]: the host hands
/// flat arrays, point-major (point i's strain is <c>Strain[i*n .. i*n+n)</c>, with n the Voigt size), and
/// receives stress, state and tangent at t_{n+1} plus a status per point. Every call starts from the
/// committed values at t_n, so repeated Newton iterations have no side effects.
/// </summary>
/// <remarks>
/// The struct only holds references to host-owned memory; copying it is cheap and it may be captured in
/// lambdas (e.g. to integrate the points of a batch in parallel inside a plug-in). Use
/// <see cref="Slice"/> to hand part of a batch to a worker.
/// </remarks>
public readonly struct MaterialBatch
{
    /// <summary>Creates a batch over host-owned arrays. Lengths are checked.</summary>
    public MaterialBatch(
        ModellingHypothesis hypothesis,
        int count,
        int stateSize,
        double time,
        double timeIncrement,
        TangentKind requestedTangent,
        ReadOnlyMemory<int> pointIds,
        ReadOnlyMemory<double> coordinates,
        ReadOnlyMemory<double> strain,
        ReadOnlyMemory<double> strainIncrement,
        ReadOnlyMemory<double> stressOld,
        ReadOnlyMemory<double> stateOld,
        Memory<double> stress,
        Memory<double> state,
        Memory<double> tangent,
        Memory<PointStatus> status)
    {
        int n = Voigt.Size(hypothesis);
        int d = Dimension(hypothesis);
        Check(pointIds.Length, count, nameof(pointIds));
        Check(coordinates.Length, count * d, nameof(coordinates));
        Check(strain.Length, count * n, nameof(strain));
        Check(strainIncrement.Length, count * n, nameof(strainIncrement));
        Check(stressOld.Length, count * n, nameof(stressOld));
        Check(stateOld.Length, count * stateSize, nameof(stateOld));
        Check(stress.Length, count * n, nameof(stress));
        Check(state.Length, count * stateSize, nameof(state));
        Check(tangent.Length, count * n * n, nameof(tangent));
        Check(status.Length, count, nameof(status));
        (Hypothesis, Count, StateSize, Time, TimeIncrement, RequestedTangent) = (hypothesis, count, stateSize, time, timeIncrement, requestedTangent);
        (PointIds, Coordinates, Strain, StrainIncrement, StressOld, StateOld) = (pointIds, coordinates, strain, strainIncrement, stressOld, stateOld);
        (Stress, State, Tangent, Status) = (stress, state, tangent, status);
    }

    /// <summary>Modelling hypothesis; fixes <see cref="StrainSize"/>.</summary>
    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>Voigt size n (4 in plane strain, 6 in 3D).</summary>
    public int StrainSize => Voigt.Size(Hypothesis);

    /// <summary>Number of host-owned state variables per point.</summary>
    public int StateSize { get; }

    /// <summary>Time t_n at the start of the increment.</summary>
    public double Time { get; }

    /// <summary>Time increment Δt.</summary>
    public double TimeIncrement { get; }

    /// <summary>The tangent the host asks for (one of the kinds the metadata declares).</summary>
    public TangentKind RequestedTangent { get; }

    /// <summary>Global Gauss-point ids (stable across the run; use them to key opaque state).</summary>
    public ReadOnlyMemory<int> PointIds { get; }

    /// <summary>Point coordinates, <see cref="Dimension(ModellingHypothesis)"/> per point.</summary>
    public ReadOnlyMemory<double> Coordinates { get; }

    /// <summary>Total strain ε_n at t_n (engineering shear).</summary>
    public ReadOnlyMemory<double> Strain { get; }

    /// <summary>Strain increment Δε over the step.</summary>
    public ReadOnlyMemory<double> StrainIncrement { get; }

    /// <summary>Committed stress σ_n.</summary>
    public ReadOnlyMemory<double> StressOld { get; }

    /// <summary>Committed state at t_n.</summary>
    public ReadOnlyMemory<double> StateOld { get; }

    /// <summary>Output: stress σ_{n+1}.</summary>
    public Memory<double> Stress { get; }

    /// <summary>Output: state at t_{n+1}.</summary>
    public Memory<double> State { get; }

    /// <summary>Output: tangent D (n×n per point, row-major, D_ij = ∂σ_i/∂ε_j).</summary>
    public Memory<double> Tangent { get; }

    /// <summary>Output: status per point.</summary>
    public Memory<PointStatus> Status { get; }

    /// <summary>Spatial dimension of point coordinates: 2 in plane strain, 3 in 3D.</summary>
    public static int Dimension(ModellingHypothesis hypothesis) => hypothesis == ModellingHypothesis.PlaneStrain ? 2 : 3;

    /// <summary>The sub-batch of points [start, start + count).</summary>
    public MaterialBatch Slice(int start, int count)
    {
        int n = StrainSize, m = StateSize, d = Dimension(Hypothesis);
        return new MaterialBatch(Hypothesis, count, m, Time, TimeIncrement, RequestedTangent,
            PointIds.Slice(start, count), Coordinates.Slice(start * d, count * d),
            Strain.Slice(start * n, count * n), StrainIncrement.Slice(start * n, count * n),
            StressOld.Slice(start * n, count * n), StateOld.Slice(start * m, count * m),
            Stress.Slice(start * n, count * n), State.Slice(start * m, count * m),
            Tangent.Slice(start * n * n, count * n * n), Status.Slice(start, count));
    }

    /// <summary>The views of point <paramref name="i"/> as a single UMAT-style record.</summary>
    public MaterialPoint Point(int i)
    {
        int n = StrainSize, m = StateSize, d = Dimension(Hypothesis);
        return new MaterialPoint(Hypothesis, RequestedTangent, PointIds.Span[i], Time, TimeIncrement,
            Coordinates.Span.Slice(i * d, d),
            Strain.Span.Slice(i * n, n), StrainIncrement.Span.Slice(i * n, n),
            StressOld.Span.Slice(i * n, n), StateOld.Span.Slice(i * m, m),
            Stress.Span.Slice(i * n, n), State.Span.Slice(i * m, m), Tangent.Span.Slice(i * n * n, n * n));
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} entries, expected {expected}", name);
        }
    }
}

/// <summary>
/// One material point of a batch, as a UMAT call sees it: inputs at t_n and the increment, outputs at
/// t_{n+1}. Output spans write straight into the host's arrays.
/// </summary>
public readonly ref struct MaterialPoint
{
    /// <summary>Creates the record (used by <see cref="MaterialBatch.Point"/> and by single-point drivers).</summary>
    public MaterialPoint(ModellingHypothesis hypothesis, TangentKind requestedTangent, int id, double time, double timeIncrement,
        ReadOnlySpan<double> coordinates, ReadOnlySpan<double> strain, ReadOnlySpan<double> strainIncrement,
        ReadOnlySpan<double> stressOld, ReadOnlySpan<double> stateOld,
        Span<double> stress, Span<double> state, Span<double> tangent)
    {
        (Hypothesis, RequestedTangent, Id, Time, TimeIncrement) = (hypothesis, requestedTangent, id, time, timeIncrement);
        Coordinates = coordinates;
        Strain = strain;
        StrainIncrement = strainIncrement;
        StressOld = stressOld;
        StateOld = stateOld;
        Stress = stress;
        State = state;
        Tangent = tangent;
    }

    /// <summary>Modelling hypothesis.</summary>
    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Requested tangent kind.</summary>
    public TangentKind RequestedTangent { get; }

    /// <summary>Global point id.</summary>
    public int Id { get; }

    /// <summary>Time at t_n.</summary>
    public double Time { get; }

    /// <summary>Time increment.</summary>
    public double TimeIncrement { get; }

    /// <summary>Voigt size n.</summary>
    public int Size => Strain.Length;

    /// <summary>Point coordinates.</summary>
    public ReadOnlySpan<double> Coordinates { get; }

    /// <summary>Total strain at t_n.</summary>
    public ReadOnlySpan<double> Strain { get; }

    /// <summary>Strain increment.</summary>
    public ReadOnlySpan<double> StrainIncrement { get; }

    /// <summary>Committed stress σ_n.</summary>
    public ReadOnlySpan<double> StressOld { get; }

    /// <summary>Committed state.</summary>
    public ReadOnlySpan<double> StateOld { get; }

    /// <summary>Output stress σ_{n+1}.</summary>
    public Span<double> Stress { get; }

    /// <summary>Output state.</summary>
    public Span<double> State { get; }

    /// <summary>Output tangent, row-major n×n.</summary>
    public Span<double> Tangent { get; }
}
