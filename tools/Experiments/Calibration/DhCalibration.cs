using FemHost.Materials.DhModel;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace FemHost.Experiments.Calibration;

/// <summary>Outcome of a DH calibration.</summary>
/// <param name="Constants">The fitted constants (p_a and the numerical settings as given).</param>
/// <param name="Initial">The starting point (the paper's graphical procedure, §3.1).</param>
/// <param name="RmsStressRatio">RMS of (q_DH − q_lab)/σ3 over every row of every curve.</param>
/// <param name="RmsVolumetricStrain">RMS of ε_v,DH − ε_v,lab (absolute strain).</param>
/// <param name="Cost">Residual sum of squares of the scaled residuals that was minimised.</param>
/// <param name="VolumetricScale">s_v: ε_v residuals are divided by it (see <see cref="DhCalibration"/>).</param>
/// <param name="Iterations">Levenberg–Marquardt iterations.</param>
/// <param name="ExitReason">Why the optimiser stopped.</param>
public sealed record CalibrationResult(
    DhConstants Constants, DhConstants Initial, double RmsStressRatio, double RmsVolumetricStrain, double Cost,
    double VolumetricScale, int Iterations, string ExitReason);

/// <summary>
/// Least-squares calibration of the DH constants K0, G0, n, A, η_c, η_f (paper §3.1, Fig. 4–5) to drained
/// element tests: bounded Levenberg–Marquardt (MathNet) on the residuals of the q–ε_a and ε_v–ε_a curves at the
/// lab's rows, the DH model integrated by <see cref="DhTriaxialResponse"/>. The q residuals are divided by σ3 and
/// the ε_v residuals by s_v = max|ε_v| ÷ max(q/σ3) over the data, so both curve families weigh the same.
/// K0, G0 and A are fitted on a log scale (positive, several decades); n, η_c, η_f directly, all within bounds.
/// The starting point follows the paper's own procedure, so the optimiser only refines it.
/// </summary>
public static class DhCalibration
{
    /// <summary>Penalty residual for a row the DH integration could not reach.</summary>
    private const double Unreached = 10.0;

    // θ = [ln K0, ln G0, n, ln A, η_c, η_f] and its bounds.
    private static readonly double[] Lower = [Math.Log(0.1), Math.Log(0.1), 0.0, Math.Log(1e-5), 0.05, 0.1];
    private static readonly double[] Upper = [Math.Log(1e5), Math.Log(1e5), 0.9, Math.Log(0.3), 2.5, 2.9];

    /// <summary>Fits the constants to <paramref name="curves"/>, starting from <see cref="InitialGuess"/>.</summary>
    /// <param name="curves">Lab curves (at least one, each with at least three rows).</param>
    /// <param name="template">Constants not fitted (p_a, p_min, max strain increment) are taken from here.</param>
    /// <param name="maxIterations">Iteration limit of Levenberg–Marquardt.</param>
    /// <param name="fixBulk">Keep K0 and n of <paramref name="template"/> (fitted on an isotropic compression test, as the
    /// paper does, <see cref="IsotropicCompression"/>) and fit G0, A, η_c, η_f only.</param>
    public static CalibrationResult Fit(IReadOnlyList<LabCurve> curves, DhConstants template, int maxIterations = 200, bool fixBulk = false)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(template);
        if (curves.Count == 0 || curves.Any(c => c.Count < 3))
        {
            throw new ExperimentException("calibration needs at least one lab curve with at least three rows.");
        }

        double sv = VolumetricScale(curves);
        var observed = Vector<double>.Build.DenseOfEnumerable(curves.SelectMany(c =>
            Enumerable.Range(1, c.Count - 1).SelectMany(i => new[] { c.DeviatoricStress[i] / c.ConfiningPressure, c.VolumetricStrain[i] / sv })));
        var x = Vector<double>.Build.Dense(observed.Count, i => i);
        Vector<double> Model(Vector<double> theta, Vector<double> unused) =>
            Vector<double>.Build.DenseOfArray(Predict(ToConstants(theta, template), curves, sv));

        var initial = InitialGuess(curves, template);
        if (fixBulk)
        {
            initial = initial with { K0 = template.K0, N = template.N };
        }

        var objective = ObjectiveFunction.NonlinearModel(Model, x, observed, null, accuracyOrder: 2);
        var minimizer = new LevenbergMarquardtMinimizer(initialMu: 1e-3, gradientTolerance: 1e-12, stepTolerance: 1e-10,
            functionTolerance: 1e-12, maximumIterations: maxIterations);
        var lower = Vector<double>.Build.DenseOfArray(Lower);
        var upper = Vector<double>.Build.DenseOfArray(Upper);
        var isFixed = fixBulk ? new List<bool> { true, false, true, false, false, false } : null;
        var result = minimizer.FindMinimum(objective, Clamp(ToTheta(initial)), lower, upper, null, isFixed);
        var best = ToConstants(result.MinimizingPoint, template);
        var (rmsQ, rmsV) = Misfit(best, curves);
        var residual = Predict(best, curves, sv).Select((y, i) => y - observed[i]);
        return new CalibrationResult(best, initial, rmsQ, rmsV, residual.Sum(r => r * r), sv, result.Iterations, result.ReasonForExit.ToString());
    }

    /// <summary>
    /// The paper's graphical calibration (§3.1), used as the starting point: η_f from the mobilised stress ratio
    /// of the second half of each test (large strain), η_c from the stress ratio where the volume stops contracting
    /// (the zero-dilatancy point), A from the axial strain at which half of η_f is mobilised (eq. A-2: η = η_f/2
    /// at ε_q^p = A), and K, G from the first recorded increment (dq/dε_a = E, dε_v/dε_a = 1 − 2ν) with n = 0.5.
    /// The stress ratio uses the triaxial mean stress p = σ3 + q/3, as the DH model does.
    /// </summary>
    public static DhConstants InitialGuess(IReadOnlyList<LabCurve> curves, DhConstants template)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(template);
        double Eta(LabCurve c, int i) => c.DeviatoricStress[i] / (c.ConfiningPressure + c.DeviatoricStress[i] / 3.0);
        double etaF = curves.Average(c => Enumerable.Range(c.Count / 2, c.Count - c.Count / 2).Average(i => Eta(c, i)));
        etaF = Math.Clamp(etaF, 0.2, 2.8);
        double etaC = curves.Average(c =>
        {
            int peak = Enumerable.Range(1, c.Count - 1).MaxBy(i => c.VolumetricStrain[i]);
            return Eta(c, peak);
        });
        etaC = Math.Clamp(etaC, 0.06, etaF);
        double a = curves.Average(c =>
        {
            int half = Enumerable.Range(1, c.Count - 1).FirstOrDefault(i => Eta(c, i) >= 0.5 * etaF, 1);
            return 2.0 / 3.0 * c.AxialStrain[half] / (half == 1 ? 2.0 : 1.0);
        });
        const double n = 0.5;
        double lnK0 = 0, lnG0 = 0;
        foreach (var c in curves)
        {
            double e = Math.Max(c.DeviatoricStress[1] - c.DeviatoricStress[0], 1e-6) / Math.Max(c.AxialStrain[1], 1e-12);
            double nu = Math.Clamp(0.5 * (1 - (c.VolumetricStrain[1] - c.VolumetricStrain[0]) / Math.Max(c.AxialStrain[1], 1e-12)), 0.05, 0.45);
            double scale = template.Pa * Math.Pow(c.ConfiningPressure / template.Pa, n);
            lnK0 += Math.Log(e / (3 * (1 - 2 * nu)) / scale);
            lnG0 += Math.Log(e / (2 * (1 + nu)) / scale);
        }

        return template with
        {
            K0 = Math.Exp(lnK0 / curves.Count),
            G0 = Math.Exp(lnG0 / curves.Count),
            N = n,
            A = Math.Clamp(a, 2e-5, 0.2),
            EtaC = etaC,
            EtaF = etaF,
        };
    }

    /// <summary>RMS of (q_DH − q_lab)/σ3 and of ε_v,DH − ε_v,lab over every row after the first (unreached rows excluded).</summary>
    public static (double StressRatio, double VolumetricStrain) Misfit(DhConstants constants, IReadOnlyList<LabCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        double sq = 0, sv = 0;
        int count = 0;
        foreach (var c in curves)
        {
            var (q, ev) = DhTriaxialResponse.At(constants, c);
            for (int i = 1; i < c.Count; i++)
            {
                if (double.IsFinite(q[i]))
                {
                    sq += Math.Pow((q[i] - c.DeviatoricStress[i]) / c.ConfiningPressure, 2);
                    sv += Math.Pow(ev[i] - c.VolumetricStrain[i], 2);
                    count++;
                }
            }
        }

        return count == 0 ? (double.NaN, double.NaN) : (Math.Sqrt(sq / count), Math.Sqrt(sv / count));
    }

    /// <summary>s_v = max|ε_v| ÷ max(q/σ3) over the data (1 if the data show no volume change).</summary>
    public static double VolumetricScale(IReadOnlyList<LabCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        double ev = curves.Max(c => c.VolumetricStrain.Max(Math.Abs));
        double qr = curves.Max(c => c.DeviatoricStress.Max(q => Math.Abs(q) / c.ConfiningPressure));
        return ev > 0 && qr > 0 ? ev / qr : 1.0;
    }

    /// <summary>
    /// The fitted parameters that ended on a bound of the search box (within 0.1 % of its width): the data did not
    /// pin them inside the box, which the summary reports.
    /// </summary>
    public static IReadOnlyList<string> AtBounds(DhConstants constants, bool fixBulk = false)
    {
        ArgumentNullException.ThrowIfNull(constants);
        var t = ToTheta(constants);
        return [.. CalibratedDh.FittedNames.Where((name, i) => !(fixBulk && name is "K0" or "n")
            && Math.Min(t[i] - Lower[i], Upper[i] - t[i]) <= 1e-3 * (Upper[i] - Lower[i]))];
    }

    private static double[] Predict(DhConstants constants, IReadOnlyList<LabCurve> curves, double sv)
    {
        var y = new List<double>();
        foreach (var c in curves)
        {
            var (q, ev) = DhTriaxialResponse.At(constants, c);
            for (int i = 1; i < c.Count; i++)
            {
                bool ok = double.IsFinite(q[i]) && double.IsFinite(ev[i]);
                y.Add(ok ? q[i] / c.ConfiningPressure : c.DeviatoricStress[i] / c.ConfiningPressure + Unreached);
                y.Add(ok ? ev[i] / sv : c.VolumetricStrain[i] / sv + Unreached);
            }
        }

        return [.. y];
    }

    private static Vector<double> ToTheta(DhConstants c) =>
        Vector<double>.Build.DenseOfArray([Math.Log(c.K0), Math.Log(c.G0), c.N, Math.Log(c.A), c.EtaC, c.EtaF]);

    private static DhConstants ToConstants(Vector<double> t, DhConstants template) => template with
    {
        K0 = Math.Exp(t[0]),
        G0 = Math.Exp(t[1]),
        N = t[2],
        A = Math.Exp(t[3]),
        EtaC = t[4],
        EtaF = t[5],
    };

    private static Vector<double> Clamp(Vector<double> t) =>
        Vector<double>.Build.Dense(t.Count, i => Math.Clamp(t[i], Lower[i] + 1e-6 * (Upper[i] - Lower[i]), Upper[i] - 1e-6 * (Upper[i] - Lower[i])));
}
