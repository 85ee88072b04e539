using System.Runtime.InteropServices;

namespace FemHost.LinearAlgebra;

/// <summary>
/// Intel MKL PARDISO (Schenk &amp; Gärtner) behind <see cref="ISparseSolver"/>. Matrix type from the storage:
/// symmetric upper-triangle storage starts as mtype 2 (real SPD, Cholesky), the fastest, which elastic and
/// hardening tangents satisfy; when a factorisation meets a non-positive pivot (error −4: softening or
/// non-associated tangents lose definiteness) the solver re-analyses once and stays with mtype −2 (real
/// symmetric indefinite, Bunch–Kaufman pivoting). Full storage → mtype 11 (real unsymmetric, with scaling
/// and weighted matching). The fill-reducing ordering is FemHost's own <see cref="NestedDissectionOrdering"/>
/// given as a user permutation: on the 400 × 400 Q8 benchmark it halved the analysis time against
/// PARDISO's METIS for the same fill (docs/benchmarks.md).
/// Phases: 11 (symbolic factorisation) once per pattern, 22 (numeric factorisation) and 33
/// (forward/backward substitution; iterative refinement only after perturbed pivots) per Newton
/// iteration, −1 (release all memory) on <see cref="Dispose"/>. For mtype 11 the analysis uses the values
/// (matching and scaling), so it runs with the first factorisation (phase 12) instead of in Analyze.
/// The CSR arrays are copied to native memory because PARDISO may keep pointers to them between phases.
/// </summary>
public sealed unsafe class PardisoSolver : ISparseSolver
{
    private const int MaxFactors = 1, FactorIndex = 1, OneRightHandSide = 1, Quiet = 0;
    private readonly MklRuntime _mkl;
    private readonly int _threads;
    private readonly nint _handle;            // PARDISO's internal pointer array pt[64], must not move
    private readonly int[] _iparm = new int[64];
    private int _mtype;
    private int _n;
    private int* _rowPointers;
    private int* _columns;
    private double* _values;
    private int* _permutation;                // fill-reducing ordering: perm[k] = equation eliminated k-th
    private long _nonZeros;
    private bool _analysed;
    private bool _factorized;
    private bool _disposed;

    /// <summary>Creates a solver on a loaded MKL with <paramref name="threads"/> threads (0 = all cores).</summary>
    public PardisoSolver(MklRuntime mkl, int threads)
    {
        _mkl = mkl;
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _handle = (nint)NativeMemory.AllocZeroed(64, (nuint)sizeof(nint));
    }

    /// <inheritdoc/>
    public string Name =>
        $"MKL PARDISO {MklVersion} ({(_mkl.Reproducible ? "reproducible, " : "")}{(_mkl.Threading == MklThreading.Sequential ? "sequential, 1 thread" : $"GNU OpenMP, {_threads} threads")})";

    /// <summary>Number of nonzeros in the factors reported by PARDISO after analysis (iparm[17]).</summary>
    public long FactorNonZeros => _iparm[17];

    /// <summary>PARDISO matrix type in use: 2 (SPD), −2 (symmetric indefinite) or 11 (unsymmetric); 0 before Analyze.</summary>
    public int MatrixType => _mtype;

    /// <summary>Number of perturbed pivots in the last factorisation (iparm[13]).</summary>
    public int PerturbedPivots => _iparm[13];

    private string MklVersion
    {
        get
        {
            int at = _mkl.Version.IndexOf("Version ", StringComparison.Ordinal);
            return at < 0 ? _mkl.Version : _mkl.Version[(at + 8)..].Split(' ')[0];
        }
    }

    /// <inheritdoc/>
    public void Analyze(CsrMatrix matrix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Release();
        _n = matrix.Size;
        _mtype = matrix.IsUpperTriangle ? 2 : 11;
        _nonZeros = matrix.NonZeros;
        _rowPointers = Copy(matrix.RowPointers);
        _columns = Copy(matrix.ColumnIndices);
        _values = (double*)NativeMemory.Alloc((nuint)Math.Max(1, matrix.NonZeros), sizeof(double));
        _permutation = (int*)NativeMemory.AllocZeroed((nuint)Math.Max(1, _n), sizeof(int));
        NestedDissectionOrdering.Compute(AdjacencyGraph.FromMatrix(matrix)).AsSpan().CopyTo(new Span<int>(_permutation, _n));
        InitialiseParameters();
        if (_mtype != 11)
        {
            Call(11, null, null);   // values are not used by the symmetric analysis
            _analysed = true;
        }
    }

    /// <inheritdoc/>
    public void Factorize(CsrMatrix matrix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rowPointers is null)
        {
            throw new InvalidOperationException("Analyze must be called before Factorize");
        }

        if (matrix.Size != _n || matrix.NonZeros != _nonZeros)
        {
            throw new InvalidOperationException("the matrix pattern differs from the analysed one; call Analyze again");
        }

        _factorized = false;
        matrix.Values.AsSpan().CopyTo(new Span<double>(_values, matrix.NonZeros));
        int error = Call(_analysed ? 22 : 12, null, null, throwOnError: false);
        _analysed = true;
        if (error == -4 && _mtype == 2)
        {
            // Cholesky met a pivot ≤ 0: the matrix is not positive definite. Switch to the
            // indefinite type for the rest of the run (one more analysis) and factorise again.
            Call(-1, null, null, throwOnError: false);
            _mtype = -2;
            InitialiseParameters();
            Call(11, null, null);
            error = Call(22, null, null, throwOnError: false);
        }

        if (error == -4 || error == -7)
        {
            throw new SingularMatrixException(-1,
                $"the matrix is singular (PARDISO error {error}: {Describe(error)}); a rigid-body mode is probably not restrained");
        }

        ThrowOnError(error, 22);
        if (_mtype == -2 && _iparm[13] > 0)
        {
            // Bunch–Kaufman pivots below ε‖A‖ are perturbed instead of failing: for a FEM tangent
            // that means a (numerically) singular matrix. Name the equation with the smallest factor pivot.
            int equation = SmallestPivotEquation();
            throw new SingularMatrixException(equation,
                $"the matrix is singular: PARDISO perturbed {_iparm[13]} pivot(s), the smallest relative pivot at equation {equation}; " +
                "a rigid-body mode is probably not restrained, or the material tangent has lost definiteness there");
        }

        _factorized = true;
    }

    /// <inheritdoc/>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_factorized)
        {
            throw new InvalidOperationException("Factorize must succeed before Solve");
        }

        var rhs = b[.._n].ToArray();   // PARDISO may overwrite b during iterative refinement
        int error;
        fixed (double* pb = rhs)
        fixed (double* px = x)
        {
            error = Call(33, pb, px, throwOnError: false);
        }

        if (error == -4)
        {
            // A zero pivot met during iterative refinement: the factorised tangent is numerically singular.
            // The Newton solver treats this like a singular factorisation (step cut-back), not as a crash.
            throw new SingularMatrixException(-1, $"the matrix is numerically singular (PARDISO solve, error {error}: {Describe(error)})");
        }

        ThrowOnError(error, 33);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Release();
        NativeMemory.Free((void*)_handle);
        _disposed = true;
    }

    /// <summary>Text of a PARDISO error code (MKL reference, pardiso "error" parameter).</summary>
    public static string Describe(int error) => error switch
    {
        0 => "no error",
        -1 => "input inconsistent",
        -2 => "not enough memory",
        -3 => "reordering problem",
        -4 => "zero pivot, numerical factorisation or iterative refinement problem",
        -5 => "unclassified (internal) error",
        -6 => "reordering failed",
        -7 => "diagonal matrix is singular",
        -8 => "32-bit integer overflow (use the 64-bit interface)",
        -9 => "not enough memory for the out-of-core solver",
        -10 => "error opening out-of-core files",
        -11 => "read/write error with out-of-core files",
        -12 => "pardiso_64 called from a 32-bit library",
        -13 => "interrupted by mkl_progress",
        -15 => "internal error of the two-level factorisation",
        _ => "unknown error",
    };

    /// <summary>Every iparm entry FemHost relies on is set explicitly (iparm[0] = 1: no solver defaults).</summary>
    private void InitialiseParameters()
    {
        Array.Clear(_iparm);
        fixed (int* iparm = _iparm)
        {
            int mtype = _mtype;
            _mkl.PardisoInit(_handle, &mtype, iparm);   // zeroes pt and fills defaults we then override
        }

        bool unsymmetric = _mtype == 11;
        _iparm[0] = 1;                   // user-supplied iparm
        _iparm[1] = 2;                   // METIS nested dissection (not used: the ordering is given, iparm[4])
        _iparm[3] = 0;                   // direct solve, no CGS preconditioning
        _iparm[4] = 1;                   // user fill-reducing permutation in perm
        _iparm[5] = 0;                   // solution written to x, b untouched
        _iparm[7] = 0;                   // iterative refinement (2 steps) only after perturbed pivots
        _iparm[9] = unsymmetric ? 13 : 8;    // pivot perturbation 10^-13 (unsymmetric) / 10^-8 (symmetric)
        _iparm[10] = unsymmetric ? 1 : 0;    // scaling (needs values at analysis)
        _iparm[12] = unsymmetric ? 1 : 0;    // weighted matching (idem)
        _iparm[17] = -1;                 // report nonzeros in the factors
        _iparm[18] = 0;                  // no Mflop report
        _iparm[20] = 1;                  // Bunch–Kaufman 1×1 and 2×2 pivoting for symmetric indefinite
        _iparm[23] = 0;                  // classic parallel factorisation
        _iparm[24] = 0;                  // sequential forward/backward solve
        _iparm[26] = 0;                  // no matrix checker (the host builds valid CSR)
        _iparm[27] = 0;                  // double precision
        _iparm[34] = 1;                  // zero-based CSR indexing
        _iparm[55] = 1;                  // enable pardiso_getdiag (to name a singular equation)
        _iparm[59] = 0;                  // in-core
    }

    private int Call(int phase, double* b, double* x, bool throwOnError = true)
    {
        _mkl.SetThreads(_threads);
        int maxfct = MaxFactors, mnum = FactorIndex, mtype = _mtype, n = _n, nrhs = OneRightHandSide, msglvl = Quiet, error = 0;
        fixed (int* iparm = _iparm)
        {
            _mkl.Pardiso(_handle, &maxfct, &mnum, &mtype, &phase, &n, _values, _rowPointers, _columns, _permutation, &nrhs, iparm, &msglvl, b, x, &error);
        }

        if (throwOnError)
        {
            ThrowOnError(error, phase);
        }

        return error;
    }

    private static void ThrowOnError(int error, int phase)
    {
        if (error == -2 || error == -9)
        {
            throw new OutOfMemoryException($"PARDISO phase {phase}: {Describe(error)}");
        }

        if (error != 0)
        {
            throw new InvalidOperationException($"PARDISO phase {phase} failed with error {error}: {Describe(error)}");
        }
    }

    private int SmallestPivotEquation()
    {
        var factor = new double[_n];
        var original = new double[_n];
        int mnum = FactorIndex, error = 0;
        fixed (double* df = factor)
        fixed (double* da = original)
        {
            _mkl.PardisoGetDiagonal(_handle, df, da, &mnum, &error);
        }

        if (error != 0)
        {
            return -1;
        }

        // Both diagonals come in PARDISO's elimination order, and perm[k] is the equation eliminated
        // k-th (checked: an equation with an all-zero row is reported at its own index).
        // A pivot is judged relative to its matrix diagonal, or to the mean diagonal where that is ~0.
        double mean = 0;
        for (int k = 0; k < _n; k++)
        {
            mean += Math.Abs(original[k]) / _n;
        }

        int worst = -1;
        double smallest = double.PositiveInfinity;
        for (int k = 0; k < _n; k++)
        {
            double r = Math.Abs(factor[k]) / Math.Max(Math.Abs(original[k]), mean);
            if (r < smallest)
            {
                (smallest, worst) = (r, k);
            }
        }

        return worst < 0 ? -1 : _permutation[worst];
    }

    private void Release()
    {
        if (_rowPointers is not null)
        {
            if (_analysed)
            {
                Call(-1, null, null, throwOnError: false);
            }

            NativeMemory.Free(_rowPointers);
            NativeMemory.Free(_columns);
            NativeMemory.Free(_values);
            NativeMemory.Free(_permutation);
            _rowPointers = null;
            _columns = null;
            _values = null;
            _permutation = null;
        }

        (_analysed, _factorized) = (false, false);
    }

    private static int* Copy(int[] source)
    {
        var p = (int*)NativeMemory.Alloc((nuint)Math.Max(1, source.Length), sizeof(int));
        source.AsSpan().CopyTo(new Span<int>(p, source.Length));
        return p;
    }
}
