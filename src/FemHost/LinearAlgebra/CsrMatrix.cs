namespace FemHost.LinearAlgebra;

/// <summary>
/// Square sparse matrix in compressed sparse row form (0-based, column indices sorted within each row).
/// The pattern (RowPointers, ColumnIndices) is built once per mesh and reused by every assembly; only
/// <see cref="Values"/> changes. For symmetric storage only the upper triangle (j ≥ i) is kept.
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Creates a matrix over a pattern, with zero values.</summary>
    public CsrMatrix(int size, int[] rowPointers, int[] columnIndices, bool upperTriangleOnly)
    {
        if (rowPointers.Length != size + 1 || rowPointers[size] != columnIndices.Length)
        {
            throw new ArgumentException("inconsistent CSR pattern");
        }

        (Size, RowPointers, ColumnIndices, IsUpperTriangle) = (size, rowPointers, columnIndices, upperTriangleOnly);
        Values = new double[columnIndices.Length];
    }

    /// <summary>Number of rows (= columns).</summary>
    public int Size { get; }

    /// <summary>Row start offsets, length Size + 1.</summary>
    public int[] RowPointers { get; }

    /// <summary>Column index of every stored entry, sorted within a row.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>Stored values.</summary>
    public double[] Values { get; }

    /// <summary>Whether only the upper triangle of a symmetric matrix is stored.</summary>
    public bool IsUpperTriangle { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeros => ColumnIndices.Length;

    /// <summary>Position of entry (i, j) in <see cref="Values"/>, or −1 if not in the pattern (binary search).</summary>
    public int IndexOf(int i, int j)
    {
        int k = Array.BinarySearch(ColumnIndices, RowPointers[i], RowPointers[i + 1] - RowPointers[i], j);
        return k >= 0 ? k : -1;
    }

    /// <summary>y = A x (expanding the symmetric upper-triangle storage).</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        y[..Size].Clear();
        for (int i = 0; i < Size; i++)
        {
            double s = 0;
            for (int k = RowPointers[i]; k < RowPointers[i + 1]; k++)
            {
                int j = ColumnIndices[k];
                s += Values[k] * x[j];
                if (IsUpperTriangle && j != i)
                {
                    y[j] += Values[k] * x[i];
                }
            }

            y[i] += s;
        }
    }
}

/// <summary>
/// A sparse direct solver behind one interface (PARDISO or the managed fallback). Lifecycle:
/// <see cref="Analyze"/> once per pattern (ordering, symbolic factorisation), then per Newton iteration
/// <see cref="Factorize"/> and <see cref="Solve"/>.
/// </summary>
public interface ISparseSolver : IDisposable
{
    /// <summary>Name shown in logs, e.g. "MKL PARDISO 2020.4 (4 threads)" or "managed LDLᵀ (AMD ordering)".</summary>
    string Name { get; }

    /// <summary>Symbolic analysis of the pattern of <paramref name="matrix"/> (values ignored).</summary>
    void Analyze(CsrMatrix matrix);

    /// <summary>Numeric factorisation of the current values (pattern as analysed).</summary>
    /// <exception cref="SingularMatrixException">The matrix is singular; the exception names the equation.</exception>
    void Factorize(CsrMatrix matrix);

    /// <summary>Solves A x = b with the last factorisation.</summary>
    void Solve(ReadOnlySpan<double> b, Span<double> x);
}

/// <summary>A zero or negligible pivot during factorisation.</summary>
public sealed class SingularMatrixException(int equation, string message) : Exception(message)
{
    /// <summary>0-based equation (row) where the pivot vanished, or −1 if unknown.</summary>
    public int Equation { get; } = equation;
}
