using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FemHost.LinearAlgebra;

/// <summary>
/// Supernodal right-looking factorisation over a <see cref="SymbolicFactorization"/> (Ng &amp; Peyton 1993;
/// Davis, <i>Direct Methods for Sparse Linear Systems</i>, §9.1): P A Pᵀ = L D Lᵀ for symmetric matrices,
/// and L D U on the pattern of A + Aᵀ, without pivoting, for unsymmetric ones (U is stored as Uᵀ with
/// the layout of L). Columns of L with nested identical structure (a chain in the elimination tree with
/// column counts falling by one) form a supernode, stored as one dense column-major panel over its row
/// list. Each panel is factorised densely and its Schur complement (L_R D L_Rᵀ, or L_R D U_R and its
/// transpose counterpart) is added to the ancestor panels through relative row indices. The dense
/// kernels are vectorised axpys; FEM separators give wide panels, which is what makes this several times
/// faster than a column-by-column (simplicial) algorithm.
/// </summary>
internal sealed class SupernodalFactorization
{
    private readonly SymbolicFactorization _s;
    private readonly int[] _first;           // first column of each supernode; _first[S] = n
    private readonly int[] _supernodeOf;     // supernode of each column
    private readonly int[] _rowStart;        // start of each supernode's row list in _rows
    private readonly int[] _rows;            // row lists: the supernode's own columns, then the rows below
    private readonly long[] _panelStart;     // start of each panel in _values (column-major, leading dim = row count)
    private readonly long[] _upperTarget;    // where each above-diagonal entry of P A Pᵀ goes (in L, or in Uᵀ)
    private readonly long[] _lowerTarget;    // where each below-diagonal entry goes in L (unsymmetric only)
    private readonly long[] _diagonalTarget; // where each diagonal entry goes in L
    private readonly bool _symmetric;
    private readonly double[] _values;       // panels of L
    private readonly double[] _upper;        // panels of Uᵀ (the same array as _values when symmetric)
    private readonly double[] _d;
    private readonly int[] _task;            // 0 or 1: the two independent halves of the tree; −1: their common ancestors
    private readonly long[] _privateStart;   // for common ancestors: start of the panel in the private copy, else −1
    private readonly double[] _privateLower; // task 1's updates to the common ancestors, added after both halves
    private readonly double[] _privateUpper;
    private readonly bool _splittable;

    /// <summary>Finds the supernodes and their row structure, and maps matrix entries to panel positions.</summary>
    public SupernodalFactorization(SymbolicFactorization s)
    {
        _s = s;
        _symmetric = s.IsSymmetric;
        int n = s.Size;
        int[] parent = s.Parent, lp = s.LowerPointers;
        var children = new int[n];
        for (int j = 0; j < n; j++)
        {
            if (parent[j] >= 0)
            {
                children[parent[j]]++;
            }
        }

        // Fundamental supernodes: j joins j − 1 when j is its parent, its only child, and
        // column j's structure is column (j − 1)'s minus row j.
        _supernodeOf = new int[n];
        var first = new List<int>();
        for (int j = 0; j < n; j++)
        {
            bool extends = j > 0 && parent[j - 1] == j && children[j] == 1 &&
                           lp[j] - lp[j - 1] == lp[j + 1] - lp[j] + 1;
            if (!extends)
            {
                first.Add(j);
            }

            _supernodeOf[j] = first.Count - 1;
        }

        first.Add(n);
        _first = [.. first];
        int supernodes = _first.Length - 1;

        // Row list of supernode J = [f_J .. l_J] ∪ (structure of column f_J below l_J); its length is
        // 1 + count(f_J). The structure comes from the row subtrees: row k of L holds every column
        // reached walking up the tree from each i with c_ik ≠ 0 (Liu 1990), in increasing k.
        _rowStart = new int[supernodes + 1];
        _panelStart = new long[supernodes + 1];
        for (int J = 0; J < supernodes; J++)
        {
            int f = _first[J], width = _first[J + 1] - f, m = 1 + lp[f + 1] - lp[f];
            _rowStart[J + 1] = checked(_rowStart[J] + m);
            _panelStart[J + 1] = _panelStart[J] + (long)m * width;
        }

        if (_panelStart[supernodes] > Array.MaxLength)
        {
            throw new OutOfMemoryException($"the factor of this {n}-equation matrix holds {_panelStart[supernodes]} entries, more than one array can; use PARDISO");
        }

        _rows = new int[_rowStart[supernodes]];
        var fill = new int[supernodes];
        var flag = new int[n];
        for (int k = 0; k < n; k++)
        {
            flag[k] = k;
            int K = _supernodeOf[k];
            if (_first[K] == k)
            {
                _rows[_rowStart[K] + fill[K]++] = k;
            }

            for (int p = s.UpperPointers[k]; p < s.UpperPointers[k + 1]; p++)
            {
                AddRowToSupernodes(s.UpperRows[p], k);
            }

            for (int p = s.LowerRowPointers[k]; p < s.LowerRowPointers[k + 1]; p++)
            {
                AddRowToSupernodes(s.LowerColumns[p], k);
            }
        }

        _upperTarget = new long[s.UpperRows.Length];
        for (int k = 0; k < n; k++)
        {
            for (int p = s.UpperPointers[k]; p < s.UpperPointers[k + 1]; p++)
            {
                _upperTarget[p] = Position(k, s.UpperRows[p]);
            }
        }

        _lowerTarget = new long[s.LowerColumns.Length];
        for (int k = 0; k < n; k++)
        {
            for (int p = s.LowerRowPointers[k]; p < s.LowerRowPointers[k + 1]; p++)
            {
                _lowerTarget[p] = Position(k, s.LowerColumns[p]);
            }
        }

        _diagonalTarget = new long[n];
        for (int k = 0; k < n; k++)
        {
            _diagonalTarget[k] = Position(k, k);
        }

        _values = new double[_panelStart[supernodes]];
        _upper = _symmetric ? _values : new double[_panelStart[supernodes]];
        _d = new double[n];
        (_task, _privateStart, long privateSize, _splittable) = SplitInTwo(parent);
        _privateLower = new double[privateSize];
        _privateUpper = _symmetric ? _privateLower : new double[privateSize];

        // Row k belongs to every column met walking up the tree from i; the walk stops at a column
        // already flagged for k. Only first columns of supernodes record their rows.
        void AddRowToSupernodes(int i, int k)
        {
            for (; flag[i] != k; i = parent[i])
            {
                flag[i] = k;
                int J = _supernodeOf[i];
                if (_first[J] == i)
                {
                    _rows[_rowStart[J] + fill[J]++] = k;
                }
            }
        }
    }

    /// <summary>Number of supernodes.</summary>
    public int SupernodeCount => _first.Length - 1;

    /// <summary>Whether the tree splits into two independent halves (so that two threads can factorise them).</summary>
    public bool CanUseTwoThreads => _splittable;

    /// <summary>
    /// Numeric factorisation of the permuted matrix whose values are <paramref name="ax"/>; with two or more
    /// <paramref name="threads"/> the two independent halves of the elimination tree run concurrently.
    /// </summary>
    public void Factorize(double[] ax, double[] rowScale, double pivotTolerance, int threads)
    {
        var s = _s;
        double[] lx = _values, ux = _upper;
        Array.Clear(lx);
        if (!_symmetric)
        {
            Array.Clear(ux);
        }

        for (int p = 0; p < _upperTarget.Length; p++)
        {
            ux[_upperTarget[p]] += ax[s.UpperSource[p]];
        }

        for (int p = 0; p < _lowerTarget.Length; p++)
        {
            lx[_lowerTarget[p]] += ax[s.LowerSource[p]];
        }

        for (int k = 0; k < s.Size; k++)
        {
            int src = s.DiagonalSource[k];
            lx[_diagonalTarget[k]] += src >= 0 ? ax[src] : 0.0;
        }

        if (!CanUseTwoThreads)
        {
            FactorTask(null, rowScale, pivotTolerance);
            return;
        }

        // Each half writes only its own panels and the common ancestors; task 1 writes the latter into a
        // private copy, so the halves share nothing until the copy is added back. One thread follows the
        // same order (half 0, half 1, then the sum), so every sum is formed in the same order whatever the
        // thread count and the factors are bit-identical with one or two threads.
        Array.Clear(_privateLower);
        if (!_symmetric)
        {
            Array.Clear(_privateUpper);
        }

        if (threads < 2)
        {
            FactorTask(0, rowScale, pivotTolerance);
            FactorTask(1, rowScale, pivotTolerance);
        }
        else
        {
            try
            {
                Parallel.Invoke(() => FactorTask(0, rowScale, pivotTolerance), () => FactorTask(1, rowScale, pivotTolerance));
            }
            catch (AggregateException e) when (e.InnerExceptions.OfType<SingularMatrixException>().FirstOrDefault() is { } singular)
            {
                throw singular;
            }
        }

        for (int J = 0; J < SupernodeCount; J++)
        {
            if (_privateStart[J] < 0)
            {
                continue;
            }

            int size = (int)(_panelStart[J + 1] - _panelStart[J]);
            AddTo(_values.AsSpan((int)_panelStart[J], size), _privateLower.AsSpan((int)_privateStart[J], size));
            if (!_symmetric)
            {
                AddTo(_upper.AsSpan((int)_panelStart[J], size), _privateUpper.AsSpan((int)_privateStart[J], size));
            }
        }

        FactorTask(-1, rowScale, pivotTolerance);
    }

    /// <summary>Factorises, in order, the supernodes of one task (null: all of them).</summary>
    private void FactorTask(int? task, double[] rowScale, double pivotTolerance)
    {
        var relative = new int[MaxRows()];
        var lowerBuffer = new double[relative.Length];
        var upperBuffer = _symmetric ? lowerBuffer : new double[relative.Length];
        for (int J = 0; J < SupernodeCount; J++)
        {
            if (task is null || _task[J] == task)
            {
                FactorPanel(J, rowScale, pivotTolerance);
                UpdateAncestors(J, relative, lowerBuffer, upperBuffer, toPrivateCopy: task == 1);
            }
        }
    }

    /// <summary>Solves L D Lᵀ z = z (or L D U z = z) in place, z in elimination order.</summary>
    public void Solve(Span<double> z)
    {
        double[] lx = _values;
        int supernodes = SupernodeCount;
        for (int J = 0; J < supernodes; J++)
        {
            int f = _first[J], w = _first[J + 1] - f, m = _rowStart[J + 1] - _rowStart[J];
            var rows = _rows.AsSpan(_rowStart[J], m);
            for (int c = 0; c < w; c++)
            {
                double zc = z[f + c];
                var col = lx.AsSpan((int)(_panelStart[J] + (long)c * m), m);
                for (int r = c + 1; r < m; r++)
                {
                    z[rows[r]] -= col[r] * zc;
                }
            }
        }

        for (int k = 0; k < z.Length; k++)
        {
            z[k] /= _d[k];
        }

        double[] ut = _upper;
        for (int J = supernodes - 1; J >= 0; J--)
        {
            int f = _first[J], w = _first[J + 1] - f, m = _rowStart[J + 1] - _rowStart[J];
            var rows = _rows.AsSpan(_rowStart[J], m);
            for (int c = w - 1; c >= 0; c--)
            {
                var col = ut.AsSpan((int)(_panelStart[J] + (long)c * m), m);
                double zc = z[f + c];
                for (int r = c + 1; r < m; r++)
                {
                    zc -= col[r] * z[rows[r]];
                }

                z[f + c] = zc;
            }
        }
    }

    /// <summary>
    /// Dense factorisation of panel J, left-looking inside the panel, checking every pivot:
    /// L(r, c) −= L(r, k) d_k U(k, c) and Uᵀ(r, c) −= Uᵀ(r, k) d_k L(c, k) for k &lt; c ≤ r, then division by d_c.
    /// </summary>
    private void FactorPanel(int J, double[] rowScale, double pivotTolerance)
    {
        int f = _first[J], w = _first[J + 1] - f, m = _rowStart[J + 1] - _rowStart[J];
        var lower = _values.AsSpan((int)_panelStart[J], m * w);
        var upper = _upper.AsSpan((int)_panelStart[J], m * w);
        for (int c = 0; c < w; c++)
        {
            var lc = lower.Slice(c * m + c, m - c);
            var uc = upper.Slice(c * m + c, m - c);
            for (int k = 0; k < c; k++)
            {
                Axpy(lc, lower.Slice(k * m + c, m - c), -_d[f + k] * upper[k * m + c]);
                if (!_symmetric)
                {
                    Axpy(uc, upper.Slice(k * m + c, m - c), -_d[f + k] * lower[k * m + c]);
                }
            }

            double pivot = lc[0];
            int k0 = f + c;
            if (!(Math.Abs(pivot) > pivotTolerance * rowScale[k0]))
            {
                int equation = _s.Permutation[k0];
                throw new SingularMatrixException(equation,
                    $"the matrix is singular: pivot {pivot:G3} at equation {equation} (row scale {rowScale[k0]:G3}); " +
                    "a rigid-body mode is probably not restrained, or the material tangent has lost definiteness there");
            }

            _d[k0] = pivot;
            double inverse = 1.0 / pivot;
            Scale(lc, inverse);
            if (!_symmetric)
            {
                Scale(uc, inverse);
            }
        }
    }

    /// <summary>Divides the column below its diagonal by the pivot and sets the unit diagonal.</summary>
    private static void Scale(Span<double> column, double inverse)
    {
        column[0] = 1.0;
        for (int r = 1; r < column.Length; r++)
        {
            column[r] *= inverse;
        }
    }

    /// <summary>
    /// Adds the Schur complement of panel J to its ancestors, one target column t = R_j at a time:
    /// L(R_a, t) −= Σ_k L(R_a, k) d_k U(k, t) and, when unsymmetric, Uᵀ(R_a, t) −= Σ_k Uᵀ(R_a, k) d_k L(t, k),
    /// for a ≥ j. The rows R of J map into each target panel's row list by one merge per target supernode.
    /// </summary>
    private void UpdateAncestors(int J, int[] relative, double[] lowerBuffer, double[] upperBuffer, bool toPrivateCopy)
    {
        int f = _first[J], w = _first[J + 1] - f, m = _rowStart[J + 1] - _rowStart[J];
        int below = m - w;
        if (below == 0)
        {
            return;
        }

        var rows = _rows.AsSpan(_rowStart[J] + w, below);
        var lower = _values.AsSpan((int)_panelStart[J], m * w);
        var upper = _upper.AsSpan((int)_panelStart[J], m * w);
        var d = _d.AsSpan(f, w);
        int b = 0;
        while (b < below)
        {
            int T = _supernodeOf[rows[b]];
            int tf = _first[T], tl = _first[T + 1] - 1, tm = _rowStart[T + 1] - _rowStart[T];
            var targetRows = _rows.AsSpan(_rowStart[T], tm);
            int end = b;
            while (end < below && rows[end] <= tl)
            {
                end++;
            }

            for (int a = b, q = rows[b] - tf; a < below; a++)
            {
                while (targetRows[q] != rows[a])
                {
                    q++;
                }

                relative[a] = q;
            }

            for (int j = b; j < end; j++)
            {
                bool toPrivate = toPrivateCopy && _privateStart[T] >= 0;
                long offset = (toPrivate ? _privateStart[T] : _panelStart[T]) + (long)(rows[j] - tf) * tm;
                var lc = SchurColumn(lowerBuffer, lower, upper, d, m, w, j, below);
                Subtract((toPrivate ? _privateLower : _values).AsSpan((int)offset, tm), lc, relative, j);
                if (!_symmetric)
                {
                    var uc = SchurColumn(upperBuffer, upper, lower, d, m, w, j, below);
                    Subtract((toPrivate ? _privateUpper : _upper).AsSpan((int)offset, tm), uc, relative, j);
                }
            }

            b = end;
        }
    }

    /// <summary>column[a − j] = Σ_k X(R_a, k) d_k Y(R_j, k) for a = j … below − 1 (X, Y: the panel's L or Uᵀ).</summary>
    private static Span<double> SchurColumn(double[] buffer, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> d,
        int m, int w, int j, int below)
    {
        int len = below - j;
        var column = buffer.AsSpan(0, len);
        column.Clear();
        int k = 0, r = w + j;
        for (; k + 3 < w; k += 4)
        {
            Axpy4(column,
                x.Slice(k * m + r, len), x.Slice((k + 1) * m + r, len), x.Slice((k + 2) * m + r, len), x.Slice((k + 3) * m + r, len),
                d[k] * y[k * m + r], d[k + 1] * y[(k + 1) * m + r], d[k + 2] * y[(k + 2) * m + r], d[k + 3] * y[(k + 3) * m + r]);
        }

        for (; k < w; k++)
        {
            Axpy(column, x.Slice(k * m + r, len), d[k] * y[k * m + r]);
        }

        return column;
    }

    /// <summary>target[relative[a]] −= column[a − j]: the scatter into the ancestor panel's column.</summary>
    private static void Subtract(Span<double> target, ReadOnlySpan<double> column, int[] relative, int j)
    {
        for (int a = 0; a < column.Length; a++)
        {
            target[relative[a + j]] -= column[a];
        }
    }

    /// <summary>
    /// Splits the supernodal elimination tree for two threads: descend from the root while a supernode
    /// has a single child; the supernodes met are the common ancestors (task −1, done last); the subtrees
    /// below the first branching are dealt to task 0 or 1, heaviest first to the lighter task, weighing
    /// a panel by m²w (its dense work). A tree without a branching (a chain) is not split.
    /// </summary>
    private (int[] Task, long[] PrivateStart, long PrivateSize, bool Splittable) SplitInTwo(int[] parent)
    {
        int supernodes = SupernodeCount;
        var superParent = new int[supernodes];
        var work = new double[supernodes];
        var childHead = new int[supernodes + 1];   // children of J as a linked list; index S holds the roots
        var next = new int[supernodes];
        Array.Fill(childHead, -1);
        for (int J = 0; J < supernodes; J++)
        {
            int last = _first[J + 1] - 1, w = _first[J + 1] - _first[J], m = _rowStart[J + 1] - _rowStart[J];
            superParent[J] = parent[last] < 0 ? -1 : _supernodeOf[parent[last]];
            work[J] += (double)m * m * w;
            int p = superParent[J] < 0 ? supernodes : superParent[J];
            if (superParent[J] >= 0)
            {
                work[superParent[J]] += work[J];
            }

            next[J] = childHead[p];
            childHead[p] = J;
        }

        var task = new int[supernodes];
        var privateStart = new long[supernodes];
        Array.Fill(privateStart, -1);
        int split = supernodes;   // descend the chain of single children from the (single) root
        var common = new List<int>();
        while (childHead[split] >= 0 && next[childHead[split]] < 0)
        {
            split = childHead[split];
            common.Add(split);
        }

        if (childHead[split] < 0)
        {
            Array.Fill(task, -1);
            return (task, privateStart, 0, false);
        }

        // Deal the subtrees below the branching, heaviest first, to the lighter task.
        var subtrees = new List<int>();
        for (int c = childHead[split]; c >= 0; c = next[c])
        {
            subtrees.Add(c);
        }

        var load = new double[2];
        var group = new Dictionary<int, int>();
        foreach (int c in subtrees.OrderByDescending(c => work[c]))
        {
            int t = load[0] <= load[1] ? 0 : 1;
            group[c] = t;
            load[t] += work[c];
        }

        var isCommon = new bool[supernodes];
        long size = 0;
        foreach (int J in common)
        {
            isCommon[J] = true;
            privateStart[J] = size;
            size += _panelStart[J + 1] - _panelStart[J];
        }

        for (int J = supernodes - 1; J >= 0; J--)
        {
            task[J] = isCommon[J] ? -1
                : group.TryGetValue(J, out int t) ? t
                : task[superParent[J]];
        }

        return (task, privateStart, size, true);
    }

    private static void AddTo(Span<double> target, ReadOnlySpan<double> source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    private long Position(int row, int column)
    {
        int J = _supernodeOf[column];
        int f = _first[J], w = _first[J + 1] - f, m = _rowStart[J + 1] - _rowStart[J];
        int r = row - f < w ? row - f : Array.BinarySearch(_rows, _rowStart[J] + w, m - w, row) - _rowStart[J];
        if (r < 0)
        {
            throw new InvalidOperationException($"entry ({row}, {column}) is outside the symbolic structure");
        }

        return _panelStart[J] + (long)(column - f) * m + r;
    }

    private int MaxRows()
    {
        int max = 1;
        for (int J = 0; J < SupernodeCount; J++)
        {
            max = Math.Max(max, _rowStart[J + 1] - _rowStart[J]);
        }

        return max;
    }

    /// <summary>y += a x (vectorised).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(Span<double> y, ReadOnlySpan<double> x, double a)
    {
        int n = y.Length, i = 0;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double rx = ref MemoryMarshal.GetReference(x);
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var vy = Vector.LoadUnsafe(ref ry, (nuint)i) + va * Vector.LoadUnsafe(ref rx, (nuint)i);
                vy.StoreUnsafe(ref ry, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
        }
    }

    /// <summary>y += a0 x0 + a1 x1 + a2 x2 + a3 x3 (one pass over y for four columns).</summary>
    private static void Axpy4(Span<double> y, ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2,
        ReadOnlySpan<double> x3, double a0, double a1, double a2, double a3)
    {
        int n = y.Length, i = 0;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r0 = ref MemoryMarshal.GetReference(x0);
        ref double r1 = ref MemoryMarshal.GetReference(x1);
        ref double r2 = ref MemoryMarshal.GetReference(x2);
        ref double r3 = ref MemoryMarshal.GetReference(x3);
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> v0 = new(a0), v1 = new(a1), v2 = new(a2), v3 = new(a3);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                nuint u = (nuint)i;
                var vy = Vector.LoadUnsafe(ref ry, u) + v0 * Vector.LoadUnsafe(ref r0, u) + v1 * Vector.LoadUnsafe(ref r1, u)
                         + v2 * Vector.LoadUnsafe(ref r2, u) + v3 * Vector.LoadUnsafe(ref r3, u);
                vy.StoreUnsafe(ref ry, u);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ry, i) += a0 * Unsafe.Add(ref r0, i) + a1 * Unsafe.Add(ref r1, i) + a2 * Unsafe.Add(ref r2, i) + a3 * Unsafe.Add(ref r3, i);
        }
    }
}
