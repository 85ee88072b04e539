namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// Column-wise standardisation z = (x − mean) / scale, stored with a model so that inference sees
/// exactly the normalisation the network was trained with. A column that is constant in the training
/// data (e.g. ε33 = 0 in plane strain) gets scale 1 so it never divides by zero.
/// </summary>
public sealed class AffineScaling
{
    /// <summary>Creates a scaling from its column means and scales (equal lengths, scales &gt; 0).</summary>
    public AffineScaling(double[] mean, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Length != scale.Length)
        {
            throw new ArgumentException($"scaling has {mean.Length} means but {scale.Length} scales");
        }

        if (scale.Any(s => !(s > 0) || !double.IsFinite(s)) || mean.Any(m => !double.IsFinite(m)))
        {
            throw new ArgumentException("scaling means must be finite and scales finite and positive");
        }

        Mean = mean;
        Scale = scale;
    }

    /// <summary>Column means.</summary>
    public double[] Mean { get; }

    /// <summary>Column scales (standard deviations, or 1 for constant columns).</summary>
    public double[] Scale { get; }

    /// <summary>Number of columns.</summary>
    public int Width => Mean.Length;

    /// <summary>The identity scaling for <paramref name="width"/> columns.</summary>
    public static AffineScaling Identity(int width) => new(new double[width], Enumerable.Repeat(1.0, width).ToArray());

    /// <summary>
    /// Mean and (population) standard deviation of each column of a row-major matrix with
    /// <paramref name="width"/> columns.
    /// </summary>
    public static AffineScaling Fit(ReadOnlySpan<double> rows, int width)
    {
        int count = rows.Length / width;
        if (count == 0)
        {
            throw new ArgumentException("cannot fit a scaling to no data");
        }

        var mean = new double[width];
        var scale = new double[width];
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < width; c++)
            {
                mean[c] += rows[r * width + c];
            }
        }

        for (int c = 0; c < width; c++)
        {
            mean[c] /= count;
        }

        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < width; c++)
            {
                double d = rows[r * width + c] - mean[c];
                scale[c] += d * d;
            }
        }

        for (int c = 0; c < width; c++)
        {
            double sd = Math.Sqrt(scale[c] / count);
            // A constant column carries no information; scale 1 keeps it finite (and zero after centring).
            scale[c] = sd > 1e-12 * Math.Max(1.0, Math.Abs(mean[c])) ? sd : 1.0;
        }

        return new AffineScaling(mean, scale);
    }

    /// <summary>In place: x ← (x − mean) / scale for every row.</summary>
    public void Normalize(Span<double> rows)
    {
        int w = Width;
        var mean = Mean.AsSpan();
        var scale = Scale.AsSpan();
        for (int r = 0; r + w <= rows.Length; r += w)
        {
            var row = rows.Slice(r, w);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = (row[c] - mean[c]) / scale[c];
            }
        }
    }

    /// <summary>In place: z ← mean + scale · z for every row.</summary>
    public void Denormalize(Span<double> rows)
    {
        int w = Width;
        var mean = Mean.AsSpan();
        var scale = Scale.AsSpan();
        for (int r = 0; r + w <= rows.Length; r += w)
        {
            var row = rows.Slice(r, w);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = mean[c] + scale[c] * row[c];
            }
        }
    }
}
