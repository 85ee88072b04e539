using System.Buffers;
using FemHost.MaterialSdk;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// Batched point update of the neural surrogate. For every point of a call:
/// ε_{n+1} = ε_n + Δε, φ_{n+1} = φ_n + |Δε| (paper eq. 5, |·| optionally regularised, see <see cref="SmoothAbs"/>), σ_{n+1} = NN1(ε_{n+1}, φ_{n+1}) (eq. 8) for the
/// components NN1 predicts; components it does not predict (σ33 with the default outputs) are carried
/// unchanged from σ_n with a zero tangent row. All points go through the network in one batched call.
/// </summary>
/// <remarks>
/// Tangents:
/// <list type="bullet">
/// <item><see cref="TangentKind.Consistent"/> ("jacobian"): the exact derivative of the update,
/// D_ij = ∂NN1_i/∂ε_j + ∂NN1_i/∂φ_j · ∂φ_j/∂Δε_j with ∂φ_j/∂Δε_j = d|Δε_j|/dΔε_j (sign(Δε_j) when exact).
/// At exactly Δε_j = 0 (the first Newton iteration of a step) |·| has no derivative and the predictor takes
/// the one-sided derivative for continued loading: along sign(ε_n,j), or at a virgin component (ε_n,j = 0)
/// along sign(σ_n,j), i.e. loading in compression for a soil under its initial stress. Without this, the
/// virgin predictor would be ∂NN1/∂ε at fixed φ, which a network trained on monotonic histories (φ = |ε|
/// along every path) does not constrain and which can be indefinite.</item>
/// <item><see cref="TangentKind.Approximate"/> ("nn2", the paper): D from NN2's upper triangle, symmetric.</item>
/// <item><see cref="TangentKind.Elastic"/>: ∂NN1/∂ε at fixed φ at the virgin state (ε = φ = 0),
/// symmetrised; constant, robust, linear convergence.</item>
/// </list>
/// </remarks>
internal sealed class NeuralSurrogateMaterial : IMaterialModel
{
    private const int N = Feature.VoigtSize;
    private readonly ISurrogateNetwork _stress;
    private readonly ISurrogateNetwork? _tangent;
    private readonly double[] _elastic = new double[N * N];
    private readonly SmoothAbs _abs;
    private readonly bool _anchor;

    public NeuralSurrogateMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, ISurrogateNetwork stress, ISurrogateNetwork? tangent,
        double phiSmoothing, bool anchorInitialStress)
    {
        _abs = new SmoothAbs(phiSmoothing);
        _anchor = anchorInitialStress;
        Metadata = metadata;
        Hypothesis = hypothesis == ModellingHypothesis.PlaneStrain ? hypothesis
            : throw new NotSupportedException($"material '{metadata.Name}' supports only plane strain, not {hypothesis}");
        _stress = stress;
        _tangent = tangent;
        InitialStiffness();
    }

    public MaterialMetadata Metadata { get; }

    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Host state per point: φ (4 values), then the stress offset (4 values).</summary>
    internal const int StateSize = 2 * N;

    /// <summary>
    /// φ starts at zero. With anchoring, the offset σ0 − NN1(0, 0) of each predicted component is stored so
    /// that the initial state reproduces the case's initial stress exactly (the host's equilibrium at λ = 0);
    /// without it the offset is zero and σ = NN1(ε, φ) as in paper eq. 8.
    /// </summary>
    public void Initialize(in MaterialInitialization init)
    {
        var state = init.State.Span;
        state.Clear();
        if (!_anchor)
        {
            return;
        }

        int nout = _stress.Outputs.Length;
        var y = new double[nout];
        _stress.Evaluate(new double[_stress.Inputs.Length], y, 1);
        var s0 = init.InitialStress.Span;
        for (int p = 0; p < init.Count; p++)
        {
            for (int i = 0; i < nout; i++)
            {
                int r = _stress.Outputs[i].Row;
                state[p * StateSize + N + r] = s0[p * N + r] - y[i];
            }
        }
    }

    public void Integrate(in MaterialBatch batch)
    {
        int count = batch.Count;
        var eps = ArrayPool<double>.Shared.Rent(count * N);
        var phi = ArrayPool<double>.Shared.Rent(count * N);
        try
        {
            var strain = batch.Strain.Span;
            var inc = batch.StrainIncrement.Span;
            var stateOld = batch.StateOld.Span;
            var state = batch.State.Span;
            stateOld.CopyTo(state);
            for (int p = 0; p < count; p++)
            {
                for (int j = 0; j < N; j++)
                {
                    int k = p * N + j;
                    eps[k] = strain[k] + inc[k];
                    phi[k] = stateOld[p * StateSize + j] + _abs.Value(inc[k]);
                    state[p * StateSize + j] = phi[k];
                }
            }

            batch.StressOld.Span.CopyTo(batch.Stress.Span);
            batch.Tangent.Span.Clear();
            switch (batch.RequestedTangent)
            {
                case TangentKind.Consistent:
                    StressAndJacobian(batch, eps, phi);
                    break;
                case TangentKind.Approximate when _tangent is null:
                    Fail(batch, "the Approximate (nn2) tangent needs a tangent network: set parameter 'nn2_model'");
                    return;
                case TangentKind.Approximate:
                    Stress(batch, eps, phi);
                    TangentNetwork(batch, _tangent, eps, phi);
                    break;
                default:
                    Stress(batch, eps, phi);
                    for (int p = 0; p < count; p++)
                    {
                        _elastic.CopyTo(batch.Tangent.Span.Slice(p * N * N, N * N));
                    }

                    break;
            }

            CheckFinite(batch);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(eps);
            ArrayPool<double>.Shared.Return(phi);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>Gathers the network inputs of every point (eps_j from ε_{n+1}, phi_j from φ_{n+1}).</summary>
    private static double[] Gather(ISurrogateNetwork net, double[] eps, double[] phi, int count)
    {
        int nin = net.Inputs.Length;
        var x = ArrayPool<double>.Shared.Rent(count * nin);
        for (int p = 0; p < count; p++)
        {
            for (int k = 0; k < nin; k++)
            {
                var f = net.Inputs[k];
                x[p * nin + k] = f.Kind == QuantityKind.Strain ? eps[p * N + f.Row] : phi[p * N + f.Row];
            }
        }

        return x;
    }

    private void Stress(in MaterialBatch batch, double[] eps, double[] phi)
    {
        int count = batch.Count, nout = _stress.Outputs.Length;
        var x = Gather(_stress, eps, phi, count);
        var y = ArrayPool<double>.Shared.Rent(count * nout);
        try
        {
            _stress.Evaluate(x, y, count);
            Scatter(batch, y);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(y);
        }
    }

    private void StressAndJacobian(in MaterialBatch batch, double[] eps, double[] phi)
    {
        int count = batch.Count, nin = _stress.Inputs.Length, nout = _stress.Outputs.Length;
        var x = Gather(_stress, eps, phi, count);
        var y = ArrayPool<double>.Shared.Rent(count * nout);
        var j = ArrayPool<double>.Shared.Rent(count * nout * nin);
        try
        {
            _stress.EvaluateWithJacobian(x, y, j, count);
            Scatter(batch, y);
            var tangent = batch.Tangent.Span;
            var strain = batch.Strain.Span;
            var inc = batch.StrainIncrement.Span;
            var stressOld = batch.StressOld.Span;
            for (int p = 0; p < count; p++)
            {
                var d = tangent.Slice(p * N * N, N * N);
                for (int k = 0; k < nin; k++)
                {
                    var f = _stress.Inputs[k];
                    int c = f.Row;
                    // ∂ε_{n+1}/∂Δε = 1; ∂φ_{n+1}/∂Δε = sign(Δε), along continued loading sign(ε_n) when Δε = 0.
                    double dx = f.Kind == QuantityKind.Strain ? 1.0
                        : inc[p * N + c] != 0 ? _abs.Derivative(inc[p * N + c])
                        : strain[p * N + c] != 0 ? Math.Sign(strain[p * N + c]) : Math.Sign(stressOld[p * N + c]);
                    if (dx == 0)
                    {
                        continue;
                    }

                    for (int i = 0; i < nout; i++)
                    {
                        d[_stress.Outputs[i].Row * N + c] += j[(p * nout + i) * nin + k] * dx;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(y);
            ArrayPool<double>.Shared.Return(j);
        }
    }

    private static void TangentNetwork(in MaterialBatch batch, ISurrogateNetwork net, double[] eps, double[] phi)
    {
        int count = batch.Count, nout = net.Outputs.Length;
        var x = Gather(net, eps, phi, count);
        var y = ArrayPool<double>.Shared.Rent(count * nout);
        try
        {
            net.Evaluate(x, y, count);
            var tangent = batch.Tangent.Span;
            for (int p = 0; p < count; p++)
            {
                for (int i = 0; i < nout; i++)
                {
                    var f = net.Outputs[i];
                    tangent[p * N * N + f.Row * N + f.Column] = y[p * nout + i];
                    tangent[p * N * N + f.Column * N + f.Row] = y[p * nout + i];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(y);
        }
    }

    /// <summary>σ_i = NN1_i + offset_i (the offset is zero without anchoring).</summary>
    private void Scatter(in MaterialBatch batch, double[] y)
    {
        var stress = batch.Stress.Span;
        var state = batch.StateOld.Span;
        int nout = _stress.Outputs.Length;
        for (int p = 0; p < batch.Count; p++)
        {
            for (int i = 0; i < nout; i++)
            {
                int r = _stress.Outputs[i].Row;
                stress[p * N + r] = y[p * nout + i] + state[p * StateSize + N + r];
            }
        }
    }

    private void InitialStiffness()
    {
        int nin = _stress.Inputs.Length, nout = _stress.Outputs.Length;
        var y = new double[nout];
        var j = new double[nout * nin];
        _stress.EvaluateWithJacobian(new double[nin], y, j, 1);
        for (int i = 0; i < nout; i++)
        {
            for (int k = 0; k < nin; k++)
            {
                if (_stress.Inputs[k].Kind == QuantityKind.Strain)
                {
                    _elastic[_stress.Outputs[i].Row * N + _stress.Inputs[k].Row] += j[i * nin + k];
                }
            }
        }

        for (int r = 0; r < N; r++)
        {
            for (int c = r + 1; c < N; c++)
            {
                double s = 0.5 * (_elastic[r * N + c] + _elastic[c * N + r]);
                _elastic[r * N + c] = _elastic[c * N + r] = s;
            }
        }
    }

    private static void CheckFinite(in MaterialBatch batch)
    {
        var stress = batch.Stress.Span;
        var tangent = batch.Tangent.Span;
        var status = batch.Status.Span;
        for (int p = 0; p < batch.Count; p++)
        {
            bool ok = true;
            foreach (var v in stress.Slice(p * N, N))
            {
                ok &= double.IsFinite(v);
            }

            foreach (var v in tangent.Slice(p * N * N, N * N))
            {
                ok &= double.IsFinite(v);
            }

            status[p] = ok ? PointStatus.Ok : PointStatus.Failed("non-finite network output (inputs far outside the training data?)");
        }
    }

    private static void Fail(in MaterialBatch batch, string reason) => batch.Status.Span.Fill(PointStatus.Failed(reason));
}

/// <summary>
/// The absolute value of a strain increment in φ_{n+1} = φ_n + |Δε| (paper eq. 5), optionally regularised as
/// s(x) = x·tanh(x/δ). |x| has a kink at x = 0, so at a point where a strain component reverses the stress
/// update is not differentiable and Newton–Raphson can cycle between the two one-sided tangents. s is smooth,
/// equals |x| to within 0.25 δ, and to machine precision once |x| ≳ 20 δ (typical steps are 1e-3; δ ~ 1e-6 is
/// a sensible choice), so the learned response is unchanged while the update becomes C¹. δ = 0 (the default)
/// is the paper's exact |x|.
/// </summary>
internal readonly struct SmoothAbs(double delta)
{
    /// <summary>s(x).</summary>
    public double Value(double x) => delta > 0 ? x * Math.Tanh(x / delta) : Math.Abs(x);

    /// <summary>s'(x) = tanh(x/δ) + (x/δ)·sech²(x/δ), or sign(x) when exact.</summary>
    public double Derivative(double x)
    {
        if (delta <= 0)
        {
            return Math.Sign(x);
        }

        double t = Math.Tanh(x / delta);
        return t + x / delta * (1 - t * t);
    }
}
