using System.Buffers;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// A trained MLP in physical units: named input and output columns and the normalisation it was
/// trained with, y = s_y ⊙ MLP((x − m_x) ⊘ s_x) + m_y. Evaluation is batched over points (point-major
/// arrays) and allocation-free apart from pooled scratch, and is safe to call concurrently.
/// </summary>
public sealed class SurrogateNetwork : ISurrogateNetwork
{
    /// <summary>Creates the network; widths of features, scalings and MLP must agree.</summary>
    public SurrogateNetwork(Mlp mlp, Feature[] inputs, Feature[] outputs, AffineScaling inputScaling, AffineScaling outputScaling, CholeskyTangent? cholesky = null)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        if (inputs.Length != mlp.Inputs || inputScaling.Width != mlp.Inputs)
        {
            throw new ArgumentException($"the network takes {mlp.Inputs} inputs but {inputs.Length} input columns and {inputScaling.Width} input scalings are given");
        }

        if (outputs.Length != mlp.Outputs || outputScaling.Width != mlp.Outputs)
        {
            throw new ArgumentException($"the network gives {mlp.Outputs} outputs but {outputs.Length} output columns and {outputScaling.Width} output scalings are given");
        }

        (Mlp, Inputs, Outputs, InputScaling, OutputScaling, Cholesky) = (mlp, inputs, outputs, inputScaling, outputScaling, cholesky);
    }

    /// <summary>
    /// For a tangent network that is positive definite by construction, the map from the denormalised MLP output
    /// (the factor L) to the tangent entries; null for a network whose outputs are the quantities themselves.
    /// </summary>
    public CholeskyTangent? Cholesky { get; }

    /// <summary>The network in normalised variables.</summary>
    public Mlp Mlp { get; }

    /// <inheritdoc/>
    public Feature[] Inputs { get; }

    /// <inheritdoc/>
    public Feature[] Outputs { get; }

    /// <summary>Input normalisation.</summary>
    public AffineScaling InputScaling { get; }

    /// <summary>Output normalisation.</summary>
    public AffineScaling OutputScaling { get; }

    /// <summary>Evaluates <paramref name="count"/> points: x is count × inputs, y receives count × outputs (physical units).</summary>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> y, int count)
    {
        int nin = Mlp.Inputs, nout = Mlp.Outputs;
        var z = ArrayPool<double>.Shared.Rent(count * nin);
        try
        {
            var zs = z.AsSpan(0, count * nin);
            x[..(count * nin)].CopyTo(zs);
            InputScaling.Normalize(zs);
            Mlp.Forward(zs, y, count);
            OutputScaling.Denormalize(y[..(count * nout)]);
            if (Cholesky is not null)
            {
                var raw = ArrayPool<double>.Shared.Rent(count * nout);
                try
                {
                    y[..(count * nout)].CopyTo(raw);
                    Cholesky.Apply(raw.AsSpan(0, count * nout), y, count);
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(raw);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(z);
        }
    }

    /// <summary>
    /// Evaluates the points and the exact Jacobian ∂y/∂x in physical units (outputs × inputs per point,
    /// point-major): ∂y_i/∂x_k = s_y,i · ∂MLP_i/∂z_k / s_x,k by the chain rule through the normalisation.
    /// </summary>
    public void EvaluateWithJacobian(ReadOnlySpan<double> x, Span<double> y, Span<double> jacobian, int count)
    {
        if (Cholesky is not null)
        {
            throw new NotSupportedException("the Jacobian of a Cholesky tangent network is not needed by the plug-in and not provided");
        }

        int nin = Mlp.Inputs, nout = Mlp.Outputs;
        var z = ArrayPool<double>.Shared.Rent(count * nin);
        try
        {
            var zs = z.AsSpan(0, count * nin);
            x[..(count * nin)].CopyTo(zs);
            InputScaling.Normalize(zs);
            Mlp.ForwardWithJacobian(zs, y, jacobian, count);
            OutputScaling.Denormalize(y[..(count * nout)]);
            var sy = OutputScaling.Scale;
            var sx = InputScaling.Scale;
            for (int p = 0; p < count; p++)
            {
                var j = jacobian.Slice(p * nout * nin, nout * nin);
                for (int i = 0; i < nout; i++)
                {
                    for (int k = 0; k < nin; k++)
                    {
                        j[i * nin + k] *= sy[i] / sx[k];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(z);
        }
    }
}
