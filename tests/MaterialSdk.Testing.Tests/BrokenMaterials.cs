using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Testing.Tests;

/// <summary>
/// Deliberately defective materials: each one is linear elasticity with exactly one defect, so a
/// conformance check that flags it flags that defect and nothing else.
/// </summary>
internal enum Defect
{
    None,
    WrongTangentSign,
    StateMutatedOnZeroIncrement,
    NaNOnTension,
    HiddenSideEffect,
}

internal sealed class BrokenPlugin(Defect defect) : IMaterialPlugin
{
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "Broken" + defect,
        Version = new Version(0, 1),
        Description = "Linear elasticity with one deliberate defect, for testing the conformance kit.",
        Parameters = [ParameterInfo.Real("E", "kPa", "Young's modulus", 1e4, min: 1e-9), ParameterInfo.Real("nu", "-", "Poisson's ratio", 0.25, -0.99, 0.49)],
        StateVariables = [new StateVariableInfo("calls", "-", "number of updates (a history variable)")],
        TangentKinds = [TangentKind.Consistent],
        IsIsotropic = true,
        IsThreadSafe = defect != Defect.HiddenSideEffect,
    };

    public IMaterialModel Create(MaterialParameters p, ModellingHypothesis h) =>
        defect == Defect.NaNOnTension ? new RawNaNModel(Metadata, h, p.Real("E"), p.Real("nu"))
            : new BrokenModel(Metadata, h, defect, p.Real("E"), p.Real("nu"));
}

internal sealed class BrokenModel(MaterialMetadata meta, ModellingHypothesis h, Defect defect, double e, double nu) : PointMaterial(meta, h)
{
    private readonly double _k = Elasticity.BulkModulus(e, nu), _g = Elasticity.ShearModulus(e, nu);
    private int _calls;

    protected override PointStatus Integrate(in MaterialPoint p)
    {
        Elasticity.Isotropic(_k, _g, p.Tangent, p.Size);
        Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
        for (int i = 0; i < p.Size; i++)
        {
            p.Stress[i] += p.StressOld[i];
        }

        // A legitimate history variable counts only non-zero increments; the defect counts every call.
        bool moved = false;
        foreach (var x in p.StrainIncrement)
        {
            moved |= x != 0;
        }

        p.State[0] = p.StateOld[0] + (moved || defect == Defect.StateMutatedOnZeroIncrement ? 1 : 0);
        if (defect == Defect.WrongTangentSign)
        {
            p.Tangent[Voigt.XY * p.Size + Voigt.XY] *= -1;
        }

        if (defect == Defect.HiddenSideEffect)
        {
            // Softens a little with every call, whatever the committed state: Newton iterations would drift.
            _calls++;
            p.Stress[0] += 1e-3 * _calls;
        }

        return PointStatus.Ok;
    }
}

/// <summary>Implements the batch interface directly (no base-class guard) and returns NaN under tension.</summary>
internal sealed class RawNaNModel(MaterialMetadata meta, ModellingHypothesis h, double e, double nu) : IMaterialModel
{
    private readonly double _k = Elasticity.BulkModulus(e, nu), _g = Elasticity.ShearModulus(e, nu);

    public MaterialMetadata Metadata => meta;

    public ModellingHypothesis Hypothesis => h;

    public void Initialize(in MaterialInitialization init)
    {
    }

    public void Integrate(in MaterialBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            var p = batch.Point(i);
            Elasticity.Isotropic(_k, _g, p.Tangent, p.Size);
            Elasticity.Multiply(p.Tangent, p.StrainIncrement, p.Stress);
            double mean = 0;
            for (int c = 0; c < p.Size; c++)
            {
                p.Stress[c] += p.StressOld[c];
                mean += c < 3 ? p.Stress[c] / 3 : 0;
            }

            p.State[0] = p.StateOld[0] + 1;
            if (mean > 0)
            {
                p.Stress[0] = Math.Sqrt(-mean); // the defect: a soil law evaluated at tensile mean stress
            }

            batch.Status.Span[i] = PointStatus.Ok;
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// 1D-like elastic model whose strain history lives in opaque per-point storage (like a DEM packing):
/// σ = σ_0 + D (ε_committed + Δε). With <paramref name="leaky"/> the trial overwrites the committed
/// history, the defect the commit/revert check must catch.
/// </summary>
internal sealed class OpaquePlugin(bool leaky) : IMaterialPlugin
{
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = leaky ? "LeakyOpaque" : "Opaque",
        Version = new Version(0, 1),
        Description = "Elasticity with its strain history kept as opaque state, for testing the lifecycle check.",
        HasOpaqueState = true,
        IsThreadSafe = false,
    };

    public IMaterialModel Create(MaterialParameters p, ModellingHypothesis h) => new Model(Metadata, h, leaky);

    private sealed class Model(MaterialMetadata meta, ModellingHypothesis h, bool leaky) : IOpaqueStateMaterial
    {
        private readonly Dictionary<int, double[]> _committed = [], _trial = [], _initial = [];

        public MaterialMetadata Metadata => meta;

        public ModellingHypothesis Hypothesis => h;

        public void Initialize(in MaterialInitialization init)
        {
            int n = Voigt.Size(h);
            for (int i = 0; i < init.Count; i++)
            {
                _committed[init.PointIds.Span[i]] = new double[n];
                _initial[init.PointIds.Span[i]] = init.InitialStress.Span.Slice(i * n, n).ToArray();
            }
        }

        public void Integrate(in MaterialBatch batch)
        {
            int n = batch.StrainSize;
            for (int i = 0; i < batch.Count; i++)
            {
                var p = batch.Point(i);
                if (!p.StrainIncrement.ToArray().All(double.IsFinite))
                {
                    batch.Status.Span[i] = PointStatus.Failed("non-finite strain increment");
                    continue;
                }

                var eps = (double[])_committed[p.Id].Clone();
                for (int c = 0; c < n; c++)
                {
                    eps[c] += p.StrainIncrement[c];
                }

                Elasticity.Isotropic(1e4, 5e3, p.Tangent, n);
                Elasticity.Multiply(p.Tangent, eps, p.Stress);
                for (int c = 0; c < n; c++)
                {
                    p.Stress[c] += _initial[p.Id][c];
                }

                (leaky ? _committed : _trial)[p.Id] = eps;
                batch.Status.Span[i] = PointStatus.Ok;
            }
        }

        public void CommitStep()
        {
            foreach (var (id, eps) in _trial)
            {
                _committed[id] = eps;
            }

            _trial.Clear();
        }

        public void RevertStep() => _trial.Clear();

        public void SaveCheckpoint(Stream stream)
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(_committed.Count);
            foreach (var (id, eps) in _committed.OrderBy(kv => kv.Key))
            {
                w.Write(id);
                w.Write(eps.Length);
                foreach (var x in eps)
                {
                    w.Write(x);
                }
            }
        }

        public void LoadCheckpoint(Stream stream)
        {
            using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            int count = r.ReadInt32();
            for (int k = 0; k < count; k++)
            {
                int id = r.ReadInt32();
                _committed[id] = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadDouble()).ToArray();
            }

            _trial.Clear();
        }

        public void Dispose()
        {
        }
    }
}
