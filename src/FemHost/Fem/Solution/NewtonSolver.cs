using FemHost.Cases;
using FemHost.Fem.Assembly;
using FemHost.LinearAlgebra;

namespace FemHost.Fem.Solution;

/// <summary>One Newton iteration: relative residual ‖R_free‖ / F and relative correction ‖δu‖ / ‖Δu‖.</summary>
public readonly record struct IterationRecord(int Iteration, double Residual, double Correction);

/// <summary>Outcome of one load increment.</summary>
/// <param name="Converged">Whether equilibrium was reached.</param>
/// <param name="Iterations">Newton iterations (linear solves after the predictor).</param>
/// <param name="History">Residual and correction per iteration: a consistent tangent shows the quadratic rate.</param>
/// <param name="StepRatio">On failure, the suggested new/old increment size.</param>
/// <param name="Reason">On failure, why (non-convergence, a material point's reason, a singular matrix).</param>
public sealed record IncrementResult(bool Converged, int Iterations, IReadOnlyList<IterationRecord> History, double StepRatio, string? Reason);

/// <summary>
/// Full Newton–Raphson for one load increment λ_n → λ_{n+1} (Wriggers, Nonlinear FEM, §5.1; de Souza
/// Neto, Perić &amp; Owen, Computational Methods for Plasticity, Box 4.2). The predictor solves with the
/// tangent at the committed state and the prescribed displacement increment on the right-hand side
/// (−K_fp Δū_p), or (<c>solver.predictor: extrapolate</c>) extrapolates the last converged increment linearly,
/// Δu = (Δλ/Δλ_prev) Δu_prev, with the prescribed values exact; corrections then solve K δu = R = F_ext − F_int with homogeneous constraints until
/// ‖R_free‖ ≤ tol_R · max(‖F_ext‖, ‖F_int‖) and ‖δu‖ ≤ tol_u · ‖Δu‖. As in Abaqus, a residual 100 times
/// below tol_R is accepted without the correction test (a linear step is done after one solve).
/// The global matrix uses symmetric storage while every tangent is symmetric and switches to full
/// storage for good at the first unsymmetric one.
/// With <c>solver.method: bfgs</c> the tangent is formed and factorised at the first iteration of an increment
/// only (the kernel K₀) and later corrections apply the inverse BFGS update of K₀ built from the iterations'
/// secant pairs (<see cref="BfgsUpdate"/>; Matthies &amp; Strang 1979, Abaqus/Standard's quasi-Newton technique);
/// the kernel is re-formed when the update holds <see cref="SolverSettings.BfgsMemory"/> pairs.
/// </summary>
public sealed class NewtonSolver
{
    private readonly Model.Model _model;
    private readonly Assembler _assembler;
    private readonly ISparseSolver _linear;
    private readonly SolverSettings _settings;
    private readonly double[] _fInt, _fExt, _rhs, _du, _predictor, _kd, _trialBackup, _lastIncrement;
    private readonly double[] _previousRhs, _secantS, _secantY;
    private readonly BfgsUpdate? _bfgs;
    private double _lastStep, _currentStep;
    private CsrMatrix _k;
    private bool _analyzed;

    /// <summary>Creates the solver over a model with an assembler and a linear solver.</summary>
    public NewtonSolver(Model.Model model, Assembler assembler, ISparseSolver linear, SolverSettings settings)
    {
        (_model, _assembler, _linear, _settings) = (model, assembler, linear, settings);
        int n = model.DofCount;
        Displacement = new double[n];
        Trial = new double[n];
        _fInt = new double[n];
        _fExt = new double[n];
        _rhs = new double[n];
        _du = new double[n];
        _predictor = new double[n];
        _kd = new double[n];
        _trialBackup = new double[n];
        _lastIncrement = new double[n];
        _previousRhs = new double[n];
        _secantS = new double[n];
        _secantY = new double[n];
        _bfgs = settings.Method == NonlinearMethod.Bfgs ? new BfgsUpdate(n, settings.BfgsMemory) : null;
        _k = SparsityPattern.Build(model.Mesh, upperTriangle: true);
    }

    /// <summary>The model.</summary>
    public Model.Model Model => _model;

    /// <summary>Committed nodal displacements u_n.</summary>
    public double[] Displacement { get; }

    /// <summary>Trial displacements u_{n+1} of the current increment.</summary>
    public double[] Trial { get; }

    /// <summary>Internal force of the last assembly.</summary>
    public ReadOnlySpan<double> InternalForce => _fInt;

    /// <summary>External force of the current increment.</summary>
    public ReadOnlySpan<double> ExternalForce => _fExt;

    /// <summary>The global matrix (its storage tells whether the run is symmetric so far).</summary>
    public CsrMatrix Matrix => _k;

    /// <summary>Whether the global matrix is in full storage (an unsymmetric tangent has been seen).</summary>
    public bool FullStorage => !_k.IsUpperTriangle;

    /// <summary>
    /// Switches the global matrix to full storage for good, as the first unsymmetric tangent does; a resumed run
    /// calls it when the run it continues had switched, so both factorise the same matrices.
    /// </summary>
    public void UseFullStorage() => SwitchStorage(symmetric: false);

    /// <summary>The last converged increment Δu_prev (what the extrapolating predictor scales).</summary>
    public ReadOnlySpan<double> LastIncrement => _lastIncrement;

    /// <summary>Load-factor size Δλ_prev of the last converged increment (0 before the first).</summary>
    public double LastStep => _lastStep;

    /// <summary>Restores the last converged increment and its size (a resumed run).</summary>
    public void RestoreLastIncrement(ReadOnlySpan<double> increment, double step)
    {
        if (increment.Length != _lastIncrement.Length)
        {
            throw new ArgumentException($"the last increment has {increment.Length} values, expected {_lastIncrement.Length}", nameof(increment));
        }

        increment.CopyTo(_lastIncrement);
        _lastStep = step;
    }

    /// <summary>Linear solver name.</summary>
    public string LinearSolverName => _linear.Name;

    /// <summary>Solves the increment λ0 → λ1 from the committed state; leaves the converged state as trial values.</summary>
    public IncrementResult Solve(double lambda0, double lambda1)
    {
        var history = new List<IterationRecord>();
        double dt = lambda1 - lambda0;
        _currentStep = dt;
        _model.ExternalForce(lambda1, _fExt);
        Array.Copy(Displacement, Trial, Trial.Length);
        Array.Clear(_predictor);
        foreach (var p in _model.Prescribed)
        {
            _predictor[p.Dof] = p.At(lambda1) - Displacement[p.Dof];
        }

        try
        {
            Assembly.MaterialResponse response;
            if (_settings.Predictor == PredictorKind.Extrapolate && _lastStep > 0)
            {
                // Linear extrapolation of the last converged increment; prescribed values exact.
                double ratio = dt / _lastStep;
                for (int i = 0; i < _du.Length; i++)
                {
                    Trial[i] += _model.IsPrescribed[i] ? _predictor[i] : ratio * _lastIncrement[i];
                    _du[i] = Trial[i] - Displacement[i];
                }
            }
            else
            {
                // Predictor: tangent at the committed state (zero strain increment).
                response = _assembler.Integrate(Displacement, Trial, lambda0, dt);
                if (!response.AllOk)
                {
                    return Failed(history, response.StepRatio, response.Failure);
                }

                AssembleTangent(response.TangentsSymmetric);
                _k.Multiply(_predictor, _kd);
                for (int i = 0; i < _rhs.Length; i++)
                {
                    _rhs[i] = _model.IsPrescribed[i] ? 0 : _fExt[i] - _fInt[i] - _kd[i];
                }

                SolveCorrection();
                for (int i = 0; i < _du.Length; i++)
                {
                    Trial[i] += _model.IsPrescribed[i] ? _predictor[i] : _du[i];
                    _du[i] = Trial[i] - Displacement[i];
                }
            }

            double previous = double.PositiveInfinity;
            for (int it = 1; it <= _settings.MaxIterations; it++)
            {
                response = _assembler.Integrate(Displacement, Trial, lambda0, dt);
                if (!response.AllOk)
                {
                    return Failed(history, response.StepRatio, response.Failure);
                }

                _assembler.Assemble(_fInt, null);
                double residual = Residual(out double scale);
                if (_settings.LineSearch && residual > previous && it > 1)
                {
                    (residual, response) = LineSearch(lambda0, dt, residual, out scale);
                    if (!response.AllOk)
                    {
                        return Failed(history, response.StepRatio, response.Failure);
                    }
                }

                // The correction is measured against the larger of the increment and the total displacement:
                // after deep cut-backs Δu is tiny and a noisy material (DEM RVE, neural network) could never
                // bring ‖δu‖/‖Δu‖ down, although δu is negligible for the solution.
                double increment = Math.Max(Norm(Trial, Displacement), Norm(Trial));
                double correction = increment > 0 ? Norm(_du) / increment : 0;
                history.Add(new IterationRecord(it, scale > 0 ? residual / scale : 0, correction));
                bool residualOk = residual <= _settings.ResidualTolerance * scale;
                bool tiny = residual <= 0.01 * _settings.ResidualTolerance * scale;
                if (residualOk && (correction <= _settings.DisplacementTolerance || tiny))
                {
                    return new IncrementResult(true, it, history, 1, null);
                }

                if (!double.IsFinite(residual))
                {
                    return Failed(history, 0.5, "the residual is not finite");
                }

                previous = residual;
                for (int i = 0; i < _rhs.Length; i++)
                {
                    _rhs[i] = _model.IsPrescribed[i] ? 0 : _fExt[i] - _fInt[i];
                }

                if (_bfgs is { IsFull: false } && it > 1)
                {
                    // Quasi-Newton: the kernel factorised at the first iteration, updated with the last step's secant pair.
                    for (int i = 0; i < _rhs.Length; i++)
                    {
                        _secantS[i] = Trial[i] - _trialBackup[i];
                        _secantY[i] = _previousRhs[i] - _rhs[i];
                    }

                    _bfgs.Add(_secantS, _secantY);
                    _bfgs.Apply(_rhs, _du, KernelSolve);
                }
                else
                {
                    AssembleTangent(response.TangentsSymmetric);
                    SolveCorrection();
                    _bfgs?.Clear();
                }

                Array.Copy(_rhs, _previousRhs, _rhs.Length);
                Array.Copy(Trial, _trialBackup, Trial.Length);
                for (int i = 0; i < _du.Length; i++)
                {
                    Trial[i] += _du[i];
                }
            }

            return Failed(history, 0.5, $"no convergence in {_settings.MaxIterations} Newton iterations (last relative residual {history[^1].Residual:E2})");
        }
        catch (SingularMatrixException e)
        {
            return Failed(history, 0.5, $"singular tangent matrix: {e.Message}");
        }
    }

    /// <summary>Accepts the increment: u_n = u_{n+1}; every region commits its trial state.</summary>
    public void Commit()
    {
        for (int i = 0; i < Trial.Length; i++)
        {
            _lastIncrement[i] = Trial[i] - Displacement[i];
        }

        _lastStep = _currentStep;
        Array.Copy(Trial, Displacement, Trial.Length);
        foreach (var r in _model.Regions)
        {
            r.Commit();
        }
    }

    /// <summary>Rejects the increment: the trial state is dropped.</summary>
    public void Revert()
    {
        Array.Copy(Displacement, Trial, Trial.Length);
        foreach (var r in _model.Regions)
        {
            r.Revert();
        }
    }

    /// <summary>Reaction forces R = F_int − F_ext of the last assembly (non-zero on prescribed equations).</summary>
    public void Reactions(Span<double> r)
    {
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = _fInt[i] - _fExt[i];
        }
    }

    private void AssembleTangent(bool symmetric)
    {
        SwitchStorage(symmetric);
        _assembler.Assemble(_fInt, _k);
    }

    private void SwitchStorage(bool symmetric)
    {
        if (!symmetric && _k.IsUpperTriangle)
        {
            _k = SparsityPattern.Build(_model.Mesh, upperTriangle: false);
            _analyzed = false;
        }
    }

    /// <summary>Solves K z = q with the matrix factorised last (the BFGS kernel K₀ too); constrained equations stay zero.</summary>
    private void KernelSolve(double[] q, double[] z)
    {
        _linear.Solve(q, z);
        for (int i = 0; i < z.Length; i++)
        {
            if (_model.IsPrescribed[i])
            {
                z[i] = 0;
            }
        }
    }

    private void SolveCorrection()
    {
        Constraints.Eliminate(_k, _model.IsPrescribed);
        if (!_analyzed)
        {
            _linear.Analyze(_k);
            _analyzed = true;
        }

        _linear.Factorize(_k);
        KernelSolve(_rhs, _du);
    }

    /// <summary>Backtracking: halve the last correction while the residual norm grows (at most four times).</summary>
    private (double Residual, Assembly.MaterialResponse Response) LineSearch(double lambda0, double dt, double residual, out double scale)
    {
        scale = 0;
        var response = default(Assembly.MaterialResponse);
        double alpha = 1;
        for (int k = 0; k < 4; k++)
        {
            alpha *= 0.5;
            for (int i = 0; i < Trial.Length; i++)
            {
                _du[i] *= 0.5;
                Trial[i] = _trialBackup[i] + _du[i];
            }

            response = _assembler.Integrate(Displacement, Trial, lambda0, dt);
            if (!response.AllOk)
            {
                return (residual, response);
            }

            _assembler.Assemble(_fInt, null);
            double r = Residual(out scale);
            if (r < residual)
            {
                return (r, response);
            }

            residual = r;
        }

        return (residual, response);
    }

    private double Residual(out double scale)
    {
        double r = 0, fe = 0, fi = 0;
        for (int i = 0; i < _fInt.Length; i++)
        {
            fe += _fExt[i] * _fExt[i];
            fi += _fInt[i] * _fInt[i];
            if (!_model.IsPrescribed[i])
            {
                double d = _fExt[i] - _fInt[i];
                r += d * d;
            }
        }

        scale = Math.Sqrt(Math.Max(fe, fi));
        return Math.Sqrt(r);
    }

    private static double Norm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (var x in a)
        {
            s += x * x;
        }

        return Math.Sqrt(s);
    }

    private static double Norm(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(s);
    }

    private static IncrementResult Failed(List<IterationRecord> history, double ratio, string? reason) =>
        new(false, history.Count, history, ratio, reason ?? "unknown failure");
}
