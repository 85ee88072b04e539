using System.Globalization;

namespace FemHost.Experiments.Calibration;

/// <summary>The pressure-dependent bulk modulus K = K0 p_a (p/p_a)^n fitted to an isotropic compression test.</summary>
/// <param name="K0">Bulk-modulus constant.</param>
/// <param name="N">Pressure exponent.</param>
/// <param name="Points">The (p̄, K) pairs the fit used: mid-interval mean stress (kPa) and tangent bulk modulus Δp/Δε_v (kPa).</param>
public sealed record BulkFit(double K0, double N, IReadOnlyList<(double P, double K)> Points);

/// <summary>
/// Paper §3.1: "small-strain isotropic compression tests … are performed to determine K". The DEM RVE is
/// consolidated to a low pressure and loaded isotropically in equal pressure steps (<c>femhost point</c>, host-side
/// stress control); each step gives a tangent bulk modulus K_i = Δp/Δε_v at the mid-step pressure, and
/// ln K = ln(K0 p_a) + n ln(p/p_a) (Guo and Li 2008 form, docs/dh-model.md) is fitted by linear least squares.
/// </summary>
public static class IsotropicCompression
{
    /// <summary>
    /// The point-driver file of the test: M1 RVE of <paramref name="particles"/> disks, 25 → 1000 kPa in 39 steps; its CSV is
    /// <paramref name="output"/>, a file name beside the driver (a driver file names only files below its own folder).
    /// </summary>
    public static string DriverYaml(int particles, string output) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Isotropic compression of one DEM RVE (paper §3.1, bulk modulus), written by femhost-experiments calibrate.
        name: dem-isotropic-m1
        hypothesis: plane_strain
        material:
          model: DemRve
          tangent: approximate
          parameters: {preset: M1, particles: {{particles}}, seed: 1, preparation: dense, tangentMethod: relaxed}
        initial_stress: {isotropic: -25}
        path:
          - steps: 39
            stress: {"11": -1000, "22": -1000, "12": 0}
        solver: {tolerance: 5.0e-3, max_iterations: 30, jacobian: tangent}
        output: {{output}}
        """);

    /// <summary>Reads (p, ε_v) in geotechnical signs from a plane-strain point-driver CSV: p = −(σ11 + σ22)/2, ε_v = −(ε11 + ε22).</summary>
    public static (double[] P, double[] VolumetricStrain) ReadPointCsv(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',').ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new ExperimentException($"'{file}' has no column '{name}': expected the CSV of 'femhost point' in plane strain.");
        int e11 = Col("eps_11"), e22 = Col("eps_22"), s11 = Col("sig_11"), s22 = Col("sig_22");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        double V(string[] r, int c) => double.Parse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture);
        return ([.. rows.Select(r => -(V(r, s11) + V(r, s22)) / 2)], [.. rows.Select(r => -(V(r, e11) + V(r, e22)))]);
    }

    /// <summary>Fits K0 and n (0 ≤ n ≤ 0.9) to the tangent moduli of consecutive rows; steps without compression are skipped.</summary>
    public static BulkFit Fit(IReadOnlyList<double> p, IReadOnlyList<double> volumetricStrain, double pa)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(volumetricStrain);
        var points = new List<(double P, double K)>();
        for (int i = 1; i < p.Count; i++)
        {
            double dp = p[i] - p[i - 1], dev = volumetricStrain[i] - volumetricStrain[i - 1];
            if (dp > 0 && dev > 0)
            {
                points.Add((0.5 * (p[i] + p[i - 1]), dp / dev));
            }
        }

        if (points.Count < 2)
        {
            throw new ExperimentException("the isotropic compression test gave fewer than two compressive steps: no bulk modulus can be fitted.");
        }

        var x = points.Select(t => Math.Log(t.P / pa)).ToArray();
        var y = points.Select(t => Math.Log(t.K / pa)).ToArray();
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx));
        double n = sxx > 0 ? x.Zip(y).Sum(t => (t.First - mx) * (t.Second - my)) / sxx : 0;
        n = Math.Clamp(n, 0, 0.9);
        double lnK0 = my - n * mx;
        return new BulkFit(Math.Exp(lnK0), n, points);
    }
}
