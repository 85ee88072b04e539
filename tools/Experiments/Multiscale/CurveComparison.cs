namespace FemHost.Experiments.Multiscale;

/// <summary>
/// The difference between a neural FEM curve and the FD-HMM reference (paper Fig. 19), as one number: the
/// root-mean-square of (model − reference) at the reference's axial strains, the model interpolated linearly
/// between its own steps, over the strain range both runs completed.
/// </summary>
public static class CurveComparison
{
    /// <summary>RMS difference and the number of reference points it was taken over (NaN and 0 when the curves do not overlap).</summary>
    public static (double Rms, int Points) RmsError(double[] referenceX, double[] referenceY, double[] modelX, double[] modelY)
    {
        ArgumentNullException.ThrowIfNull(referenceX);
        ArgumentNullException.ThrowIfNull(referenceY);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < referenceX.Length; i++)
        {
            double y = Interpolate(modelX, modelY, referenceX[i]);
            if (double.IsFinite(y) && double.IsFinite(referenceY[i]))
            {
                sum += (y - referenceY[i]) * (y - referenceY[i]);
                count++;
            }
        }

        return count == 0 ? (double.NaN, 0) : (Math.Sqrt(sum / count), count);
    }

    /// <summary>Linear interpolation in increasing <paramref name="x"/>; NaN outside its range or next to a NaN value.</summary>
    public static double Interpolate(double[] x, double[] y, double at)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        const double slack = 1e-12;
        for (int k = 0; k + 1 < x.Length; k++)
        {
            if (at >= x[k] - slack && at <= x[k + 1] + slack)
            {
                double t = x[k + 1] > x[k] ? Math.Clamp((at - x[k]) / (x[k + 1] - x[k]), 0, 1) : 0;
                return y[k] + t * (y[k + 1] - y[k]);
            }
        }

        return x.Length == 1 && Math.Abs(at - x[0]) <= slack ? y[0] : double.NaN;
    }
}
