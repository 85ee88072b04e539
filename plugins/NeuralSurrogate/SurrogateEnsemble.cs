using System.Buffers;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// The mean of K networks trained on the same data from different random initialisations:
/// y(x) = (1/K) Σ_k y_k(x), and, the mean being linear, its exact Jacobian is the mean of the members'
/// Jacobians, so the consistent tangent stays exact. A small network trained on a few noisy histories lands in
/// a different local minimum for every seed; averaging the members removes the part of the error that
/// depends on the seed (docs/results.md §4, "Seed study"). The mean of symmetric positive definite tangents is
/// symmetric positive definite, so an ensemble of Cholesky NN2 members keeps that property.
/// </summary>
public sealed class SurrogateEnsemble : ISurrogateNetwork
{
    private readonly SurrogateNetwork[] _members;

    /// <summary>Creates the ensemble; every member must have the same input and output columns in the same order.</summary>
    public SurrogateEnsemble(IReadOnlyList<SurrogateNetwork> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one member");
        }

        for (int k = 1; k < members.Count; k++)
        {
            if (!members[k].Inputs.SequenceEqual(members[0].Inputs) || !members[k].Outputs.SequenceEqual(members[0].Outputs))
            {
                throw new ArgumentException($"member {k + 1} has the columns ({Names(members[k].Inputs)} → {Names(members[k].Outputs)}), " +
                    $"member 1 has ({Names(members[0].Inputs)} → {Names(members[0].Outputs)}); every member must have the same columns in the same order");
            }
        }

        _members = [.. members];
    }

    /// <summary>Number of members K.</summary>
    public int Count => _members.Length;

    /// <inheritdoc/>
    public Feature[] Inputs => _members[0].Inputs;

    /// <inheritdoc/>
    public Feature[] Outputs => _members[0].Outputs;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> y, int count)
    {
        int n = count * Outputs.Length;
        _members[0].Evaluate(x, y, count);
        var scratch = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int k = 1; k < _members.Length; k++)
            {
                _members[k].Evaluate(x, scratch, count);
                Accumulate(y[..n], scratch.AsSpan(0, n));
            }

            Scale(y[..n], 1.0 / _members.Length);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <inheritdoc/>
    public void EvaluateWithJacobian(ReadOnlySpan<double> x, Span<double> y, Span<double> jacobian, int count)
    {
        int n = count * Outputs.Length, m = n * Inputs.Length;
        _members[0].EvaluateWithJacobian(x, y, jacobian, count);
        var ys = ArrayPool<double>.Shared.Rent(n);
        var js = ArrayPool<double>.Shared.Rent(m);
        try
        {
            for (int k = 1; k < _members.Length; k++)
            {
                _members[k].EvaluateWithJacobian(x, ys, js, count);
                Accumulate(y[..n], ys.AsSpan(0, n));
                Accumulate(jacobian[..m], js.AsSpan(0, m));
            }

            Scale(y[..n], 1.0 / _members.Length);
            Scale(jacobian[..m], 1.0 / _members.Length);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(ys);
            ArrayPool<double>.Shared.Return(js);
        }
    }

    private static void Accumulate(Span<double> sum, ReadOnlySpan<double> term)
    {
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] += term[i];
        }
    }

    private static void Scale(Span<double> values, double factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    private static string Names(Feature[] features) => string.Join(", ", features.Select(f => f.Name));
}
