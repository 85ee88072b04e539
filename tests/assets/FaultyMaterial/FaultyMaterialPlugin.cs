using FemHost.MaterialSdk;

namespace FemHost.TestAssets.FaultyMaterial;

/// <summary>
/// A deliberately faulty material for the host's fault-isolation tests: isotropic linear elasticity
/// (σ_{n+1} = σ_n + D Δε) until the selected <c>fault</c> strikes at the point with global id
/// <c>point</c> (element × Gauss points per element + q), in increments ending after the load factor
/// <c>from_time</c>, for the first <c>strikes</c> calls (0 = every call from then on, a persistent fault).
/// It implements <see cref="IMaterialModel"/> directly (not <see cref="PointMaterial"/>) so that its
/// exceptions and non-finite values reach the host unfiltered, as a third-party plug-in's would.
/// It also keeps opaque state, the number of committed steps, which the host sees only through the state
/// variable <c>step</c> (= committed steps + 1, written by every integration) and restores only through
/// <see cref="IOpaqueStateMaterial.LoadCheckpoint"/>: a resumed run that skipped that call would write other
/// values. The lifecycle faults throw in Initialize (always), CommitStep (committing an increment ending after
/// <c>from_time</c>), RevertStep (after <c>from_time</c>, where the struck point also asks for a smaller step so
/// that there is something to revert), SaveCheckpoint (once a step after <c>from_time</c> is committed) or
/// LoadCheckpoint (always).
/// </summary>
public sealed class FaultyMaterialPlugin : IMaterialPlugin
{
    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "Faulty",
        Version = new Version(1, 0, 0),
        Description = "Linear elasticity with an injected fault (test plug-in for the host's fault isolation).",
        Parameters =
        [
            ParameterInfo.Real("E", "kPa", "Young's modulus", min: 1e-12),
            ParameterInfo.Real("nu", "-", "Poisson's ratio", 0.3, min: -0.999, max: 0.499),
            ParameterInfo.Choice("fault", "which fault to inject", "none", FaultKinds.All),
            ParameterInfo.Real("from_time", "-", "the fault strikes only in increments ending after this load factor", 0, min: 0),
            ParameterInfo.Integer("strikes", "number of calls in which the fault strikes (0 = every call: persistent)", 0, min: 0),
            ParameterInfo.Integer("point", "global id of the struck point (element × points per element + Gauss point)", 0, min: 0),
        ],
        StateVariables = [new StateVariableInfo("step", "-", "committed steps + 1, from the opaque step counter")],
        TangentKinds = [TangentKind.Consistent],
        IsThreadSafe = false, // counts its strikes
        HasOpaqueState = true,
        IsIsotropic = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis) =>
        new FaultyMaterial(Metadata, hypothesis, parameters.Real("E"), parameters.Real("nu"), parameters.Text("fault"),
            parameters.Real("from_time"), parameters.Integer("strikes"), parameters.Integer("point"));
}

/// <summary>The model; <see cref="Integrate"/> is elastic everywhere, then corrupts the struck point.</summary>
internal sealed class FaultyMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, double youngs, double poisson,
    string fault, double fromTime, long strikes, long point) : IOpaqueStateMaterial
{
    private const long CheckpointMagic = 0x5954_4C55_4146; // "FAULTY"
    private readonly double _bulk = Elasticity.BulkModulus(youngs, poisson);
    private readonly double _shear = Elasticity.ShearModulus(youngs, poisson);
    private long _struck;
    private long _committedSteps;
    private double _trialEnd;
    private double _committedEnd;

    public MaterialMetadata Metadata { get; } = metadata;

    public ModellingHypothesis Hypothesis { get; } = hypothesis;

    public void Initialize(in MaterialInitialization init)
    {
        if (fault == "initialize_throws")
        {
            throw new InvalidOperationException("injected failure while initialising the material points");
        }

        if (fault == "initialize_refuses_parameters")
        {
            throw new MaterialParameterException(Metadata.Name, "E", $"E = {youngs} is too stiff for the initial stress (injected refusal); expected E below 1");
        }

        init.State.Span.Fill(1);
    }

    public void CommitStep()
    {
        if (fault == "commit_throws" && _trialEnd > fromTime)
        {
            throw new InvalidOperationException("injected failure while committing the step");
        }

        _committedSteps++;
        _committedEnd = _trialEnd;
    }

    public void RevertStep()
    {
        if (fault == "revert_throws")
        {
            throw new InvalidOperationException("injected failure while reverting the step");
        }
    }

    public void SaveCheckpoint(Stream stream)
    {
        if (fault == "save_checkpoint_throws" && _committedEnd > fromTime)
        {
            throw new IOException("injected failure while saving the checkpoint");
        }

        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(CheckpointMagic);
        w.Write(_committedSteps);
        w.Write(_committedEnd);
    }

    public void LoadCheckpoint(Stream stream)
    {
        if (fault == "load_checkpoint_throws")
        {
            throw new InvalidDataException("injected failure while loading the checkpoint");
        }

        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt64() != CheckpointMagic)
        {
            throw new InvalidDataException("not a Faulty checkpoint");
        }

        _committedSteps = r.ReadInt64();
        _committedEnd = r.ReadDouble();
    }

    public void Integrate(in MaterialBatch batch)
    {
        int n = Voigt.Size(Hypothesis);
        _trialEnd = batch.Time + batch.TimeIncrement;
        bool active = fault is not ("none" or "commit_throws" or "save_checkpoint_throws") && batch.Time + batch.TimeIncrement > fromTime && (strikes == 0 || _struck < strikes);
        var status = batch.Status.Span;
        Span<double> d = stackalloc double[n * n];
        Elasticity.Isotropic(_bulk, _shear, d, n);
        int target = -1;
        for (int i = 0; i < batch.Count; i++)
        {
            var p = batch.Point(i);
            bool struck = active && p.Id == point;
            target = struck ? i : target;
            Elasticity.Multiply(d, p.StrainIncrement, p.Stress);
            for (int k = 0; k < n; k++)
            {
                p.Stress[k] += p.StressOld[k];
            }

            if (struck && fault == "wrong_size_tangent")
            {
                // A plug-in that believes the Voigt size is 3 (11, 22, 12): 9 entries with stride 3, the rest unwritten.
                WriteReduced(p.Tangent, d, [0, 1, 3], n);
            }
            else
            {
                d.CopyTo(p.Tangent);
            }

            p.State[0] = _committedSteps + 1;
            status[i] = PointStatus.Ok;
        }

        if (target < 0)
        {
            return;
        }

        _struck++;
        var s = batch.Point(target);
        switch (fault)
        {
            case "throw":
                throw new InvalidOperationException($"injected exception at point {point}");
            case "nan_stress":
                s.Stress[0] = double.NaN;
                break;
            case "inf_tangent":
                s.Tangent[n + 1] = double.PositiveInfinity;
                break;
            case "failed_point":
                status[target] = PointStatus.Failed("injected failed point");
                break;
            case "smaller_step" or "revert_throws":
                status[target] = PointStatus.SmallerStep(0.5, "injected request for a smaller step");
                break;
        }
    }

    public void Dispose()
    {
    }

    private static void WriteReduced(Span<double> t, ReadOnlySpan<double> d, int[] map, int n)
    {
        for (int i = 0; i < map.Length; i++)
        {
            for (int j = 0; j < map.Length; j++)
            {
                t[i * map.Length + j] = d[map[i] * n + map[j]];
            }
        }
    }
}
