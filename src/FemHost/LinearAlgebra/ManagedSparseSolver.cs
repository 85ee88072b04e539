namespace FemHost.LinearAlgebra;

/// <summary>
/// Managed sparse direct solver, used when MKL is absent. Nested-dissection ordering and the
/// elimination tree once per pattern (<see cref="Analyze"/>), then per <see cref="Factorize"/>:
/// <list type="bullet">
/// <item>symmetric matrices (upper-triangle storage): P A Pᵀ = L D Lᵀ by the supernodal algorithm of
/// <see cref="SupernodalLdlt"/>;</item>
/// <item>unsymmetric matrices (full storage): P A Pᵀ = L D U on the pattern of A + Aᵀ without pivoting,
/// up-looking (Davis, <i>Direct Methods for Sparse Linear Systems</i>, SIAM 2006, §4.7, and the LDL
/// package, ACM TOMS 31, 2005, extended to two triangular solves per row): row k of L and column k of U
/// come from sparse triangular solves whose pattern is the reach of row k in the elimination tree.
/// Static pivots suit tangents that stay close to symmetric positive definite, as soil tangents do.</item>
/// </list>
/// Zero or negligible pivots raise <see cref="SingularMatrixException"/> naming the equation. Single-threaded.
/// </summary>
public sealed class ManagedSparseSolver : ISparseSolver
{
    /// <summary>A pivot is negligible when |d_k| ≤ this × the largest magnitude in row k of A.</summary>
    public const double PivotTolerance = 1e-12;

    private SymbolicFactorization? _symbolic;
    private SupernodalLdlt? _supernodal;  // the symmetric path
    private int[] _rowIndex = [];     // row index of each entry of L (column-wise), also of Uᵀ
    private double[] _lower = [];     // L values, column-wise
    private double[] _upper = [];     // Uᵀ values (the unit upper factor stored by rows), unsymmetric only
    private double[] _diagonal = [];
    private bool _factorized;

    /// <inheritdoc/>
    public string Name => "managed sparse LDLᵀ/LDU (nested dissection, 1 thread)";

    /// <summary>Structural nonzeros of L after <see cref="Analyze"/>, diagonal included (the fill measure).</summary>
    public long FactorNonZeros => _symbolic is null ? 0 : _symbolic.FactorNonZeros + _symbolic.Size;

    /// <inheritdoc/>
    public void Analyze(CsrMatrix matrix)
    {
        Dispose();
        _symbolic = new SymbolicFactorization(matrix);
        _factorized = false;
        if (matrix.IsUpperTriangle)
        {
            _supernodal = new SupernodalLdlt(_symbolic);
            return;
        }

        long nnz = _symbolic.FactorNonZeros;
        _rowIndex = new int[nnz];
        _lower = new double[nnz];
        _upper = new double[nnz];
        _diagonal = new double[matrix.Size];
    }

    /// <inheritdoc/>
    public void Factorize(CsrMatrix matrix)
    {
        var s = _symbolic ?? throw new InvalidOperationException("Analyze must be called before Factorize");
        if (!s.Matches(matrix))
        {
            throw new InvalidOperationException("the matrix pattern differs from the analysed one; call Analyze again");
        }

        _factorized = false;
        if (_supernodal is not null)
        {
            _supernodal.Factorize(matrix.Values, RowMagnitudes(matrix, s), PivotTolerance);
            _factorized = true;
            return;
        }

        int n = s.Size;
        bool symmetric = s.IsSymmetric;
        double[] ax = matrix.Values;
        int[] lp = s.LowerPointers, parent = s.Parent;
        int[] li = _rowIndex;
        double[] lx = _lower, ux = _upper, d = _diagonal;
        var y = new double[n];           // column k of A above the diagonal → D U(:, k)
        var w = symmetric ? y : new double[n];   // row k of A left of the diagonal → D L(k, :)ᵀ
        var pattern = new int[n];
        var flag = new int[n];
        var fill = new int[n];            // entries already in each column of L
        double[] rowScale = RowMagnitudes(matrix, s);

        for (int k = 0; k < n; k++)
        {
            // Scatter row/column k of C = P A Pᵀ and find the pattern of row k of L (tree reach, topological order).
            int top = n;
            flag[k] = k;
            int diagonalSource = s.DiagonalSource[k];
            d[k] = diagonalSource >= 0 ? ax[diagonalSource] : 0.0;
            for (int p = s.UpperPointers[k]; p < s.UpperPointers[k + 1]; p++)
            {
                int i = s.UpperRows[p];
                y[i] += ax[s.UpperSource[p]];
                top = Reach(i, k, parent, flag, pattern, top);
            }

            if (!symmetric)
            {
                for (int p = s.LowerRowPointers[k]; p < s.LowerRowPointers[k + 1]; p++)
                {
                    int j = s.LowerColumns[p];
                    w[j] += ax[s.LowerSource[p]];
                    top = Reach(j, k, parent, flag, pattern, top);
                }
            }

            // Sparse triangular solves L y = c(:, k) and Uᵀ w = c(k, :)ᵀ over the pattern.
            for (; top < n; top++)
            {
                int j = pattern[top];
                double yj = y[j];
                double wj = w[j];
                y[j] = 0.0;
                w[j] = 0.0;
                int end = lp[j] + fill[j];
                if (symmetric)
                {
                    for (int p = lp[j]; p < end; p++)
                    {
                        y[li[p]] -= lx[p] * yj;
                    }

                    double lkj = yj / d[j];
                    d[k] -= lkj * yj;
                    li[end] = k;
                    lx[end] = lkj;
                }
                else
                {
                    for (int p = lp[j]; p < end; p++)
                    {
                        int i = li[p];
                        y[i] -= lx[p] * yj;
                        w[i] -= ux[p] * wj;
                    }

                    double lkj = wj / d[j];     // L(k, j)
                    double ujk = yj / d[j];     // U(j, k), unit upper factor
                    d[k] -= lkj * yj;
                    li[end] = k;
                    lx[end] = lkj;
                    ux[end] = ujk;
                }

                fill[j]++;
            }

            double pivot = d[k];
            if (!(Math.Abs(pivot) > PivotTolerance * rowScale[k]))
            {
                int equation = s.Permutation[k];
                throw new SingularMatrixException(equation,
                    $"the matrix is singular: pivot {pivot:G3} at equation {equation} (row scale {rowScale[k]:G3}); " +
                    "a rigid-body mode is probably not restrained, or the material tangent has lost definiteness there");
            }
        }

        _factorized = true;
    }

    /// <inheritdoc/>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        var s = _symbolic;
        if (s is null || !_factorized)
        {
            throw new InvalidOperationException("Factorize must succeed before Solve");
        }

        int n = s.Size;
        int[] lp = s.LowerPointers, perm = s.Permutation, li = _rowIndex;
        double[] lx = _lower, d = _diagonal;
        double[] ut = s.IsSymmetric ? _lower : _upper;
        var z = new double[n];
        for (int k = 0; k < n; k++)
        {
            z[k] = b[perm[k]];
        }

        if (_supernodal is not null)
        {
            _supernodal.Solve(z);
            for (int k = 0; k < n; k++)
            {
                x[perm[k]] = z[k];
            }

            return;
        }

        for (int j = 0; j < n; j++)     // L z = P b
        {
            double zj = z[j];
            for (int p = lp[j]; p < lp[j + 1]; p++)
            {
                z[li[p]] -= lx[p] * zj;
            }
        }

        for (int j = 0; j < n; j++)     // D z = z
        {
            z[j] /= d[j];
        }

        for (int j = n - 1; j >= 0; j--)    // U z = z (U stored by rows as the columns of Uᵀ)
        {
            double zj = z[j];
            for (int p = lp[j]; p < lp[j + 1]; p++)
            {
                zj -= ut[p] * z[li[p]];
            }

            z[j] = zj;
        }

        for (int k = 0; k < n; k++)
        {
            x[perm[k]] = z[k];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _symbolic = null;
        _supernodal = null;
        (_rowIndex, _lower, _upper, _diagonal) = ([], [], [], []);
    }

    /// <summary>
    /// Walks up the elimination tree from <paramref name="i"/> until a node already flagged for row k,
    /// pushing the path onto the stack so that the final stack is in topological order.
    /// </summary>
    private static int Reach(int i, int k, int[] parent, int[] flag, int[] pattern, int top)
    {
        int len = 0;
        int start = top;
        for (; flag[i] != k; i = parent[i])
        {
            pattern[len++] = i;
            flag[i] = k;
        }

        // Move the path [0, len) to just below top, keeping order (deepest first after reversal).
        while (len > 0)
        {
            pattern[--start] = pattern[--len];
        }

        return start;
    }

    /// <summary>max_j |a_kj| for each permuted row (both triangles for symmetric storage): the pivot scale.</summary>
    private static double[] RowMagnitudes(CsrMatrix a, SymbolicFactorization s)
    {
        var scale = new double[a.Size];
        int[] rp = a.RowPointers, ci = a.ColumnIndices, q = s.InversePermutation;
        double[] v = a.Values;
        for (int i = 0; i < a.Size; i++)
        {
            for (int p = rp[i]; p < rp[i + 1]; p++)
            {
                double m = Math.Abs(v[p]);
                int r = q[i];
                scale[r] = Math.Max(scale[r], m);
                if (a.IsUpperTriangle)
                {
                    int c = q[ci[p]];
                    scale[c] = Math.Max(scale[c], m);
                }
            }
        }

        return scale;
    }
}
