using System.Runtime.InteropServices;

namespace FemHost.Materials.UmatAdapter;

/// <summary>How one call of UMAT ended (the return codes of femhost_umat_call in native/femhost_abaqus.c).</summary>
internal enum UmatOutcome
{
    /// <summary>UMAT returned.</summary>
    Returned = 0,

    /// <summary>Returned; STDB_ABQERR wrote an information or warning message.</summary>
    ReturnedWithNote = 1,

    /// <summary>Returned; STDB_ABQERR reported an error (LOP = -2).</summary>
    ReturnedWithError = 2,

    /// <summary>UMAT called XIT.</summary>
    Xit = 3,

    /// <summary>UMAT executed STOP.</summary>
    Stop = 4,

    /// <summary>UMAT executed ERROR STOP.</summary>
    ErrorStop = 5,

    /// <summary>STDB_ABQERR with LOP = -3 (terminate).</summary>
    Abort = 6,
}

/// <summary>
/// A UMAT shared library loaded into this process, with the address of its <c>umat_</c> (gfortran's name of
/// SUBROUTINE UMAT) and, when one was found, FemHost's support library (XIT, STDB_ABQERR, STOP and the call
/// trampoline). Libraries are loaded once per process and never unloaded: a Fortran library keeps COMMON and
/// SAVE data, and every model instance of the same library shares it, as the materials of one Abaqus job share
/// one UMAT.
/// </summary>
/// <remarks>
/// Loading goes through dlopen with RTLD_NOW rather than NativeLibrary.Load (which binds lazily): a UMAT that
/// calls a routine nobody provides (an Abaqus utility such as SPRINC) is then refused at load, with the name of
/// the missing symbol, instead of killing the process at its first call. The support library is loaded with
/// RTLD_GLOBAL so that a UMAT's references to XIT and friends, and to gfortran's STOP, resolve to it. Symbols
/// are looked up with NativeLibrary.GetExport on the dlopen handle.
/// </remarks>
internal sealed unsafe partial class UmatLibrary
{
    private const int RtldNow = 0x2, RtldGlobal = 0x100;
    private static readonly Dictionary<string, UmatLibrary> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock Registry = new();
    private static nint _trampoline, _sdviniTrampoline;
    private static string? _supportPath;

    private UmatLibrary(string path, nint umat, nint sdvini)
    {
        (Path, Umat, Sdvini) = (path, umat, sdvini);
    }

    /// <summary>The library file.</summary>
    public string Path { get; }

    /// <summary>Address of <c>umat_</c>.</summary>
    public nint Umat { get; }

    /// <summary>Address of <c>sdvini_</c> (SUBROUTINE SDVINI, initial state variables), or zero.</summary>
    public nint Sdvini { get; }

    /// <summary>Serialises the calls of UMATs not declared thread-safe (one gate per library: COMMON blocks are per library).</summary>
    public Lock Gate { get; } = new();

    /// <summary>femhost_umat_call of the support library, or null when none is loaded (UMAT is then called directly).</summary>
    public static delegate* unmanaged<nint, void**, nuint, byte*, nuint, int> Trampoline =>
        (delegate* unmanaged<nint, void**, nuint, byte*, nuint, int>)_trampoline;

    /// <summary>femhost_sdvini_call of the support library, or null.</summary>
    public static delegate* unmanaged<nint, void**, byte*, nuint, int> SdviniTrampoline =>
        (delegate* unmanaged<nint, void**, byte*, nuint, int>)_sdviniTrampoline;

    /// <summary>Whether FemHost's support library is loaded (XIT, STOP and STDB_ABQERR end a point, not the process).</summary>
    public static bool HasSupport => _trampoline != 0;

    /// <summary>Loads the support library once per process (later calls with another path keep the first).</summary>
    public static void LoadSupport(string path)
    {
        lock (Registry)
        {
            if (_supportPath is not null)
            {
                return;
            }

            var handle = Open(path, RtldNow | RtldGlobal, out var error);
            if (handle == 0)
            {
                throw new UmatSetupException("file", $"cannot load FemHost's Abaqus support library {path}: {error}; expected the library the plug-in built " +
                    $"(delete it to have it rebuilt: it lives in the UMAT cache, {UmatCompiler.CacheVariable})");
            }

            _sdviniTrampoline = NativeLibrary.GetExport(handle, "femhost_sdvini_call");
            _trampoline = NativeLibrary.GetExport(handle, "femhost_umat_call");
            _supportPath = path;
        }
    }

    /// <summary>Loads <paramref name="path"/> (once per process) and finds <c>umat_</c>.</summary>
    public static UmatLibrary Load(string path, string shownAs)
    {
        lock (Registry)
        {
            if (Loaded.TryGetValue(path, out var known))
            {
                return known;
            }

            var handle = Open(path, RtldNow, out var error);
            if (handle == 0)
            {
                throw new UmatSetupException("file", $"cannot load {shownAs}: {Explain(error)}");
            }

            if (!NativeLibrary.TryGetExport(handle, "umat_", out var umat))
            {
                var near = new[] { "umat", "UMAT", "UMAT_", "umat__" }.FirstOrDefault(s => NativeLibrary.TryGetExport(handle, s, out _));
                throw new UmatSetupException("file", $"{shownAs} exports no symbol 'umat_' (the name gfortran gives SUBROUTINE UMAT)" +
                    (near is null ? "" : $"; it has '{near}', a name another compiler or language gives it") +
                    "; expected a library built from a Fortran SUBROUTINE UMAT, e.g. `gfortran -shared -fPIC -O2 umat.f -o libumat.so`");
            }

            NativeLibrary.TryGetExport(handle, "sdvini_", out var sdvini);
            var library = new UmatLibrary(path, umat, sdvini);
            Loaded[path] = library;
            return library;
        }
    }

    /// <summary>The routines native/femhost_abaqus.c defines for UMATs.</summary>
    private static readonly string[] SupportSymbols = ["xit_", "stdb_abqerr_", "getoutdir_", "getjobname_"];

    private static string Explain(string error)
    {
        const string undefined = "undefined symbol: ";
        int at = error.IndexOf(undefined, StringComparison.Ordinal);
        if (at >= 0)
        {
            var symbol = error[(at + undefined.Length)..].Split([' ', ','], 2)[0];
            if (!HasSupport && SupportSymbols.Contains(symbol, StringComparer.Ordinal))
            {
                return $"it calls '{symbol}', an Abaqus utility FemHost provides through its support library, which gfortran builds " +
                    $"(once per machine, into the UMAT cache) and gfortran was not found; expected gfortran installed ({UmatCompiler.CompilerVariable} " +
                    "naming it) or a library that does not call it";
            }

            return $"it calls '{symbol}', which neither the library nor FemHost provides; expected a UMAT that calls only its own routines, " +
                "the Fortran run-time and the Abaqus utilities FemHost provides (XIT, STDB_ABQERR, GETOUTDIR, GETJOBNAME): compile any other " +
                "utility it needs (e.g. SPRINC, SINV) into the same source";
        }

        if (error.Contains("ELF", StringComparison.Ordinal) || error.Contains("file too short", StringComparison.Ordinal))
        {
            return $"{error}; expected a shared library (ELF .so) built for this machine ({RuntimeInformation.OSArchitecture}, Linux)";
        }

        return $"{error}; expected a readable shared library (.so) exporting umat_";
    }

    private static nint Open(string path, int flags, out string error)
    {
        // The first call of a P/Invoke binds it through dlsym, which resets dlerror's message: bind dlerror (and
        // clear any stale message) before dlopen, so that the message read after a failure is dlopen's.
        _ = DlError();
        var handle = DlOpen(path, flags);
        error = handle == 0 ? Marshal.PtrToStringUTF8(DlError()) ?? "dlopen failed" : "";
        return handle;
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial nint DlError();
}
