namespace FemHost.Materials.NeuralSurrogate;

/// <summary>A fully connected layer a' = act(W a + b), W row-major (outputs × inputs).</summary>
/// <param name="Inputs">Input width.</param>
/// <param name="Outputs">Output width.</param>
/// <param name="Weight">Weights, row-major Outputs × Inputs (PyTorch's nn.Linear layout).</param>
/// <param name="Bias">Biases, Outputs entries.</param>
public sealed record DenseLayer(int Inputs, int Outputs, double[] Weight, double[] Bias);

/// <summary>
/// A multilayer perceptron with sigmoid hidden layers and a linear output layer (the paper's NN1 and
/// NN2, §5.2), evaluated in plain managed code so the FEM needs no libtorch. Inputs and outputs are the
/// <em>normalised</em> quantities; <see cref="SurrogateNetwork"/> adds the physical scaling.
/// </summary>
public sealed class Mlp
{
    private readonly DenseLayer[] _layers;
    private readonly int _maxWidth;

    /// <summary>Creates the network; consecutive layer widths must agree.</summary>
    public Mlp(IReadOnlyList<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("an MLP needs at least one layer");
        }

        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Weight.Length != layer.Inputs * layer.Outputs || layer.Bias.Length != layer.Outputs)
            {
                throw new ArgumentException($"layer {l}: weight has {layer.Weight.Length} entries and bias {layer.Bias.Length}, expected {layer.Outputs}×{layer.Inputs} and {layer.Outputs}");
            }

            if (l > 0 && layers[l - 1].Outputs != layer.Inputs)
            {
                throw new ArgumentException($"layer {l} takes {layer.Inputs} inputs but layer {l - 1} gives {layers[l - 1].Outputs}");
            }
        }

        _layers = [.. layers];
        _maxWidth = Math.Max(_layers.Max(x => x.Outputs), _layers[0].Inputs);
    }

    /// <summary>The layers, input to output.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Input width.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <summary>Output width.</summary>
    public int Outputs => _layers[^1].Outputs;

    /// <summary>Widths [in, hidden…, out], e.g. [5, 5, 5, 3].</summary>
    public int[] LayerSizes => [Inputs, .. _layers.Select(l => l.Outputs)];

    /// <summary>Number of trainable weights and biases.</summary>
    public int ParameterCount => _layers.Sum(l => l.Weight.Length + l.Bias.Length);

    /// <summary>
    /// Evaluates <paramref name="count"/> points at once: <paramref name="x"/> is point-major
    /// (count × Inputs), <paramref name="y"/> receives count × Outputs.
    /// </summary>
    public void Forward(ReadOnlySpan<double> x, Span<double> y, int count)
    {
        Span<double> a = stackalloc double[_maxWidth];
        Span<double> z = stackalloc double[_maxWidth];
        int nin = Inputs, nout = Outputs, last = _layers.Length - 1;
        for (int p = 0; p < count; p++)
        {
            x.Slice(p * nin, nin).CopyTo(a);
            for (int l = 0; l < last; l++)
            {
                var layer = _layers[l];
                Affine(layer, a, z);
                for (int i = 0; i < layer.Outputs; i++)
                {
                    a[i] = Sigmoid(z[i]);
                }
            }

            Affine(_layers[last], a, y.Slice(p * nout, nout));
        }
    }

    /// <summary>
    /// Evaluates the points and the exact Jacobian ∂y/∂x of each (row-major Outputs × Inputs per point,
    /// point-major in <paramref name="jacobian"/>), by forward-mode differentiation through the chain
    /// J_l = diag(σ'(z_l)) W_l J_{l−1} with σ' = σ(1 − σ) for the sigmoid.
    /// </summary>
    public void ForwardWithJacobian(ReadOnlySpan<double> x, Span<double> y, Span<double> jacobian, int count)
    {
        int nin = Inputs, nout = Outputs, w = _maxWidth;
        Span<double> a = stackalloc double[w];
        Span<double> z = stackalloc double[w];
        Span<double> j = stackalloc double[w * nin];
        Span<double> jn = stackalloc double[w * nin];
        for (int p = 0; p < count; p++)
        {
            x.Slice(p * nin, nin).CopyTo(a);
            for (int l = 0; l < _layers.Length; l++)
            {
                var layer = _layers[l];
                bool hidden = l < _layers.Length - 1;
                Affine(layer, a, z);
                var wgt = layer.Weight.AsSpan();
                for (int i = 0; i < layer.Outputs; i++)
                {
                    double s = hidden ? Sigmoid(z[i]) : z[i];
                    double ds = hidden ? s * (1.0 - s) : 1.0;
                    a[i] = s;
                    // Row i of J_l = ds · Σ_m W[i, m] · (row m of J_{l−1}), accumulated row-wise (contiguous).
                    // The first layer sees J_0 = I, so its row is W's row itself.
                    var acc = jn.Slice(i * nin, nin);
                    var wrow = wgt.Slice(i * layer.Inputs, layer.Inputs);
                    if (l == 0)
                    {
                        wrow.CopyTo(acc);
                    }
                    else
                    {
                        acc.Clear();
                        for (int m = 0; m < wrow.Length; m++)
                        {
                            double wim = wrow[m];
                            var jrow = j.Slice(m * nin, nin);
                            for (int k = 0; k < acc.Length; k++)
                            {
                                acc[k] += wim * jrow[k];
                            }
                        }
                    }

                    for (int k = 0; k < acc.Length; k++)
                    {
                        acc[k] *= ds;
                    }
                }

                jn[..(layer.Outputs * nin)].CopyTo(j);
            }

            a[..nout].CopyTo(y.Slice(p * nout, nout));
            j[..(nout * nin)].CopyTo(jacobian.Slice(p * nout * nin, nout * nin));
        }
    }

    private static void Affine(DenseLayer layer, ReadOnlySpan<double> a, Span<double> z)
    {
        var wgt = layer.Weight.AsSpan();
        var bias = layer.Bias.AsSpan();
        int nin = layer.Inputs;
        a = a[..nin];
        for (int i = 0; i < bias.Length; i++)
        {
            var row = wgt.Slice(i * nin, nin);
            double acc = bias[i];
            for (int m = 0; m < row.Length; m++)
            {
                acc += row[m] * a[m];
            }

            z[i] = acc;
        }
    }

    /// <summary>The logistic sigmoid 1 / (1 + e^−z); for z → −∞, e^−z overflows to +∞ and the result is exactly 0.</summary>
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
