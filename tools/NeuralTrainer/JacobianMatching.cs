using FemHost.MaterialData;
using FemHost.Materials.NeuralSurrogate;
using TorchSharp;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>
/// What Jacobian-matched training of a stress network compares against, per sample: the logged tangent
/// D_ic (kPa) for every stress output i and every strain input c, and the derivative m_k = ∂x_k/∂Δε_c(k) of
/// every network input along the step that reached the sample: 1 for a strain input ε_c, the loading direction
/// sign(Δε_c) for an accumulated-strain input φ_c (paper eq. 5), and 0 for φ inputs without a strain input of
/// the same component. Column c of the tangent is the Voigt component of the c-th strain input.
/// </summary>
/// <param name="Count">Samples.</param>
/// <param name="Outputs">Stress outputs (rows i).</param>
/// <param name="Columns">Strain inputs (columns c).</param>
/// <param name="InputColumn">For each network input k, the tangent column it feeds (−1: none).</param>
/// <param name="Target">Logged tangent, count × outputs × columns (kPa).</param>
/// <param name="Direction">m, count × inputs.</param>
public sealed record TangentTargets(int Count, int Outputs, int Columns, int[] InputColumn, double[] Target, double[] Direction)
{
    private static readonly string[] Labels = ["11", "22", "33", "12"];

    /// <summary>Whether a table of these columns can carry tangent targets: a stress table of a dataset that logs the tangent.</summary>
    public static bool Applies(DatasetInfo info, string[] inputs, string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.HasTangent && info.Hypothesis == DatasetHypothesis.PlaneStrain
            && outputs.All(o => Feature.TryParse(o, out var f) && f.Kind == QuantityKind.Stress)
            && inputs.All(i => Feature.TryParse(i, out var f) && f.Kind is QuantityKind.Strain or QuantityKind.AccumulatedStrain)
            && inputs.Any(i => Feature.Parse(i).Kind == QuantityKind.Strain);
    }

    /// <summary>
    /// Reads the targets of every row. The direction of a φ_c input mirrors the plug-in's consistent tangent
    /// (NeuralSurrogateMaterial): sign(Δε_c) of the step into the row, or, where Δε_c = 0, the continued-loading
    /// sign(ε_c) of the previous row, or of the row's σ_c at a virgin component.
    /// </summary>
    public static TangentTargets FromDataset(PathDataset data, string[] inputs, string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        var inF = Feature.ParseAll(inputs);
        var outF = Feature.ParseAll(outputs);
        var strainInputs = inF.Where(f => f.Kind == QuantityKind.Strain).ToArray();
        int nc = strainInputs.Length, no = outF.Length, nin = inF.Length;
        var inputColumn = inF.Select(f => Array.FindIndex(strainInputs, s => s.Row == f.Row)).ToArray();
        var d = new ColumnReader[no, nc];
        for (int i = 0; i < no; i++)
        {
            for (int c = 0; c < nc; c++)
            {
                int a = Math.Min(outF[i].Row, strainInputs[c].Row), b = Math.Max(outF[i].Row, strainInputs[c].Row);
                d[i, c] = ColumnReader.For($"D_{Labels[a]}_{Labels[b]}", data.Info);
            }
        }

        var eps = inF.Select(f => ColumnReader.For("eps_" + Labels[f.Row], data.Info)).ToArray();
        var sig = inF.Select(f => ColumnReader.For("sig_" + Labels[f.Row], data.Info)).ToArray();
        var target = new List<double>();
        var direction = new List<double>();
        foreach (var path in data.Paths)
        {
            PathRow? previous = null;
            foreach (var row in path.Rows)
            {
                for (int i = 0; i < no; i++)
                {
                    for (int c = 0; c < nc; c++)
                    {
                        target.Add(d[i, c].Read(row));
                    }
                }

                for (int k = 0; k < nin; k++)
                {
                    double before = previous is null ? 0 : eps[k].Read(previous);
                    double step = eps[k].Read(row) - before;
                    direction.Add(inputColumn[k] < 0 ? 0
                        : inF[k].Kind == QuantityKind.Strain ? 1
                        : step != 0 ? Math.Sign(step)
                        : before != 0 ? Math.Sign(before) : Math.Sign(sig[k].Read(row)));
                }

                previous = row;
            }
        }

        return new TangentTargets(direction.Count / nin, no, nc, inputColumn, [.. target], [.. direction]);
    }

    /// <summary>The targets of the given samples, in order.</summary>
    public TangentTargets Rows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int nt = Outputs * Columns, nin = InputColumn.Length;
        var t = new double[rows.Count * nt];
        var m = new double[rows.Count * nin];
        for (int k = 0; k < rows.Count; k++)
        {
            Array.Copy(Target, rows[k] * nt, t, k * nt, nt);
            Array.Copy(Direction, rows[k] * nin, m, k * nin, nin);
        }

        return this with { Count = rows.Count, Target = t, Direction = m };
    }

    /// <summary>
    /// The loss scale s_D of the tangent entries: the root mean over entries of their variance across the samples, one
    /// value for all, so that the mismatch is weighed in kPa alike for every entry (a per-entry spread would blow up
    /// entries that barely vary, such as the shear couplings of an isotropic response).
    /// </summary>
    public double[] EntryScale()
    {
        int nt = Outputs * Columns;
        double variance = 0;
        for (int e = 0; e < nt; e++)
        {
            double mean = 0;
            for (int s = 0; s < Count; s++)
            {
                mean += Target[s * nt + e] / Count;
            }

            for (int s = 0; s < Count; s++)
            {
                double v = Target[s * nt + e] - mean;
                variance += v * v / (Count * nt);
            }
        }

        double scale = Math.Sqrt(variance);
        return [.. Enumerable.Repeat(scale > 0 ? scale : 1.0, nt)];
    }
}

/// <summary>
/// Jacobian-matched ("Sobolev") training of NN1: the loss adds to the stress MSE the mismatch between the
/// network's consistent tangent and the logged RVE tangent,
///   L = ‖σ̂ − σ̂*‖² + w · ‖(D(x) − D*) ⊘ s_D‖²,  D_ic(x) = Σ_k (s_σ,i / s_x,k) ∂NN_i/∂x̂_k · m_k · [k feeds c],
/// the tangent the plug-in hands to Newton–Raphson ("jacobian": ∂σ/∂ε + ∂σ/∂φ·sign Δε, NeuralSurrogateMaterial),
/// with the entries scaled by their spread s_D over the training samples (<see cref="TangentTargets.EntryScale"/>)
/// so that w = 1 weighs the tangent like the stress. Czarnecki et al. (2017), "Sobolev training of neural networks"; the robust-surrogate option:
/// a network fitted to stresses alone need not have a positive loading stiffness (docs/results.md §4).
/// </summary>
public sealed class JacobianMatching : IDisposable
{
    private readonly Tensor _factor;   // (outputs, inputs): s_σ,i / s_x,k
    private readonly Tensor _feeds;    // (inputs, columns): [k feeds c]
    private readonly Tensor _scale;    // (outputs, columns): s_D
    private readonly Scalar _weight;   // w, held for the native call (see HeldScalars)

    /// <summary>Creates the loss for a network with these scalings; <paramref name="entryScale"/> from <see cref="TangentTargets.EntryScale"/>.</summary>
    public JacobianMatching(TangentTargets layout, AffineScaling inputScaling, AffineScaling outputScaling, double[] entryScale, double weight)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(inputScaling);
        ArgumentNullException.ThrowIfNull(outputScaling);
        ArgumentNullException.ThrowIfNull(entryScale);
        int no = layout.Outputs, nin = layout.InputColumn.Length, nc = layout.Columns;
        var factor = new double[no * nin];
        var feeds = new double[nin * nc];
        for (int k = 0; k < nin; k++)
        {
            for (int i = 0; i < no; i++)
            {
                factor[i * nin + k] = outputScaling.Scale[i] / inputScaling.Scale[k];
            }

            if (layout.InputColumn[k] >= 0)
            {
                feeds[k * nc + layout.InputColumn[k]] = 1;
            }
        }

        using var scope = NewDisposeScope();
        _factor = tensor(factor, dtype: float64).reshape(no, nin).DetachFromDisposeScope();
        _feeds = tensor(feeds, dtype: float64).reshape(nin, nc).DetachFromDisposeScope();
        _scale = tensor(entryScale, dtype: float64).reshape(no, nc).DetachFromDisposeScope();
        Weight = weight;
        _weight = weight.ToScalar();
    }

    /// <summary>w, the weight of the tangent term.</summary>
    public double Weight { get; }

    /// <summary>The consistent tangent D (kPa), batch × outputs × columns, of normalised inputs x̂ with directions m (batch × inputs).</summary>
    public Tensor Tangent(MlpModule module, Tensor x, Tensor direction)
    {
        ArgumentNullException.ThrowIfNull(module);
        var (_, jacobian) = module.ForwardWithJacobian(x);
        return Tangent(jacobian, direction);
    }

    /// <summary>The loss L of a batch (normalised σ̂* and physical D*).</summary>
    public Tensor Loss(MlpModule module, Tensor x, Tensor y, Tensor direction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(module);
        var (prediction, jacobian) = module.ForwardWithJacobian(x);
        var mismatch = (Tangent(jacobian, direction) - target) / _scale;
        return HeldScalars.Plus(nn.functional.mse_loss(prediction, y), HeldScalars.Squared(mismatch).mean().mul(_weight));
    }

    private Tensor Tangent(Tensor jacobian, Tensor direction) => (jacobian * _factor * direction.unsqueeze(1)).matmul(_feeds);

    /// <inheritdoc/>
    public void Dispose()
    {
        _factor.Dispose();
        _feeds.Dispose();
        _scale.Dispose();
        _weight.Dispose();
    }
}
