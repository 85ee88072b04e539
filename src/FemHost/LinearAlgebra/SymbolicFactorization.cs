namespace FemHost.LinearAlgebra;

/// <summary>
/// Everything about A = L D U (or L D Lᵀ) that depends only on the pattern, computed once per mesh and
/// reused by every numeric factorisation: the fill-reducing permutation P, the elimination tree of
/// P(A + Aᵀ)Pᵀ, the column pointers of L (and of Uᵀ, which has the same pattern), and where each
/// entry of the permuted matrix comes from in <see cref="CsrMatrix.Values"/>.
/// The elimination-tree and column-count algorithm is that of Davis's LDL (ACM TOMS 31, 2005, §2).
/// </summary>
internal sealed class SymbolicFactorization
{
    /// <summary>Runs the ordering and the symbolic factorisation of the pattern of <paramref name="a"/>.</summary>
    public SymbolicFactorization(CsrMatrix a)
    {
        Size = a.Size;
        IsSymmetric = a.IsUpperTriangle;
        RowPointers = a.RowPointers;
        ColumnIndices = a.ColumnIndices;
        int n = Size;

        Permutation = n == 0 ? [] : NestedDissectionOrdering.Compute(AdjacencyGraph.FromMatrix(a));
        InversePermutation = new int[n];
        for (int k = 0; k < n; k++)
        {
            InversePermutation[Permutation[k]] = k;
        }

        BuildPermutedEntries(a);
        BuildEliminationTree();
    }

    /// <summary>Number of equations.</summary>
    public int Size { get; }

    /// <summary>Whether the matrix is symmetric (upper-triangle storage): L D Lᵀ, else L D U.</summary>
    public bool IsSymmetric { get; }

    /// <summary>The analysed pattern's row pointers (to check that later matrices share it).</summary>
    public int[] RowPointers { get; }

    /// <summary>The analysed pattern's column indices.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>p[k] = original equation eliminated k-th.</summary>
    public int[] Permutation { get; }

    /// <summary>q[i] = elimination position of original equation i.</summary>
    public int[] InversePermutation { get; }

    /// <summary>Elimination-tree parent of each permuted column (−1 for a root).</summary>
    public int[] Parent { get; private set; } = [];

    /// <summary>Column pointers of L (strictly lower part), length Size + 1.</summary>
    public int[] LowerPointers { get; private set; } = [];

    /// <summary>
    /// Entries of the permuted matrix C = P A Pᵀ above the diagonal, by column: for permuted column k,
    /// positions UpperPointers[k]..UpperPointers[k+1] hold the permuted row (&lt; k) and the source index.
    /// </summary>
    public int[] UpperPointers { get; private set; } = [];

    /// <summary>Permuted row of each above-diagonal entry.</summary>
    public int[] UpperRows { get; private set; } = [];

    /// <summary>Index into <see cref="CsrMatrix.Values"/> of each above-diagonal entry.</summary>
    public int[] UpperSource { get; private set; } = [];

    /// <summary>For L D U: entries below the diagonal by permuted row (column &lt; k); same layout as Upper*.</summary>
    public int[] LowerRowPointers { get; private set; } = [];

    /// <summary>Permuted column of each below-diagonal entry (unsymmetric only).</summary>
    public int[] LowerColumns { get; private set; } = [];

    /// <summary>Index into <see cref="CsrMatrix.Values"/> of each below-diagonal entry (unsymmetric only).</summary>
    public int[] LowerSource { get; private set; } = [];

    /// <summary>Index into <see cref="CsrMatrix.Values"/> of the diagonal of each permuted row, −1 if absent.</summary>
    public int[] DiagonalSource { get; private set; } = [];

    /// <summary>Number of off-diagonal entries in L.</summary>
    public long FactorNonZeros => LowerPointers.Length == 0 ? 0 : LowerPointers[Size];

    /// <summary>Whether <paramref name="a"/> has the analysed pattern (same arrays or equal contents).</summary>
    public bool Matches(CsrMatrix a) =>
        a.Size == Size && a.IsUpperTriangle == IsSymmetric &&
        (ReferenceEquals(a.RowPointers, RowPointers) || a.RowPointers.AsSpan().SequenceEqual(RowPointers)) &&
        (ReferenceEquals(a.ColumnIndices, ColumnIndices) || a.ColumnIndices.AsSpan().SequenceEqual(ColumnIndices));

    private void BuildPermutedEntries(CsrMatrix a)
    {
        int n = Size;
        int[] rp = a.RowPointers, ci = a.ColumnIndices, q = InversePermutation;
        DiagonalSource = new int[n];
        Array.Fill(DiagonalSource, -1);
        var upperCount = new int[n + 1];
        var lowerCount = new int[n + 1];

        // An entry (i, j) lands at (q[i], q[j]). With symmetric storage it stands for both (i, j) and
        // (j, i), so it always goes to the upper part of C; otherwise above → U part, below → L part.
        for (int i = 0; i < n; i++)
        {
            for (int p = rp[i]; p < rp[i + 1]; p++)
            {
                int r = q[i], c = q[ci[p]];
                if (r == c)
                {
                    DiagonalSource[r] = p;
                }
                else if (IsSymmetric)
                {
                    upperCount[Math.Max(r, c) + 1]++;
                }
                else if (r < c)
                {
                    upperCount[c + 1]++;
                }
                else
                {
                    lowerCount[r + 1]++;
                }
            }
        }

        for (int k = 0; k < n; k++)
        {
            upperCount[k + 1] += upperCount[k];
            lowerCount[k + 1] += lowerCount[k];
        }

        UpperPointers = upperCount;
        UpperRows = new int[upperCount[n]];
        UpperSource = new int[upperCount[n]];
        LowerRowPointers = lowerCount;
        LowerColumns = new int[lowerCount[n]];
        LowerSource = new int[lowerCount[n]];
        var nextUpper = (int[])upperCount.Clone();
        var nextLower = (int[])lowerCount.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int p = rp[i]; p < rp[i + 1]; p++)
            {
                int r = q[i], c = q[ci[p]];
                if (r == c)
                {
                    continue;
                }

                if (IsSymmetric || r < c)
                {
                    int col = Math.Max(r, c);
                    int w = nextUpper[col]++;
                    (UpperRows[w], UpperSource[w]) = (Math.Min(r, c), p);
                }
                else
                {
                    int w = nextLower[r]++;
                    (LowerColumns[w], LowerSource[w]) = (c, p);
                }
            }
        }
    }

    /// <summary>
    /// Elimination tree and column counts of L for the pattern of C + Cᵀ: row k of L is the set of
    /// nodes reached by walking up the tree from each i with c_ik ≠ 0, i &lt; k (Liu 1990).
    /// </summary>
    private void BuildEliminationTree()
    {
        int n = Size;
        var parent = new int[n];
        var flag = new int[n];
        var count = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            parent[k] = -1;
            flag[k] = k;
            Walk(UpperPointers, UpperRows, k);
            if (!IsSymmetric)
            {
                Walk(LowerRowPointers, LowerColumns, k);
            }
        }

        var pointers = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            long next = (long)pointers[k] + count[k];
            if (next > Array.MaxLength)
            {
                throw new OutOfMemoryException(
                    $"the factor of this {n}-equation matrix would hold more than {Array.MaxLength} entries; use PARDISO");
            }

            pointers[k + 1] = (int)next;
        }

        Parent = parent;
        LowerPointers = pointers;

        void Walk(int[] ptr, int[] idx, int k)
        {
            for (int p = ptr[k]; p < ptr[k + 1]; p++)
            {
                for (int i = idx[p]; flag[i] != k; i = parent[i])
                {
                    if (parent[i] == -1)
                    {
                        parent[i] = k;
                    }

                    count[i]++;
                    flag[i] = k;
                }
            }
        }
    }
}
