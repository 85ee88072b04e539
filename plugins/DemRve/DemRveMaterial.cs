using System.Collections.Concurrent;
using FemHost.Materials.DemRve.Engine;
using FemHost.MaterialSdk;

namespace FemHost.Materials.DemRve;

/// <summary>
/// A DemRve instance: one <see cref="RveMaterialPoint"/> per Gauss point, integrated in parallel.
/// </summary>
/// <remarks>
/// <para><b>Initialisation.</b> Every point gets its own copy of one prepared packing per distinct
/// initial pressure p0 = −(σ11 + σ22)/2 (the paper assigns identical RVEs to the 288 Gauss points);
/// packings come from the <see cref="PackingCache"/> when present.</para>
/// <para><b>Increment.</b> Restore the committed packing, drive the cell to h = (I + ε_{n+1}) h_ref with
/// ε_{n+1} = ε_n + Δε (in-plane components; ε33 has no meaning for a 2D RVE), relax, and return the
/// symmetrised Love–Weber stress in kPa and the eq. 7 tangent. σ33 = f (σ11 + σ22) with f =
/// sigma33Factor (0.5 by default so that tr σ / 3 equals the in-plane pressure the RVE was consolidated
/// to). A relaxation that hits its cap asks the host for a smaller step.</para>
/// <para><b>Threads.</b> Points are independent and each runs sequentially, so results are identical
/// whatever the number of threads.</para>
/// </remarks>
public sealed class DemRveMaterial : IOpaqueStateMaterial
{
    private const long CheckpointMagic = 0x4B43_4556_524D_4544; // "DEMRVECK"
    private const int CheckpointVersion = 2;
    private const double KiloPascal = 1e3;
    private readonly ConcurrentDictionary<int, RveMaterialPoint> _points = new();

    /// <summary>Creates an instance; packings are prepared in <see cref="Initialize"/>.</summary>
    public DemRveMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, DemRveSettings settings)
    {
        Metadata = metadata ?? throw new ArgumentNullException(nameof(metadata));
        Hypothesis = hypothesis == ModellingHypothesis.PlaneStrain ? hypothesis
            : throw new NotSupportedException($"material 'DemRve' is a 2D RVE and supports PlaneStrain only, not {hypothesis}");
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; }

    /// <inheritdoc/>
    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Resolved parameters.</summary>
    public DemRveSettings Settings { get; }

    /// <summary>Packings prepared from scratch (not found in the cache) by this instance.</summary>
    public int PreparedPackings { get; private set; }

    /// <summary>The RVE of a Gauss point (for diagnostics and the virtual laboratory).</summary>
    public RveMaterialPoint Point(int id) => _points[id];

    /// <inheritdoc/>
    public void Initialize(in MaterialInitialization init)
    {
        int n = Voigt.Size(Hypothesis), m = Metadata.StateSize;
        var ids = init.PointIds.ToArray();
        var stress = init.InitialStress.ToArray();
        var pressures = new double[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            double p0 = -0.5 * (stress[i * n + Voigt.XX] + stress[i * n + Voigt.YY]) * KiloPascal;
            if (!(p0 > 0))
            {
                throw new MaterialParameterException(Metadata.Name, "initial stress",
                    $"Gauss point {ids[i]} has an in-plane mean stress of {-p0 / KiloPascal:G4} kPa; a DEM RVE needs a compressive initial stress "
                    + "(tension positive: give negative sigma11 and sigma22, e.g. -100 kPa)");
            }

            pressures[i] = p0;
        }

        var distinct = pressures.Distinct().ToArray();
        var prepared = new ConcurrentDictionary<double, Packing>();
        var cache = Settings.CacheFolder is { } folder ? new PackingCache(folder) : null;
        int fresh = 0;
        Parallel.ForEach(distinct, Options(), p0 =>
        {
            var spec = Settings.Template with { Pressure = p0 };
            bool fromCache = false;
            prepared[p0] = cache is null ? spec.Prepare() : cache.GetOrPrepare(spec, out fromCache);
            if (!fromCache)
            {
                Interlocked.Increment(ref fresh);
            }
        });
        PreparedPackings += fresh;

        var state = init.State;
        Parallel.For(0, ids.Length, Options(), i =>
        {
            var spec = Settings.Template with { Pressure = pressures[i] };
            var point = new RveMaterialPoint(prepared[pressures[i]], spec);
            _points[ids[i]] = point;
            WriteState(point.Committed, 0, state.Span.Slice(i * m, m));
        });
    }

    /// <inheritdoc/>
    public void Integrate(in MaterialBatch batch)
    {
        var b = batch;
        Parallel.For(0, b.Count, Options(), i => IntegratePoint(b, i));
    }

    private void IntegratePoint(MaterialBatch batch, int i)
    {
        var point = batch.Point(i);
        var status = batch.Status.Span;
        try
        {
            if (!_points.TryGetValue(point.Id, out var rve))
            {
                status[i] = PointStatus.Failed($"Gauss point {point.Id} was not initialised by DemRve");
                return;
            }

            var e = point.Strain;
            var de = point.StrainIncrement;
            double f = Settings.OutOfPlaneFactor;
            if (de[Voigt.XX] == 0 && de[Voigt.YY] == 0 && de[Voigt.XY] == 0)
            {
                // Zero increment (the host's predictor): the committed packing is the answer, so the
                // committed stress and state come back exactly and nothing is integrated.
                rve.Unchanged();
                point.StressOld.CopyTo(point.Stress);
                point.StateOld.CopyTo(point.State);
                if (rve.HasCommittedTangent)
                {
                    rve.CommittedTangent.CopyTo(point.Tangent);
                }
                else
                {
                    Tangent(rve, new Mat2(e[Voigt.XX], 0.5 * e[Voigt.XY], 0.5 * e[Voigt.XY], e[Voigt.YY]), Mat2.Zero, point.Tangent);
                    rve.SetTrialTangent(point.Tangent);
                }

                status[i] = PointStatus.Ok;
                return;
            }

            double size = Math.Max(Math.Max(Math.Abs(de[Voigt.XX]), Math.Abs(de[Voigt.YY])), 0.5 * Math.Abs(de[Voigt.XY]));
            if (size > Settings.MaxStrainIncrement)
            {
                // A (diverging) Newton iterate far beyond a physical step: refuse it cheaply.
                point.StressOld.CopyTo(point.Stress);
                point.StateOld.CopyTo(point.State);
                Span<double> c0 = stackalloc double[16];
                Homogenisation.ContactTangent(rve.Committed, c0);
                Homogenisation.ToPlaneStrainVoigt(c0, Settings.OutOfPlaneFactor, 1.0 / KiloPascal, point.Tangent);
                status[i] = PointStatus.SmallerStep(0.9 * Settings.MaxStrainIncrement / size,
                    $"strain increment {size:G3} exceeds maxStrainIncrement {Settings.MaxStrainIncrement:G3}");
                return;
            }

            if (Settings.ReuseStrain > 0 && rve.CanReuseTrial(de, Settings.ReuseStrain)
                && rve.ReuseTrial(de, Settings.LinearReuse, point.Stress, point.State, point.Tangent))
            {
                // This iterate moves the point by less than reuseStrain since its last trial of the step: running
                // the RVE again would change its stress by D·δε (≤ about 1 kPa) plus a fresh draw of the RVE's
                // roughness (a few kPa after the peak), at the cost of a whole RVE call. The trial's answer stands
                // (unless its linear continuation would be tensile: then the RVE runs); the packing is still that
                // trial, so a commit keeps the state that gave the stress.
                status[i] = PointStatus.Ok;
                return;
            }

            double exx = e[Voigt.XX] + de[Voigt.XX], eyy = e[Voigt.YY] + de[Voigt.YY], gxy = e[Voigt.XY] + de[Voigt.XY];
            var response = rve.Deform(new Mat2(exx, 0.5 * gxy, 0.5 * gxy, eyy));
            var s = response.Stress;
            point.Stress[Voigt.XX] = s.XX / KiloPascal;
            point.Stress[Voigt.YY] = s.YY / KiloPascal;
            point.Stress[Voigt.ZZ] = f * (s.XX + s.YY) / KiloPascal;
            point.Stress[Voigt.XY] = s.XY / KiloPascal;
            if (Settings.TangentPerStep && rve.HasStepTangent)
            {
                // Modified Newton: the tangent of the first iteration of this FEM step is kept.
                rve.StepTangent.CopyTo(point.Tangent);
            }
            else
            {
                Tangent(rve, new Mat2(exx, 0.5 * gxy, 0.5 * gxy, eyy), new Mat2(de[Voigt.XX], 0.5 * de[Voigt.XY], 0.5 * de[Voigt.XY], de[Voigt.YY]), point.Tangent);
                rve.SetStepTangent(point.Tangent);
            }

            rve.SetTrialTangent(point.Tangent);
            WriteState(rve.Trial, response.Loading.Steps, point.State);
            rve.SetTrialAnswer(de, point.Stress, point.State);
            status[i] = AllFinite(point.Stress) && AllFinite(point.Tangent) ? PointStatus.Ok
                : PointStatus.Failed("non-finite RVE stress or tangent");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            status[i] = PointStatus.Failed($"DemRve: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// The tangent of the trial state (kPa per unit strain): paper eq. 7 or the relaxed finite-difference
    /// one, probed from the total strain <paramref name="strain"/> in the direction of <paramref name="increment"/>.
    /// </summary>
    private void Tangent(RveMaterialPoint rve, Mat2 strain, Mat2 increment, Span<double> tangent)
    {
        if (Settings.RelaxedTangent)
        {
            rve.RelaxedTangent(strain, increment, Settings.TangentStrain, Settings.TangentRelaxationSteps, Settings.OutOfPlaneFactor, 1.0 / KiloPascal, tangent);
        }
        else
        {
            Span<double> c = stackalloc double[16];
            Homogenisation.ContactTangent(rve.Trial, c);
            Homogenisation.ToPlaneStrainVoigt(c, Settings.OutOfPlaneFactor, 1.0 / KiloPascal, tangent);
        }
    }

    /// <summary>Micro quantities logged by the host (see <see cref="DemRvePlugin.StateVariables"/>).</summary>
    private static void WriteState(Packing p, int steps, Span<double> state)
    {
        var fabric = Homogenisation.Fabric(p, out int contacts);
        state[0] = 2.0 * contacts / p.Count;
        state[1] = fabric.XX;
        state[2] = fabric.YY;
        state[3] = fabric.XY;
        state[4] = UnbalancedRatio(p);
        state[5] = steps;
        state[6] = p.SolidFraction;
        state[7] = Homogenisation.SlidingFraction(p);
    }

    /// <summary>Unbalanced force ratio from the resultant forces stored with the packing.</summary>
    private static double UnbalancedRatio(Packing p)
    {
        double resultant = 0, contact = 0;
        int contacts = 0;
        for (int i = 0; i < p.Count; i++)
        {
            resultant += Math.Sqrt(p.Fx[i] * p.Fx[i] + p.Fy[i] * p.Fy[i]);
        }

        for (int k = 0; k < p.PairCount; k++)
        {
            if (p.ContactState[k] != 0)
            {
                contact += Math.Sqrt(p.Fn[k] * p.Fn[k] + p.Ft[k] * p.Ft[k]);
                contacts++;
            }
        }

        return contacts == 0 || contact == 0 ? 0 : resultant / p.Count / (contact / contacts);
    }

    /// <inheritdoc/>
    public void CommitStep()
    {
        foreach (var point in _points.Values)
        {
            point.Commit();
        }
    }

    /// <inheritdoc/>
    public void RevertStep()
    {
        foreach (var point in _points.Values)
        {
            point.Revert();
        }
    }

    /// <inheritdoc/>
    public void SaveCheckpoint(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(CheckpointMagic);
        w.Write(CheckpointVersion);
        var ids = _points.Keys.Order().ToArray();
        w.Write(ids.Length);
        foreach (var id in ids)
        {
            w.Write(id);
            var point = _points[id];
            point.Committed.Write(w);
            w.Write(point.HasCommittedTangent);
            foreach (var x in point.CommittedTangent)
            {
                w.Write(x);
            }
        }
    }

    /// <inheritdoc/>
    public void LoadCheckpoint(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt64() != CheckpointMagic)
        {
            throw new InvalidDataException("not a DemRve checkpoint (bad magic number)");
        }

        int version = r.ReadInt32();
        if (version != CheckpointVersion)
        {
            throw new InvalidDataException($"DemRve checkpoint version {version} is not supported (expected {CheckpointVersion})");
        }

        int count = r.ReadInt32();
        if (count != _points.Count)
        {
            throw new InvalidDataException($"the DemRve checkpoint holds {count} RVEs but this model serves {_points.Count} Gauss points");
        }

        for (int k = 0; k < count; k++)
        {
            int id = r.ReadInt32();
            var packing = Packing.Read(r);
            bool hasTangent = r.ReadBoolean();
            var tangent = new double[16];
            for (int j = 0; j < tangent.Length; j++)
            {
                tangent[j] = r.ReadDouble();
            }

            if (!_points.TryGetValue(id, out var point))
            {
                throw new InvalidDataException($"the DemRve checkpoint holds Gauss point {id}, which this model does not serve");
            }

            if (packing.Count != point.Committed.Count)
            {
                throw new InvalidDataException($"the DemRve checkpoint of Gauss point {id} has {packing.Count} particles, expected {point.Committed.Count}");
            }

            point.Load(packing, hasTangent ? tangent : []);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _points.Clear();

    private ParallelOptions Options() => new() { MaxDegreeOfParallelism = Math.Max(1, Settings.Threads) };

    private static bool AllFinite(ReadOnlySpan<double> v)
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
}
