namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// What the material needs of a network: named input and output columns, and batched evaluation in physical
/// units (point-major arrays), with the exact Jacobian ∂y/∂x for a stress network. Implemented by one trained
/// network (<see cref="SurrogateNetwork"/>) and by the mean of several (<see cref="SurrogateEnsemble"/>).
/// </summary>
public interface ISurrogateNetwork
{
    /// <summary>Input columns.</summary>
    Feature[] Inputs { get; }

    /// <summary>Output columns.</summary>
    Feature[] Outputs { get; }

    /// <summary>Evaluates <paramref name="count"/> points: x is count × inputs, y receives count × outputs (physical units).</summary>
    void Evaluate(ReadOnlySpan<double> x, Span<double> y, int count);

    /// <summary>Evaluates the points and the exact Jacobian ∂y/∂x (outputs × inputs per point, point-major).</summary>
    void EvaluateWithJacobian(ReadOnlySpan<double> x, Span<double> y, Span<double> jacobian, int count);
}
