using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;

namespace FemHost.Materials.DhModel.Tests;

/// <summary>Random admissible DH states and increments, and a finite-difference tangent.</summary>
internal static class PointFixtures
{
    public static readonly DhConstants Paper = new();

    /// <summary>A random unit deviatoric direction in Voigt stress components (tensor shear).</summary>
    public static double[] RandomDeviator(Random rng, int n)
    {
        var s = new double[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = rng.NextDouble() * 2 - 1;
        }

        double m = (s[0] + s[1] + s[2]) / 3;
        for (int i = 0; i < 3; i++)
        {
            s[i] -= m;
        }

        return s;
    }

    /// <summary>
    /// A committed state with mean stress p, plastic shear strain κ and a stress ratio q/p = r·η(κ)
    /// (r = 1: on the yield surface).
    /// </summary>
    public static (double[] Stress, double[] State) State(Random rng, int n, double p, double kappa, double r, DhConstants? c = null)
    {
        c ??= Paper;
        var dir = RandomDeviator(rng, n);
        var zero = new double[n];
        double q0 = DhInvariants.Q(dir, 0);
        double eta = c.Eta(kappa);
        var stress = new double[n];
        for (int i = 0; i < n; i++)
        {
            stress[i] = dir[i] / q0 * r * eta * p - (i < 3 ? p : 0);
        }

        _ = zero;
        return (stress, [kappa, eta, 0.0]);
    }

    /// <summary>A random strain increment of the given norm (engineering shear components).</summary>
    public static double[] Increment(Random rng, int n, double size)
    {
        var d = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            d[i] = rng.NextDouble() * 2 - 1;
            norm += i < 3 ? d[i] * d[i] : 0.5 * d[i] * d[i];
        }

        norm = Math.Sqrt(norm);
        for (int i = 0; i < n; i++)
        {
            d[i] *= size / norm;
        }

        return d;
    }

    public record struct Result(double[] Stress, double[] State, double[] Tangent, PointStatus Status);

    public static Result Run(DhReturnMapping m, double[] stress, double[] state, double[] dStrain, TangentKind kind = TangentKind.Consistent)
    {
        int n = dStrain.Length;
        var s1 = new double[n];
        var x1 = new double[DhState.Size];
        var d = new double[n * n];
        var status = m.Integrate(stress, state, dStrain, s1, x1, d, kind);
        return new Result(s1, x1, d, status);
    }

    /// <summary>Central finite differences of σ_{n+1} with respect to Δε_j.</summary>
    public static double[] FiniteDifferenceTangent(DhReturnMapping m, double[] stress, double[] state, double[] dStrain, double h)
    {
        int n = dStrain.Length;
        var d = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])dStrain.Clone();
            var minus = (double[])dStrain.Clone();
            plus[j] += h;
            minus[j] -= h;
            var a = Run(m, stress, state, plus).Stress;
            var b = Run(m, stress, state, minus).Stress;
            for (int i = 0; i < n; i++)
            {
                d[i * n + j] = (a[i] - b[i]) / (2 * h);
            }
        }

        return d;
    }

    public static double MaxAbs(double[] v) => v.Max(Math.Abs);

    public static double RelativeDifference(double[] a, double[] b) =>
        a.Zip(b, (x, y) => Math.Abs(x - y)).Max() / Math.Max(MaxAbs(a), MaxAbs(b));
}
