using System.Runtime.InteropServices;
using System.Text;

namespace FemHost.LinearAlgebra;

/// <summary>MKL threading layer (MKL_Set_Threading_Layer codes).</summary>
public enum MklThreading
{
    /// <summary>MKL_THREADING_SEQUENTIAL: one thread, no OpenMP runtime needed.</summary>
    Sequential = 1,

    /// <summary>MKL_THREADING_GNU: OpenMP through GCC's libgomp, which must be loaded globally first.</summary>
    Gnu = 3,
}

/// <summary>
/// The single process-wide binding to Intel MKL's run-time dispatch library libmkl_rt.so (Debian's
/// <c>libmkl-rt</c>, MKL 2020.4). Loading resolves the entry points through <see cref="NativeLibrary"/>
/// and selects the threading layer before any other MKL call, as MKL requires: Debian ships no Intel
/// OpenMP runtime (libiomp5), so MKL's default Intel layer fails with "undefined symbol: omp_in_parallel";
/// the GNU layer needs libgomp's symbols visible globally, which .NET's own loader does not do, so it is
/// dlopen'ed with RTLD_GLOBAL. The layer is fixed for the life of the process: the first load wins.
/// </summary>
public sealed unsafe class MklRuntime
{
    private const string LibraryName = "libmkl_rt.so";
    private static readonly Lock Gate = new();
    private static MklRuntime? _instance;
    private static string? _failure;

    private readonly delegate* unmanaged<int, int> _setNumThreads;

    private MklRuntime(nint library, MklThreading threading)
    {
        Threading = threading;
        var setLayer = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "MKL_Set_Threading_Layer");
        setLayer((int)threading);   // must precede every other MKL call
        // Conditional numerical reproducibility, before any computational call: MKL_CBWR_AUTO (2) fixes the code
        // branch and the order of the parallel reductions, so PARDISO's factors are bit-identical whatever the
        // thread count (measured: the biaxial DH case with 1 and 2 threads, docs/checkpoints.md).
        var setReproducibility = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "MKL_CBWR_Set"); // by value: the lower-case names are the Fortran, by-reference entry points
        var getReproducibility = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "MKL_CBWR_Get");
        Reproducible = setReproducibility(CbwrAuto) == 0 && getReproducibility(CbwrBranch) == CbwrAuto;
        _setNumThreads = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "MKL_Set_Num_Threads");
        Pardiso = (delegate* unmanaged<nint, int*, int*, int*, int*, int*, double*, int*, int*, int*, int*, int*, int*, double*, double*, int*, void>)
            NativeLibrary.GetExport(library, "pardiso");
        PardisoInit = (delegate* unmanaged<nint, int*, int*, void>)NativeLibrary.GetExport(library, "pardisoinit");
        PardisoGetDiagonal = (delegate* unmanaged<nint, double*, double*, int*, int*, void>)
            NativeLibrary.GetExport(library, "pardiso_getdiag");
        var version = (delegate* unmanaged<byte*, int, void>)NativeLibrary.GetExport(library, "MKL_Get_Version_String");
        var buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        version(buffer, 255);
        Version = Encoding.ASCII.GetString(buffer, new Span<byte>(buffer, 256).IndexOf((byte)0)).Trim();
    }

    private const int CbwrBranch = 1, CbwrAuto = 2;   // MKL_CBWR_BRANCH, MKL_CBWR_AUTO (mkl_cbwr.h)

    /// <summary>Whether MKL runs in conditional-numerical-reproducibility mode (results independent of the thread count).</summary>
    public bool Reproducible { get; }

    /// <summary>The threading layer in use.</summary>
    public MklThreading Threading { get; }

    /// <summary>MKL's version string, e.g. "Intel(R) Math Kernel Library Version 2020.0.4 ...".</summary>
    public string Version { get; }

    /// <summary>pardiso(pt, maxfct, mnum, mtype, phase, n, a, ia, ja, perm, nrhs, iparm, msglvl, b, x, error), LP64.</summary>
    internal delegate* unmanaged<nint, int*, int*, int*, int*, int*, double*, int*, int*, int*, int*, int*, int*, double*, double*, int*, void> Pardiso { get; }

    /// <summary>pardisoinit(pt, mtype, iparm).</summary>
    internal delegate* unmanaged<nint, int*, int*, void> PardisoInit { get; }

    /// <summary>pardiso_getdiag(pt, df, da, mnum, error): diagonals of the factor and of the matrix.</summary>
    internal delegate* unmanaged<nint, double*, double*, int*, int*, void> PardisoGetDiagonal { get; }

    /// <summary>
    /// Loads MKL (once per process) with the given threading layer, or returns null and the reason
    /// (e.g. "MKL not available: cannot load libmkl_rt.so ..."). Later calls return the first result whatever layer they ask for.
    /// </summary>
    public static MklRuntime? TryLoad(MklThreading threading, out string reason)
    {
        lock (Gate)
        {
            if (_instance is null && _failure is null)
            {
                _failure = Load(threading, out _instance);
            }

            reason = _failure ?? "";
            return _instance;
        }
    }

    /// <summary>Sets MKL's thread count (ignored by the sequential layer).</summary>
    public void SetThreads(int threads) => _setNumThreads(Math.Max(1, threads));

    private static string? Load(MklThreading threading, out MklRuntime? runtime)
    {
        runtime = null;
        if (!OperatingSystem.IsLinux())
        {
            return "FemHost binds MKL through libmkl_rt.so on Linux only";
        }

        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
        {
            return $"MKL not available: cannot load {LibraryName} (install Debian's libmkl-rt from the non-free component)";
        }

        if (threading == MklThreading.Gnu && !LoadGlobally("libgomp.so.1"))
        {
            threading = MklThreading.Sequential;   // no OpenMP runtime: fall back to one thread
        }

        try
        {
            runtime = new MklRuntime(library, threading);
            return null;
        }
        catch (EntryPointNotFoundException e)
        {
            return $"{LibraryName} lacks an entry point FemHost needs ({e.Message})";
        }
    }

    /// <summary>dlopen(name, RTLD_NOW | RTLD_GLOBAL), so MKL's GNU threading layer finds the OpenMP symbols.</summary>
    private static bool LoadGlobally(string name)
    {
        const int RtldNow = 0x2, RtldGlobal = 0x100;
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc) || !NativeLibrary.TryGetExport(libc, "dlopen", out nint dlopen))
        {
            return false;
        }

        var open = (delegate* unmanaged<byte*, int, nint>)dlopen;
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            return open(p, RtldNow | RtldGlobal) != 0;
        }
    }
}
