using FemHost.LinearAlgebra;

namespace FemHost.Tests;

/// <summary>Test matrices for the sparse solvers, and a dense reference solve.</summary>
internal static class SparseTestMatrices
{
    /// <summary>CSR of a dense matrix: the upper triangle when <paramref name="upper"/>, else every nonzero.</summary>
    public static CsrMatrix FromDense(double[,] a, bool upper)
    {
        int n = a.GetLength(0);
        var rp = new int[n + 1];
        var ci = new List<int>();
        var v = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = upper ? i : 0; j < n; j++)
            {
                if (a[i, j] != 0.0 || i == j)
                {
                    ci.Add(j);
                    v.Add(a[i, j]);
                }
            }

            rp[i + 1] = ci.Count;
        }

        var m = new CsrMatrix(n, rp, [.. ci], upper);
        v.CopyTo(m.Values);
        return m;
    }

    /// <summary>
    /// Random sparse symmetric positive definite matrix: a random symmetric pattern with about
    /// <paramref name="perRow"/> off-diagonal entries per row, made strictly diagonally dominant
    /// (Gershgorin: every eigenvalue then lies in a positive disc).
    /// </summary>
    public static double[,] RandomSpd(int n, int perRow, int seed)
    {
        var rnd = new Random(seed);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < perRow / 2; k++)
            {
                int j = rnd.Next(n);
                if (j != i)
                {
                    double v = rnd.NextDouble() * 2 - 1;
                    a[i, j] = a[j, i] = v;
                }
            }
        }

        AddDominantDiagonal(a, rnd, 1);
        return a;
    }

    /// <summary>
    /// Random sparse unsymmetric, structurally unsymmetric matrix (a_ij ≠ 0 does not imply a_ji ≠ 0),
    /// strictly diagonally dominant by rows so that Gaussian elimination needs no pivoting.
    /// </summary>
    public static double[,] RandomUnsymmetric(int n, int perRow, int seed)
    {
        var rnd = new Random(seed);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < perRow; k++)
            {
                int j = rnd.Next(n);
                if (j != i)
                {
                    a[i, j] = rnd.NextDouble() * 2 - 1;
                }
            }
        }

        AddDominantDiagonal(a, rnd, rnd.Next(2) == 0 ? 1 : -1);
        return a;
    }

    /// <summary>Five-point Laplacian of an m × m grid with Dirichlet boundaries (SPD), upper storage.</summary>
    public static CsrMatrix GridLaplacian(int m)
    {
        int n = m * m;
        var rp = new int[n + 1];
        var ci = new List<int>();
        var v = new List<double>();
        for (int i = 0; i < n; i++)
        {
            int x = i % m, y = i / m;
            ci.Add(i);
            v.Add(4);
            if (x < m - 1)
            {
                ci.Add(i + 1);
                v.Add(-1);
            }

            if (y < m - 1)
            {
                ci.Add(i + m);
                v.Add(-1);
            }

            rp[i + 1] = ci.Count;
        }

        var a = new CsrMatrix(n, rp, [.. ci], true);
        v.CopyTo(a.Values);
        return a;
    }

    /// <summary>
    /// Upwinded convection–diffusion on an m × m grid (Dirichlet boundaries), full storage: unsymmetric
    /// values on a symmetric pattern, an M-matrix (diagonally dominant), so elimination needs no pivoting.
    /// </summary>
    public static CsrMatrix GridConvectionDiffusion(int m, double peclet)
    {
        int n = m * m;
        var rp = new int[n + 1];
        var ci = new List<int>();
        var v = new List<double>();
        for (int i = 0; i < n; i++)
        {
            int x = i % m, y = i / m;
            void Add(int j, double a)
            {
                ci.Add(j);
                v.Add(a);
            }

            if (y > 0)
            {
                Add(i - m, -1);
            }

            if (x > 0)
            {
                Add(i - 1, -1 - peclet);
            }

            Add(i, 4 + peclet);
            if (x < m - 1)
            {
                Add(i + 1, -1);
            }

            if (y < m - 1)
            {
                Add(i + m, -1);
            }

            rp[i + 1] = ci.Count;
        }

        var a = new CsrMatrix(n, rp, [.. ci], false);
        v.CopyTo(a.Values);
        return a;
    }

    /// <summary>Dense Gaussian elimination with partial pivoting: the reference solution.</summary>
    public static double[] DenseSolve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++)
            {
                if (Math.Abs(m[i, k]) > Math.Abs(m[p, k]))
                {
                    p = i;
                }
            }

            for (int j = 0; j < n; j++)
            {
                (m[k, j], m[p, j]) = (m[p, j], m[k, j]);
            }

            (x[k], x[p]) = (x[p], x[k]);
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i, k] / m[k, k];
                if (f == 0)
                {
                    continue;
                }

                for (int j = k; j < n; j++)
                {
                    m[i, j] -= f * m[k, j];
                }

                x[i] -= f * x[k];
            }
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int j = i + 1; j < n; j++)
            {
                s -= m[i, j] * x[j];
            }

            x[i] = s / m[i, i];
        }

        return x;
    }

    /// <summary>Dense y = A x.</summary>
    public static double[] Multiply(double[,] a, double[] x)
    {
        int n = x.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                y[i] += a[i, j] * x[j];
            }
        }

        return y;
    }

    /// <summary>Random vector with entries in [−1, 1].</summary>
    public static double[] RandomVector(int n, int seed)
    {
        var rnd = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => rnd.NextDouble() * 2 - 1)];
    }

    /// <summary>max |x − y| / max |y|.</summary>
    public static double RelativeError(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double e = 0, s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            e = Math.Max(e, Math.Abs(x[i] - y[i]));
            s = Math.Max(s, Math.Abs(y[i]));
        }

        return e / s;
    }

    /// <summary>Solves with a fresh analyse–factorise–solve cycle.</summary>
    public static double[] Solve(ISparseSolver solver, CsrMatrix a, double[] b)
    {
        solver.Analyze(a);
        solver.Factorize(a);
        var x = new double[a.Size];
        solver.Solve(b, x);
        return x;
    }

    private static void AddDominantDiagonal(double[,] a, Random rnd, double sign)
    {
        int n = a.GetLength(0);
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++)
            {
                row += i == j ? 0 : Math.Abs(a[i, j]);
            }

            a[i, i] = sign * (row + 0.5 + rnd.NextDouble());
        }
    }
}
