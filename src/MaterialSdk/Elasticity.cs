namespace FemHost.MaterialSdk;

/// <summary>Isotropic linear elasticity in SDK conventions, shared by models that need an elastic part.</summary>
public static class Elasticity
{
    /// <summary>Bulk modulus K = E / (3(1 − 2ν)).</summary>
    public static double BulkModulus(double youngs, double poisson) => youngs / (3.0 * (1.0 - 2.0 * poisson));

    /// <summary>Shear modulus G = E / (2(1 + ν)).</summary>
    public static double ShearModulus(double youngs, double poisson) => youngs / (2.0 * (1.0 + poisson));

    /// <summary>
    /// Writes the isotropic stiffness D = K 1⊗1 + 2G (I − ⅓ 1⊗1) in Voigt form with engineering shear
    /// strain (so the shear diagonal is G), row-major n×n with n = 4 or 6.
    /// </summary>
    public static void Isotropic(double bulk, double shear, Span<double> d, int n)
    {
        d[..(n * n)].Clear();
        double lambda = bulk - 2.0 / 3.0 * shear;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                d[i * n + j] = lambda + (i == j ? 2.0 * shear : 0.0);
            }
        }

        for (int i = 3; i < n; i++)
        {
            d[i * n + i] = shear;
        }
    }

    /// <summary>y = D x for a row-major n×n matrix.</summary>
    public static void Multiply(ReadOnlySpan<double> d, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += d[i * n + j] * x[j];
            }

            y[i] = s;
        }
    }
}
