using FemHost.Cases;
using FemHost.MaterialSdk;

namespace FemHost.PointDriver;

/// <summary>One converged step of a driven point.</summary>
/// <param name="Step">Step number (0 = initial state).</param>
/// <param name="Time">Time at the end of the step.</param>
/// <param name="Strain">Total strain (engineering shear), Voigt order.</param>
/// <param name="Stress">Stress (tension positive), Voigt order.</param>
/// <param name="State">Host-owned state variables.</param>
/// <param name="Iterations">Material calls spent on Newton iterations in this step (over all substeps).</param>
/// <param name="Substeps">Number of sub-increments the step was split into (1 when it was not cut).</param>
public sealed record DriverRow(int Step, double Time, double[] Strain, double[] Stress, double[] State, int Iterations, int Substeps);

/// <summary>The history of a driven point.</summary>
/// <param name="Hypothesis">Modelling hypothesis (fixes the Voigt labels).</param>
/// <param name="StateNames">Names of the state variables, from the plug-in metadata.</param>
/// <param name="Rows">Initial state then one row per step.</param>
public sealed record DriverResult(ModellingHypothesis Hypothesis, IReadOnlyList<string> StateNames, IReadOnlyList<DriverRow> Rows);

/// <summary>
/// Drives one material point along a path of mixed strain/stress control, like MFront's MTest. At each
/// step the strain of strain-controlled components is prescribed and the strain of stress-controlled
/// components S is found by Newton's method on r_S(Δε) = σ_S(ε_n + Δε) − σ_S^target = 0, with the
/// Jacobian ∂r_S/∂Δε_S = D_SS taken from the material tangent (consistent tangents) or from central
/// finite differences. A step the material rejects (smaller step, failure) or that does not converge is
/// halved, up to <see cref="DriverSolverSettings.MaxSubsteps"/> times.
/// </summary>
public sealed class MaterialPointDriver
{
    private readonly IMaterialModel _model;
    private readonly TangentKind _tangent;
    private readonly DriverSolverSettings _settings;
    private readonly int _n;
    private readonly int _m;

    // Committed values at t_n.
    private readonly double[] _strain;
    private readonly double[] _stress;
    private readonly double[] _state;

    // Trial values of the current call.
    private readonly double[] _increment;
    private readonly double[] _stressNew;
    private readonly double[] _stateNew;
    private readonly double[] _tangentNew;
    private readonly PointStatus[] _status = new PointStatus[1];
    private readonly int[] _ids = [0];
    private readonly double[] _coordinates;

    private double[] _lastIncrement;
    private double _lastDt;

    /// <summary>Creates a driver for an initialised-later model instance.</summary>
    /// <param name="model">A model created for one point (this driver calls <see cref="IMaterialModel.Initialize"/>).</param>
    /// <param name="tangent">Tangent kind to request.</param>
    /// <param name="settings">Newton settings.</param>
    public MaterialPointDriver(IMaterialModel model, TangentKind tangent, DriverSolverSettings settings)
    {
        (_model, _tangent, _settings) = (model, tangent, settings);
        _n = Voigt.Size(model.Hypothesis);
        _m = model.Metadata.StateSize;
        (_strain, _stress, _increment, _stressNew, _lastIncrement) = (new double[_n], new double[_n], new double[_n], new double[_n], new double[_n]);
        (_state, _stateNew) = (new double[_m], new double[_m]);
        _tangentNew = new double[_n * _n];
        _coordinates = new double[MaterialBatch.Dimension(model.Hypothesis)];
    }

    /// <summary>Whether Newton uses the material tangent (otherwise finite differences).</summary>
    public bool UsesTangent => _settings.Jacobian == JacobianKind.Tangent
        || (_settings.Jacobian == JacobianKind.Auto && _tangent == TangentKind.Consistent);

    /// <summary>Initialises the point at <paramref name="initialStress"/> and follows every segment.</summary>
    /// <param name="initialStress">Initial stress (Voigt, tension positive).</param>
    /// <param name="segments">The path.</param>
    /// <param name="progress">Called after each converged step (for a progress display of slow materials).</param>
    /// <exception cref="UserInputException">The point cannot follow the path (named segment and step).</exception>
    public DriverResult Run(IReadOnlyList<double> initialStress, IReadOnlyList<PathSegment> segments, Action<DriverRow>? progress = null)
    {
        if (initialStress.Count != _n)
        {
            throw new ArgumentException($"initial stress has {initialStress.Count} components, expected {_n}", nameof(initialStress));
        }

        for (int i = 0; i < _n; i++)
        {
            _stress[i] = initialStress[i];
        }

        _model.Initialize(new MaterialInitialization(_ids, _coordinates, _stress.ToArray(), _state));
        var rows = new List<DriverRow> { new(0, 0, _strain.ToArray(), _stress.ToArray(), _state.ToArray(), 0, 0) };
        double time = 0;
        for (int s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var isStress = segment.Controls.Select(c => c.IsStressControlled).ToArray();
            var start = Enumerable.Range(0, _n).Select(k => isStress[k] ? _stress[k] : _strain[k]).ToArray();
            var end = Enumerable.Range(0, _n).Select(k => segment.Controls[k] switch
            {
                { Kind: ControlKind.StrainTarget or ControlKind.StressTarget, Value: var v } => v,
                { Kind: ControlKind.StrainIncrement, Value: var dv } => start[k] + dv,
                _ => start[k],
            }).ToArray();
            double dt = segment.Duration / segment.Steps, segmentStart = time;
            for (int j = 1; j <= segment.Steps; j++)
            {
                var target = Enumerable.Range(0, _n).Select(k => start[k] + (end[k] - start[k]) * j / segment.Steps).ToArray();
                var (iterations, substeps) = Advance(target, isStress, time, dt, 0, segment, s, j);
                time = segmentStart + segment.Duration * j / segment.Steps;
                rows.Add(new DriverRow(rows.Count, time, _strain.ToArray(), _stress.ToArray(), _state.ToArray(), iterations, substeps));
                progress?.Invoke(rows[^1]);
            }
        }

        return new DriverResult(_model.Hypothesis, _model.Metadata.StateVariables.Select(v => v.Name).ToList(), rows);
    }

    /// <summary>Reaches <paramref name="target"/> from the committed state, halving the step on failure.</summary>
    private (int Iterations, int Substeps) Advance(double[] target, bool[] isStress, double time, double dt, int depth, PathSegment segment, int segmentIndex, int step)
    {
        var (ok, iterations, reason) = Solve(target, isStress, time, dt);
        if (ok)
        {
            Commit(dt);
            return (iterations, 1);
        }

        (_model as IOpaqueStateMaterial)?.RevertStep();
        if (depth >= _settings.MaxSubsteps)
        {
            throw UserInputException.At(segment.Where,
                $"the material point could not follow segment {segmentIndex + 1} at step {step} (t = {time + dt:G6}): {reason}, even after {_settings.MaxSubsteps} step halvings; " +
                "expected a path the material can follow (e.g. a stress target below its strength), or more steps in this segment");
        }

        var middle = Enumerable.Range(0, _n).Select(k => 0.5 * ((isStress[k] ? _stress[k] : _strain[k]) + target[k])).ToArray();
        var first = Advance(middle, isStress, time, 0.5 * dt, depth + 1, segment, segmentIndex, step);
        var second = Advance(target, isStress, time + 0.5 * dt, 0.5 * dt, depth + 1, segment, segmentIndex, step);
        return (iterations + first.Iterations + second.Iterations, first.Substeps + second.Substeps);
    }

    /// <summary>Newton iterations on the stress-controlled components for one (sub)step.</summary>
    private (bool Ok, int Iterations, string Reason) Solve(double[] target, bool[] isStress, double time, double dt)
    {
        var free = Enumerable.Range(0, _n).Where(k => isStress[k]).ToArray();
        double scale = _lastDt > 0 ? dt / _lastDt : 0;
        for (int k = 0; k < _n; k++)
        {
            // Strain-controlled: prescribed. Stress-controlled: predictor from the last converged increment.
            _increment[k] = isStress[k] ? scale * _lastIncrement[k] : target[k] - _strain[k];
        }

        var residual = new double[free.Length];
        var jacobian = new double[free.Length * free.Length];
        for (int it = 1; it <= _settings.MaxIterations; it++)
        {
            var status = Evaluate(_increment, time, dt);
            if (!status.IsOk)
            {
                return (false, it, $"{_model.Metadata.Name} returned {status.Outcome} ({status.Reason})");
            }

            if (free.Length == 0)
            {
                return (true, it, "");
            }

            double norm = 0, size = 1;
            for (int a = 0; a < free.Length; a++)
            {
                residual[a] = _stressNew[free[a]] - target[free[a]];
                norm = Math.Max(norm, Math.Abs(residual[a]));
                size = Math.Max(size, Math.Abs(target[free[a]]));
            }

            for (int k = 0; k < _n; k++)
            {
                size = Math.Max(size, Math.Abs(_stressNew[k]));
            }

            if (norm <= _settings.Tolerance * size)
            {
                return (true, it, "");
            }

            if (it == _settings.MaxIterations)
            {
                return (false, it, $"Newton did not converge in {it} iterations (stress residual {norm:G3} kPa)");
            }

            if (UsesTangent)
            {
                for (int a = 0; a < free.Length; a++)
                {
                    for (int b = 0; b < free.Length; b++)
                    {
                        jacobian[a * free.Length + b] = _tangentNew[free[a] * _n + free[b]];
                    }
                }
            }
            else if (!FiniteDifferenceJacobian(free, jacobian, time, dt, out var why))
            {
                return (false, it, why);
            }

            if (!DenseSolve.Solve(jacobian, residual, free.Length))
            {
                return (false, it, "the Jacobian of the stress-controlled components is singular (the material offers no resistance along the controlled stresses)");
            }

            for (int a = 0; a < free.Length; a++)
            {
                _increment[free[a]] -= residual[a];
            }
        }

        return (false, _settings.MaxIterations, "Newton did not converge");
    }

    /// <summary>Central differences ∂σ_a/∂ε_b ≈ (σ_a(Δε + h e_b) − σ_a(Δε − h e_b)) / 2h on the free components.</summary>
    private bool FiniteDifferenceJacobian(int[] free, double[] jacobian, double time, double dt, out string reason)
    {
        int f = free.Length;
        var plus = new double[_n];
        for (int b = 0; b < f; b++)
        {
            int k = free[b];
            double h = _settings.FiniteDifferenceStep ?? 1e-7 * Math.Max(1e-2, Math.Abs(_strain[k] + _increment[k]));
            double saved = _increment[k];
            _increment[k] = saved + h;
            var s1 = Evaluate(_increment, time, dt);
            _stressNew.CopyTo(plus, 0);
            _increment[k] = saved - h;
            var s2 = Evaluate(_increment, time, dt);
            _increment[k] = saved;
            if (!s1.IsOk || !s2.IsOk)
            {
                reason = $"the material failed while computing a finite-difference Jacobian ({(s1.IsOk ? s2 : s1).Reason})";
                return false;
            }

            for (int a = 0; a < f; a++)
            {
                jacobian[a * f + b] = (plus[free[a]] - _stressNew[free[a]]) / (2 * h);
            }
        }

        reason = "";
        return true;
    }

    private PointStatus Evaluate(double[] increment, double time, double dt)
    {
        var batch = new MaterialBatch(_model.Hypothesis, 1, _m, time, dt, _tangent, _ids, _coordinates,
            _strain, increment, _stress, _state, _stressNew, _stateNew, _tangentNew, _status);
        _status[0] = PointStatus.Ok;
        _model.Integrate(batch);
        var status = _status[0];
        if (status.IsOk && !(_stressNew.All(double.IsFinite) && _stateNew.All(double.IsFinite) && _tangentNew.All(double.IsFinite)))
        {
            return PointStatus.Failed("non-finite stress, state or tangent");
        }

        return status;
    }

    private void Commit(double dt)
    {
        for (int k = 0; k < _n; k++)
        {
            _strain[k] += _increment[k];
            _lastIncrement[k] = _increment[k];
        }

        _stressNew.CopyTo(_stress, 0);
        _stateNew.CopyTo(_state, 0);
        _lastDt = dt;
        (_model as IOpaqueStateMaterial)?.CommitStep();
    }
}
