using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1, with the bias corrections folded into the step as in their §2): per
/// parameter θ with gradient g at step t,
/// m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,  θ ← θ − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// <para>
/// The operations, their order and their scalar values are those of TorchSharp 0.107's <c>optim.Adam.step</c>
/// (no weight decay, no AMSGrad), so a training gives bitwise the same weights (ConcurrentCollectionTests.AdamOptimizerIsTorchSharpsAdamBitwise). It exists because
/// that step passes implicitly made scalars that a collection on another thread can free while libtorch reads them
/// (<see cref="HeldScalars"/>): here every scalar is a field or lives in a <c>using</c> for the whole call.
/// </para>
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;

    /// <summary>Adam over <paramref name="parameters"/> with rate α, moment decays β₁, β₂ and ε (TorchSharp's defaults).</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0) || !(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1) || !(epsilon >= 0))
        {
            throw new ArgumentException($"Adam needs α ≥ 0, 0 ≤ β₁, β₂ < 1 and ε ≥ 0; got α = {learningRate}, β₁ = {beta1}, β₂ = {beta2}, ε = {epsilon}");
        }

        _parameters = [.. parameters];
        _m = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _v = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
        (_beta1, _beta2) = (beta1, beta2);
        _beta1Scalar = beta1.ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta1 = (1.0 - beta1).ToScalar();
        _oneMinusBeta2 = (1.0 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
    }

    /// <summary>The rate α of the next steps (a schedule may change it between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One Adam step with the gradients of the last backward pass; parameters without a gradient are skipped.</summary>
    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var g = _parameters[i].grad;
            if (g is null)
            {
                continue;
            }

            long t = ++_steps[i];
            double biasCorrection1 = 1.0 - Math.Pow(_beta1, t);
            double biasCorrection2 = 1.0 - Math.Pow(_beta2, t);
            _m[i].mul_(_beta1Scalar).add_(g, _oneMinusBeta1);
            _v[i].mul_(_beta2Scalar).addcmul_(g, g, _oneMinusBeta2);
            using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var minusStepSize = (0.0 - LearningRate / biasCorrection1).ToScalar();
            var denominator = _v[i].sqrt().div(sqrtBiasCorrection2).add_(_epsilon, HeldScalars.One);
            _parameters[i].addcdiv_(_m[i], denominator, minusStepSize);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in _m.Concat(_v))
        {
            t.Dispose();
        }

        foreach (var s in new[] { _beta1Scalar, _beta2Scalar, _oneMinusBeta1, _oneMinusBeta2, _epsilon })
        {
            s.Dispose();
        }
    }
}
