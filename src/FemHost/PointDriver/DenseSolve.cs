namespace FemHost.PointDriver;

/// <summary>Gaussian elimination with partial pivoting for the small systems of the point driver (n ≤ 6).</summary>
internal static class DenseSolve
{
    /// <summary>
    /// Solves A x = b in place: <paramref name="b"/> becomes x, <paramref name="a"/> (row-major n×n) is
    /// destroyed. Returns false when a pivot is negligible relative to the largest entry of A.
    /// </summary>
    public static bool Solve(double[] a, double[] b, int n)
    {
        double largest = 0;
        for (int i = 0; i < n * n; i++)
        {
            largest = Math.Max(largest, Math.Abs(a[i]));
        }

        if (largest == 0)
        {
            return n == 0;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[pivot * n + col]) <= 1e-13 * largest)
            {
                return false;
            }

            if (pivot != col)
            {
                for (int c = 0; c < n; c++)
                {
                    (a[col * n + c], a[pivot * n + c]) = (a[pivot * n + c], a[col * n + c]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            for (int r = col + 1; r < n; r++)
            {
                double factor = a[r * n + col] / a[col * n + col];
                for (int c = col; c < n; c++)
                {
                    a[r * n + c] -= factor * a[col * n + c];
                }

                b[r] -= factor * b[col];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int c = r + 1; c < n; c++)
            {
                sum -= a[r * n + c] * b[c];
            }

            b[r] = sum / a[r * n + r];
        }

        return true;
    }
}
