using System.Diagnostics;
using FemHost.MaterialSdk;
using Xunit.Abstractions;

namespace FemHost.UmatAdapter.Tests;

/// <summary>
/// Mistakes in setting up a UMAT are user errors: one paragraph that names the parameter (at its line and column
/// in the case), what is wrong and what is expected; `femhost` exits with code 2 and prints no stack trace.
/// </summary>
public class SetupErrorTests(ITestOutputHelper output)
{
    private static readonly double[] VonMisesProps = [1000, 0.3, 2.4, 0];

    [Fact]
    public void A_source_that_does_not_compile_quotes_the_compilers_first_errors()
    {
        var e = Umat.Refusal(Paths.Asset("bad_syntax.f90"), []);
        output.WriteLine(e.Message);
        Assert.Equal("file", e.Key);
        Assert.Contains($"gfortran could not compile {Paths.Asset("bad_syntax.f90")}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad_syntax.f90:4:16: Error: Invalid character in name at (1); ", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad_syntax.f90:5:21: Error: Syntax error in expression at (1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected a UMAT source that `gfortran -shared -fPIC -O2 -frecursive` compiles", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Femhost_validate_reports_a_bad_source_at_its_line_with_exit_code_2()
    {
        // The case names the source relative to itself; validate creates the model, so the compilation runs.
        var folder = Paths.TempFolder();
        File.Copy(Paths.Asset("bad_syntax.f90"), Path.Combine(folder, "bad_syntax.f90"));
        var path = WriteCase(folder, "      file: bad_syntax.f90\n      props: [1000, 0.3]\n");
        var (code, stdout, stderr) = Femhost.InProcess("validate", path, "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.StartsWith($"femhost: error: {path}:8:13: material 'soil' (model Umat), parameter 'file': gfortran could not compile {Path.Combine(folder, "bad_syntax.f90")}: ", stderr, StringComparison.Ordinal);
        Assert.Contains("bad_syntax.f90:4:16: Error: Invalid character in name at (1)", stderr, StringComparison.Ordinal);
        Assert.Equal(1, stderr.Count(c => c == '\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);

        // The same case with the good source validates.
        File.Copy(Paths.Example("umat_elastic.f90"), Path.Combine(folder, "bad_syntax.f90"), overwrite: true);
        (code, stdout, stderr) = Femhost.InProcess("validate", path, "--plugin-dir", Paths.HostPlugins);
        Assert.True(code == 0, stderr);
        Assert.Contains("material 'soil': Umat 1.0.0, consistent tangent, file = ", stdout, StringComparison.Ordinal);
        Assert.Contains("props = [1000, 0.3], nstatv = 0", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      file: nowhere.f90\n", 8, 13, "parameter 'file': ", "nowhere.f90 does not exist; expected a Fortran UMAT source (.f, .for, .ftn, .f77, .f90, .f95, .f03, .f08) or a shared library (.so) exporting umat_")]
    [InlineData("      file: case.yaml\n", 8, 13, "parameter 'file': ", "case.yaml is neither a Fortran source")]
    [InlineData("      file: umat.f90\n      props: 5\n", 9, 14, "parameter 'props': ", "5 is not a list; expected a list of numbers such as [1, 2.5]")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, x]\n", 9, 14, "parameter 'props': ", "element 3: 'x' is not a number")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, 2.4]\n      nstatv: 1\n", 9, 14, "parameter 'props': ", "3 values given but umat.f90:16 declares 4 PROPS (E, nu, sigma_y, H); expected props: [E, nu, sigma_y, H] in that order")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, 2.4, 0]\n", 6, 5, "parameter 'nstatv': ", "0 but umat.f90:17 declares 1 state variable (eqps); expected nstatv: 1")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, 2.4, 0]\n      nstatv: -1\n", 10, 15, "parameter 'nstatv': ", "-1 is out of bounds; expected an integer in [0, 100000]")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, 2.4, 0]\n      nstatv: 1\n      thread_safe: maybe\n", 11, 20, "parameter 'thread_safe': ", "'maybe' is not allowed; expected one of no, yes")]
    [InlineData("      file: umat.f90\n      props: [1000, 0.3, 2.4, 0]\n      nstatv: 1\n      fflags: -fno-such-option\n", 11, 15, "parameter 'fflags': ", "unrecognized command-line option")]
    public void Wrong_parameters_are_reported_where_they_are_written(string parameters, int line, int column, string prefix, string fragment)
    {
        var folder = Paths.TempFolder();
        File.Copy(Paths.Example("umat_vonmises.f90"), Path.Combine(folder, "umat.f90"));
        var path = WriteCase(folder, parameters);
        var (code, _, stderr) = Femhost.InProcess("validate", path, "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.StartsWith($"femhost: error: {path}:{line}:{column}: material 'soil' (model Umat), {prefix}", stderr, StringComparison.Ordinal);
        Assert.Contains(fragment, stderr, StringComparison.Ordinal);
        Assert.Equal(1, stderr.Count(c => c == '\n'));
    }

    [Fact]
    public void A_library_without_umat_or_with_an_unknown_routine_or_not_a_library_at_all_is_refused()
    {
        var folder = Paths.TempFolder();
        var noUmat = Gfortran(Paths.Asset("no_umat.f90"), Path.Combine(folder, "libno_umat.so"));
        var e = Umat.Refusal(noUmat, []);
        Assert.Equal($"material 'Umat', parameter 'file': {noUmat} exports no symbol 'umat_' (the name gfortran gives SUBROUTINE UMAT); " +
            "expected a library built from a Fortran SUBROUTINE UMAT, e.g. `gfortran -shared -fPIC -O2 umat.f -o libumat.so`", e.Message);

        e = Umat.Refusal(Paths.Asset("needs_sprinc.f90"), []);
        output.WriteLine(e.Message);
        Assert.Contains("it calls 'sprinc_', which neither the library nor FemHost provides; expected a UMAT that calls only its own routines, " +
            "the Fortran run-time and the Abaqus utilities FemHost provides (XIT, STDB_ABQERR, GETOUTDIR, GETJOBNAME)", e.Message, StringComparison.Ordinal);

        var text = Path.Combine(folder, "libfake.so");
        File.WriteAllText(text, "not a library\n");
        e = Umat.Refusal(text, []);
        Assert.Contains($"cannot load {text}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected a shared library (ELF .so) built for this machine", e.Message, StringComparison.Ordinal);

        e = Umat.Refusal(noUmat, [], 0, ("fflags", "-O3"));
        Assert.Equal("fflags", e.Key);
        Assert.Contains("expected fflags only with a Fortran source", e.Message, StringComparison.Ordinal);

        e = Umat.Refusal(Paths.Example("umat_elastic.f90"), [1000, 0.3], 0, ("cmname", new string('A', 81)));
        Assert.Equal("cmname", e.Key);
    }

    /// <summary>
    /// Without gfortran a source is refused with what to install; a prebuilt library still runs, called directly with
    /// the Abaqus signature (no support library can be built), and gives the result of the compiled source.
    /// </summary>
    [Fact]
    public void Without_gfortran_a_source_is_refused_clearly_and_a_prebuilt_library_still_runs()
    {
        var folder = Paths.TempFolder();
        var cache = Path.Combine(folder, "cache");
        var noCompiler = new Dictionary<string, string> { ["FEMHOST_GFORTRAN"] = "/nonexistent/gfortran", ["FEMHOST_UMAT_CACHE"] = cache };
        File.Copy(Paths.Example("umat_elastic.f90"), Path.Combine(folder, "umat.f90"));
        var source = WriteCase(folder, "      file: umat.f90\n      props: [1000, 0.3]\n", "source.yaml");
        var (code, stdout, stderr) = Femhost.Process(noCompiler, "validate", source, "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.Contains($"parameter 'file': cannot compile {Path.Combine(folder, "umat.f90")}: the GNU Fortran compiler '/nonexistent/gfortran' was not found " +
            "(FEMHOST_GFORTRAN=/nonexistent/gfortran); expected gfortran installed (as root: apt-get install gfortran, which scripts/setup.sh does)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

        Gfortran(Paths.Example("umat_elastic.f90"), Path.Combine(folder, "libumat_elastic.so"));
        var prebuilt = WriteCase(folder, "      file: libumat_elastic.so\n      props: [1000, 0.3]\n", "prebuilt.yaml");
        (code, stdout, stderr) = Femhost.Process(noCompiler, "run", prebuilt, "--quiet", "--plugin-dir", Paths.HostPlugins);
        Assert.True(code == 0, stdout + stderr);
        Assert.Empty(Directory.Exists(cache) ? Directory.GetFiles(cache, "libfemhost_abaqus-*.so") : []);   // the direct-call path ran
        (code, stdout, stderr) = Femhost.Process(new Dictionary<string, string> { ["FEMHOST_UMAT_CACHE"] = cache }, "run", source, "--quiet", "--plugin-dir", Paths.HostPlugins);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "results", "prebuilt", "curves.csv")), File.ReadAllText(Path.Combine(folder, "results", "source", "curves.csv")));

        // A prebuilt library that calls XIT needs FemHost's support library, which only a compiler can build.
        Gfortran(Paths.Asset("umat_faults.f90"), Path.Combine(folder, "libumat_faults.so"));
        var faults = WriteCase(folder, "      file: libumat_faults.so\n      props: [1000, 0.3, 0, 0, 0]\n      nstatv: 1\n", "faults.yaml");
        (code, _, stderr) = Femhost.Process(noCompiler, "validate", faults, "--plugin-dir", Paths.HostPlugins);
        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.Contains("it calls 'xit_', an Abaqus utility FemHost provides through its support library, which gfortran builds " +
            "(once per machine, into the UMAT cache) and gfortran was not found", stderr, StringComparison.Ordinal);
    }

    /// <summary>A case for the 1 × 1 m elastic block of cases/elastic-compression.yaml with the Umat material's parameter lines.</summary>
    internal static string WriteCase(string folder, string parameterLines, string name = "case.yaml")
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var text = $"""
            name: {stem}
            mesh:
              rectangle: {"{"}width: 1, height: 1, nx: 2, ny: 2{"}"}
            materials:
              soil:
                model: Umat
                parameters:

            """ + parameterLines + $"""
            regions: {"{"}all: soil{"}"}
            boundary_conditions:
              - {"{"}set: bottom, uy: 0{"}"}
              - {"{"}set: left, ux: 0{"}"}
              - {"{"}set: top, uy: -0.001, history: ramp{"}"}
            steps: {"{"}count: 2{"}"}
            output:
              folder: results/{stem}
              vtu: false
              plots: false
              curves: [{"{"}name: top_force, kind: reaction_y, set: top{"}"}]

            """;
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Compiles a source into a shared library with the machine's gfortran (outside the plug-in).</summary>
    internal static string Gfortran(string source, string library)
    {
        var start = new ProcessStartInfo("gfortran") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(library)! };
        foreach (var a in new[] { "-shared", "-fPIC", "-O2", source, "-o", library })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return library;
    }
}
