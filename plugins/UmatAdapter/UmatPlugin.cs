using System.Globalization;
using FemHost.MaterialSdk;

namespace FemHost.Materials.UmatAdapter;

/// <summary>
/// The <c>Umat</c> material: an existing Abaqus/Standard UMAT (Fortran) run as a FemHost material. The case names
/// a Fortran source, which is compiled with gfortran into a cached shared library, or a prebuilt shared library;
/// <c>props</c> is PROPS, <c>nstatv</c> NSTATV (docs/writing-a-plugin.md, "Running an Abaqus UMAT").
/// </summary>
public sealed class UmatPlugin : IMaterialPlugin
{
    /// <summary>Most state variables per point accepted.</summary>
    public const int MaxStateVariables = 100_000;

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "Umat",
        Version = new Version(1, 0, 0),
        Description = "An Abaqus/Standard UMAT (Fortran SUBROUTINE UMAT): 'file' names a source, compiled with gfortran into a cached " +
            "shared library, or a prebuilt shared library exporting umat_; 'props' are PROPS(1..NPROPS), 'nstatv' is NSTATV. " +
            "State per point: STATEV(1..NSTATV) (named by the source's '! femhost: statev = ...' line, else STATEV1..n), then SSE, SPD, SCD. " +
            "Plane strain (NDI = 3, NSHR = 1, NTENS = 4) and 3D; Voigt order and engineering shear as Abaqus; PNEWDT < 1 asks for a " +
            "smaller step. Not thread-safe unless thread_safe: yes (Abaqus UMATs may keep COMMON or SAVE data).",
        Parameters =
        [
            ParameterInfo.File("file", "the UMAT: a Fortran source (.f, .for, .f90, ...; compiled and cached) or a shared library (.so) exporting umat_"),
            ParameterInfo.RealList("props", "-", "PROPS(1..NPROPS) in the order the UMAT reads them (NPROPS = the list's length)", []),
            ParameterInfo.Integer("nstatv", "NSTATV: solution-dependent state variables per point (STATEV; Abaqus *DEPVAR)", 0, 0, MaxStateVariables),
            ParameterInfo.Choice("cmname", "CMNAME passed to the UMAT (upper-cased, at most 80 characters, as Abaqus passes the material name)", "UMAT"),
            ParameterInfo.Real("celent", "m", "CELENT, the characteristic element length passed to the UMAT (the host hands no element sizes to materials)", 1.0, min: 0.0),
            ParameterInfo.Choice("isotropic", "whether the UMAT's response is isotropic (declared to the host; `femhost check-material` then checks it)", "no", "no", "yes"),
            ParameterInfo.Choice("thread_safe", "whether the UMAT may be called from several threads at once (no COMMON/SAVE data written)", "no", "no", "yes"),
            ParameterInfo.Choice("fflags", "extra gfortran flags for a source, separated by spaces (e.g. -ffixed-line-length-132); part of the cache key", ""),
        ],
        StateVariables = [],
        Hypotheses = [ModellingHypothesis.PlaneStrain, ModellingHypothesis.Tridimensional],
        TangentKinds = [TangentKind.Consistent],
        IsThreadSafe = false,
        IsIsotropic = false,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var file = Path.GetFullPath(parameters.Text("file"));
        var props = parameters.RealList("props").ToArray();
        int nstatv = (int)parameters.Integer("nstatv");
        var cmname = parameters.Text("cmname");
        if (cmname.Length > 80 || cmname.Any(c => c > 126 || c < 32))
        {
            throw Refuse("cmname", $"'{cmname}' has {cmname.Length} characters; expected at most 80 printable ASCII characters");
        }

        var flags = parameters.Text("fflags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var library = Prepare(file, props, nstatv, flags, out var stateNames);
            var metadata = Metadata with
            {
                StateVariables =
                [
                    .. stateNames.Select(s => new StateVariableInfo(s, "-", "UMAT state variable (STATEV)")),
                    new StateVariableInfo("SSE", "kPa", "specific elastic strain energy (UMAT's SSE)"),
                    new StateVariableInfo("SPD", "kPa", "specific plastic dissipation (UMAT's SPD)"),
                    new StateVariableInfo("SCD", "kPa", "specific creep dissipation (UMAT's SCD)"),
                ],
                IsThreadSafe = parameters.Text("thread_safe") == "yes",
                IsIsotropic = parameters.Text("isotropic") == "yes",
            };
            var settings = new UmatCallSettings(props, nstatv, cmname, parameters.Real("celent"), metadata.IsThreadSafe, Path.GetFileName(file));
            return new UmatMaterial(metadata, hypothesis, library, settings);
        }
        catch (UmatSetupException e)
        {
            throw Refuse(e.Key, e.Message);
        }
    }

    /// <summary>
    /// Checks the file against the case, compiles a source (through the cache) and loads the library; returns it
    /// with the names of the state variables (declared in the source, or STATEV1..N).
    /// </summary>
    private static UmatLibrary Prepare(string file, double[] props, int nstatv, string[] flags, out IReadOnlyList<string> stateNames)
    {
        if (!File.Exists(file))
        {
            throw new UmatSetupException("file", Directory.Exists(file)
                ? $"{file} is a folder; expected a Fortran UMAT source ({string.Join(", ", UmatSource.SourceExtensions)}) or a shared library (.so)"
                : $"{file} does not exist; expected a Fortran UMAT source ({string.Join(", ", UmatSource.SourceExtensions)}) or a shared library (.so) exporting umat_ " +
                  "(a relative path is taken from the case file's folder)");
        }

        stateNames = Enumerable.Range(1, nstatv).Select(i => string.Create(CultureInfo.InvariantCulture, $"STATEV{i}")).ToList();
        if (UmatSource.IsSource(file))
        {
            var lines = File.ReadAllLines(file);
            var declared = UmatSource.Declarations(lines);
            var name = Path.GetFileName(file);
            if (declared.Props is { } p && p.Count != props.Length)
            {
                throw new UmatSetupException("props", $"{props.Length} value{(props.Length == 1 ? "" : "s")} given but {name}:{declared.PropsLine} declares " +
                    $"{p.Count} PROPS ({string.Join(", ", p)}); expected props: [{string.Join(", ", p)}] in that order");
            }

            if (declared.Statev is { } s)
            {
                if (s.Count != nstatv)
                {
                    throw new UmatSetupException("nstatv", $"{nstatv} but {name}:{declared.StatevLine} declares {s.Count} state variable{(s.Count == 1 ? "" : "s")}" +
                        (s.Count == 0 ? "" : $" ({string.Join(", ", s)})") + $"; expected nstatv: {s.Count}");
                }

                stateNames = s;
            }

            var compiled = UmatCompiler.Compile(file, lines, flags);
            UmatLibrary.LoadSupport(UmatCompiler.SupportLibrary(UmatCompiler.Compiler($"compile {file}")));
            return UmatLibrary.Load(compiled.Library, $"{file} (compiled to {compiled.Library})");
        }

        if (!UmatSource.IsLibrary(file))
        {
            throw new UmatSetupException("file", $"{file} is neither a Fortran source ({string.Join(", ", UmatSource.SourceExtensions)}, any case) " +
                "nor a shared library (.so); expected one of them");
        }

        if (flags.Length > 0)
        {
            throw new UmatSetupException("fflags", $"'{string.Join(' ', flags)}' is given for a prebuilt library; expected fflags only with a Fortran source");
        }

        // XIT, STDB_ABQERR and STOP are caught when a compiler can build the support library; without one a prebuilt
        // library is still called, through the exact Abaqus signature.
        try
        {
            UmatLibrary.LoadSupport(UmatCompiler.SupportLibrary(UmatCompiler.Compiler($"build FemHost's Abaqus support library for {file}")));
        }
        catch (UmatSetupException) when (!UmatLibrary.HasSupport)
        {
            // No compiler: go on without the support library.
        }

        return UmatLibrary.Load(file, file);
    }

    private MaterialParameterException Refuse(string key, string message) => new(Metadata.Name, key, message);
}
