using FemHost.Materials.NeuralSurrogate;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>
/// A trainable network in double precision (so the managed plug-in reproduces it to round-off) whose
/// layers can be frozen from the input side, snapshotted and restored.
/// </summary>
public abstract class SurrogateModule : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module under a name.</summary>
    protected SurrogateModule(string name) : base(name)
    {
    }

    /// <summary>Number of inputs per time step.</summary>
    public abstract int InputWidth { get; }

    /// <summary>Number of time steps a sample spans (1 for an MLP).</summary>
    public abstract int Window { get; }

    /// <summary>The parameters of each layer, input side first; freezing works on whole layers.</summary>
    public abstract IReadOnlyList<IReadOnlyList<Parameter>> LayerParameters { get; }

    /// <summary>Number of trainable weights and biases (frozen or not).</summary>
    public long ParameterCount => LayerParameters.SelectMany(l => l).Sum(p => p.numel());

    /// <summary>Parameters per layer group, in the order of <see cref="LayerParameters"/>.</summary>
    public long[] ParameterCountPerLayer => [.. LayerParameters.Select(l => l.Sum(p => p.numel()))];

    /// <summary>Marks the first <paramref name="layers"/> layers untrainable (paper §2: "freezing").</summary>
    public void FreezeLeadingLayers(int layers)
    {
        for (int l = 0; l < LayerParameters.Count; l++)
        {
            foreach (var p in LayerParameters[l])
            {
                p.requires_grad = l >= layers;
            }
        }
    }

    /// <summary>The parameters the optimiser may change.</summary>
    public IEnumerable<Parameter> TrainableParameters => LayerParameters.SelectMany(l => l).Where(p => p.requires_grad);

    /// <summary>
    /// Initialises every weight and bias from U(−1/√fan_in, 1/√fan_in) (PyTorch's default bounds) drawn from a
    /// managed, seeded generator, so that initialisation is reproducible even when several trainings run
    /// on parallel threads (libtorch's global generator is shared).
    /// </summary>
    public void InitializeParameters(Random rng)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var layer in LayerParameters)
        {
            foreach (var p in layer)
            {
                double bound = 1.0 / Math.Sqrt(FanIn(p));
                var values = new double[p.numel()];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = bound * (2 * rng.NextDouble() - 1);
                }

                p.copy_(tensor(values, dtype: float64).reshape(p.shape));
            }
        }
    }

    /// <summary>Fan-in used for the initial bound of a parameter.</summary>
    protected abstract long FanIn(Parameter p);

    /// <summary>A copy of every parameter's values (layer by layer, parameter by parameter).</summary>
    public double[][] Snapshot()
    {
        using var scope = NewDisposeScope();
        return [.. LayerParameters.SelectMany(l => l).Select(p => p.detach().cpu().data<double>().ToArray())];
    }

    /// <summary>Restores values written by <see cref="Snapshot"/> from a module of the same architecture.</summary>
    public void Restore(double[][] values)
    {
        var ps = LayerParameters.SelectMany(l => l).ToArray();
        if (ps.Length != values.Length)
        {
            throw new TrainerInputException($"cannot restore {values.Length} parameter tensors into a network with {ps.Length}: the architectures differ");
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < ps.Length; i++)
        {
            if (ps[i].numel() != values[i].Length)
            {
                throw new TrainerInputException($"parameter {i} has {ps[i].numel()} entries but {values[i].Length} are given: the architectures differ");
            }

            ps[i].copy_(tensor(values[i], dtype: float64).reshape(ps[i].shape));
        }
    }
}

/// <summary>
/// The paper's MLP (NN1 [5-5-5-3], NN2 [5-8-8-6]): sigmoid hidden layers, linear output (§5.3.1).
/// </summary>
public sealed class MlpModule : SurrogateModule
{
    private readonly ModuleList<Linear> _layers = new();

    /// <summary>Creates the network with widths [inputs, hidden…, outputs]; with <paramref name="cholesky"/> its raw output is a Cholesky factor.</summary>
    public MlpModule(IReadOnlyList<int> layerSizes, CholeskyOutput? cholesky = null) : base("mlp")
    {
        Cholesky = cholesky;
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
        {
            throw new TrainerInputException("an MLP needs at least an input and an output width");
        }

        for (int l = 0; l + 1 < layerSizes.Count; l++)
        {
            _layers.Add(nn.Linear(layerSizes[l], layerSizes[l + 1], hasBias: true, dtype: float64));
        }

        LayerSizes = [.. layerSizes];
        RegisterComponents();
    }

    /// <summary>Widths [inputs, hidden…, outputs].</summary>
    public int[] LayerSizes { get; }

    /// <summary>The Cholesky output map of an SPD tangent network; null when the outputs are the quantities themselves.</summary>
    public CholeskyOutput? Cholesky { get; }

    /// <inheritdoc/>
    public override int InputWidth => LayerSizes[0];

    /// <inheritdoc/>
    public override int Window => 1;

    /// <inheritdoc/>
    public override IReadOnlyList<IReadOnlyList<Parameter>> LayerParameters =>
        [.. _layers.Select(l => (IReadOnlyList<Parameter>)[l.weight!, l.bias!])];

    /// <inheritdoc/>
    protected override long FanIn(Parameter p) => _layers.First(l => ReferenceEquals(l.weight, p) || ReferenceEquals(l.bias, p)).in_features;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var a = input;
        for (int l = 0; l < _layers.Count; l++)
        {
            a = _layers[l].forward(a);
            if (l < _layers.Count - 1)
            {
                a = sigmoid(a);
            }
        }

        return Cholesky is null ? a : Cholesky.Forward(a);
    }

    /// <summary>
    /// The output and its exact Jacobian ∂y/∂x (batch × outputs × inputs) in one pass, by the chain rule through
    /// the layers: J = W_L · diag(σ'(z_{L−1})) W_{L−1} ⋯ diag(σ'(z_1)) W_1 with σ' = σ(1 − σ) for the sigmoid.
    /// Written with differentiable tensor operations, so a loss on J trains the weights (Jacobian matching)
    /// without a second backward pass.
    /// </summary>
    public (Tensor Output, Tensor Jacobian) ForwardWithJacobian(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Cholesky is not null)
        {
            throw new NotSupportedException("the Jacobian of a Cholesky tangent network is not provided");
        }

        var a = input;
        Tensor? g = null;
        for (int l = 0; l < _layers.Count; l++)
        {
            var w = _layers[l].weight!;
            a = _layers[l].forward(a);
            g = g is null ? w.expand(input.shape[0], w.shape[0], w.shape[1]) : w.matmul(g);
            if (l < _layers.Count - 1)
            {
                a = sigmoid(a);
                g = g * (a * HeldScalars.OneMinus(a)).unsqueeze(-1);
            }
        }

        return (a, g!);
    }

    /// <summary>The same network as managed layers for the plug-in (weights copied exactly).</summary>
    public Mlp ToManaged()
    {
        using var scope = NewDisposeScope();
        return new([.. _layers.Select(l => new DenseLayer((int)l.in_features, (int)l.out_features,
            l.weight!.detach().cpu().data<double>().ToArray(), l.bias!.detach().cpu().data<double>().ToArray()))]);
    }
}

/// <summary>
/// The paper's sequence model (Table 1): GRU(40) over a window of 20 steps, Dense(20) with sigmoid, linear
/// output. With 2 inputs and 2 outputs it has 5280 + 820 + 42 parameters (paper §3.2), with 5 inputs and 4
/// outputs 5640 + 820 + 84 = 6544 (paper §4).
/// </summary>
public sealed class GruModule : SurrogateModule
{
    private readonly GRU _gru;
    private readonly Linear _dense;
    private readonly Linear _output;

    /// <summary>Creates the network.</summary>
    public GruModule(int inputs, int outputs, int hidden = 40, int dense = 20, int window = 20) : base("gru")
    {
        _gru = nn.GRU(inputs, hidden, numLayers: 1, bias: true, batchFirst: true, dtype: float64);
        _dense = nn.Linear(hidden, dense, dtype: float64);
        _output = nn.Linear(dense, outputs, dtype: float64);
        (InputWidth, Window, Hidden) = (inputs, window, hidden);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int InputWidth { get; }

    /// <inheritdoc/>
    public override int Window { get; }

    /// <summary>GRU units.</summary>
    public int Hidden { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<IReadOnlyList<Parameter>> LayerParameters =>
        [[.. _gru.parameters()], [_dense.weight!, _dense.bias!], [_output.weight!, _output.bias!]];

    /// <inheritdoc/>
    protected override long FanIn(Parameter p) =>
        ReferenceEquals(p, _dense.weight) || ReferenceEquals(p, _dense.bias) ? _dense.in_features
        : ReferenceEquals(p, _output.weight) || ReferenceEquals(p, _output.bias) ? _output.in_features
        : Hidden; // PyTorch initialises every GRU weight from U(−1/√hidden, 1/√hidden)

    /// <summary>Input: (batch, window·inputs) flattened windows; output: (batch, outputs) at the window's last step.</summary>
    public override Tensor forward(Tensor input)
    {
        var seq = input.reshape(input.shape[0], Window, InputWidth);
        var (all, _) = _gru.forward(seq);
        var last = all.select(1, Window - 1);
        return _output.forward(sigmoid(_dense.forward(last)));
    }
}

/// <summary>
/// <see cref="CholeskyTangent"/> in differentiable tensor operations for training: the raw MLP output l (batch ×
/// n(n+1)/2) → L with a softplus diagonal → D = c² L Lᵀ → the entries in output order, normalised with the tangent's
/// output scaling, so that the loss and every metric see the same normalised D as for a direct tangent network.
/// </summary>
public sealed class CholeskyOutput
{
    private readonly Tensor _diagonal;  // (m): true where the raw entry is a diagonal L_pp
    private readonly Tensor _place;     // (m, n·n): raw entry → its position in L
    private readonly Tensor _select;    // (n·n, m): D's (p, q) → output
    private readonly Tensor _mean;
    private readonly Tensor _scale;
    private readonly Scalar _scaleSquared; // c², held for the native call (see HeldScalars)

    /// <summary>Creates the map for <paramref name="map"/> with the output scaling of the data.</summary>
    public CholeskyOutput(CholeskyTangent map, AffineScaling outputScaling)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(outputScaling);
        Map = map;
        int n = map.Size, m = n * (n + 1) / 2;
        var diagonal = new bool[m];
        var place = new double[m * n * n];
        var select = new double[n * n * m];
        for (int p = 0; p < n; p++)
        {
            for (int k = 0; k <= p; k++)
            {
                int r = CholeskyTangent.Index(p, k);
                diagonal[r] = k == p;
                place[r * n * n + p * n + k] = 1;
            }
        }

        for (int o = 0; o < m; o++)
        {
            var (p, q) = map.Entry(o);
            select[(p * n + q) * m + o] = 1;
        }

        using var scope = NewDisposeScope();
        _diagonal = tensor(diagonal).DetachFromDisposeScope();
        _place = tensor(place, dtype: float64).reshape(m, n * n).DetachFromDisposeScope();
        _select = tensor(select, dtype: float64).reshape(n * n, m).DetachFromDisposeScope();
        _mean = tensor(outputScaling.Mean, dtype: float64).DetachFromDisposeScope();
        _scale = tensor(outputScaling.Scale, dtype: float64).DetachFromDisposeScope();
        _scaleSquared = (map.Scale * map.Scale).ToScalar();
    }

    /// <summary>The managed map the plug-in applies.</summary>
    public CholeskyTangent Map { get; }

    /// <summary>Normalised tangent entries of raw outputs.</summary>
    public Tensor Forward(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        int n = Map.Size;
        var l = torch.where(_diagonal, HeldScalars.Softplus(raw), raw).matmul(_place).reshape(-1, n, n);
        var d = l.matmul(l.transpose(1, 2)).reshape(-1, n * n).matmul(_select).mul(_scaleSquared);
        return (d - _mean) / _scale;
    }
}
