namespace FemHost.LinearAlgebra;

/// <summary>
/// Managed sparse direct solver, used when MKL is absent. Once per pattern (<see cref="Analyze"/>):
/// nested-dissection ordering, elimination tree, supernodes and their row structure. Per
/// <see cref="Factorize"/>: the supernodal factorisation of <see cref="SupernodalFactorization"/>,
/// P A Pᵀ = L D Lᵀ for symmetric matrices (upper-triangle storage) and P A Pᵀ = L D U on the pattern of
/// A + Aᵀ for unsymmetric ones (full storage). Neither pivots: static pivots suit FEM tangents, which
/// stay close to symmetric positive definite on the diagonal, but not saddle-point systems with zero
/// diagonal blocks. A zero or negligible pivot raises <see cref="SingularMatrixException"/> naming the
/// equation. At most two threads: the two halves of the elimination tree below the top separator.
/// </summary>
public sealed class ManagedSparseSolver : ISparseSolver
{
    /// <summary>A pivot is negligible when |d_k| ≤ this × the largest magnitude in row k of A.</summary>
    public const double PivotTolerance = 1e-12;

    private readonly int _threads;
    private SymbolicFactorization? _symbolic;
    private SupernodalFactorization? _factor;
    private bool _factorized;

    /// <summary>Creates the solver; with two or more <paramref name="threads"/> (0 = all cores) the two halves
    /// of the elimination tree are factorised concurrently.</summary>
    public ManagedSparseSolver(int threads = 1)
    {
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
    }

    /// <inheritdoc/>
    public string Name => $"managed sparse LDLᵀ/LDU (nested dissection, supernodal, {Math.Min(_threads, 2)} thread{(_threads > 1 ? "s" : "")})";

    /// <summary>Structural nonzeros of L after <see cref="Analyze"/>, diagonal included (the fill measure).</summary>
    public long FactorNonZeros => _symbolic is null ? 0 : _symbolic.FactorNonZeros + _symbolic.Size;

    /// <inheritdoc/>
    public void Analyze(CsrMatrix matrix)
    {
        Dispose();
        _symbolic = new SymbolicFactorization(matrix);
        _factor = new SupernodalFactorization(_symbolic);
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
        _factor!.Factorize(matrix.Values, RowMagnitudes(matrix, s), PivotTolerance, _threads);
        _factorized = true;
    }

    /// <inheritdoc/>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        var s = _symbolic;
        if (s is null || _factor is null || !_factorized)
        {
            throw new InvalidOperationException("Factorize must succeed before Solve");
        }

        int[] perm = s.Permutation;
        var z = new double[s.Size];
        for (int k = 0; k < z.Length; k++)
        {
            z[k] = b[perm[k]];
        }

        _factor.Solve(z);
        for (int k = 0; k < z.Length; k++)
        {
            x[perm[k]] = z[k];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _symbolic = null;
        _factor = null;
        _factorized = false;
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
