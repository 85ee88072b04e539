using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using FemHost.Cases;
using FemHost.Cli;
using FemHost.Fem.Assembly;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.LinearAlgebra;
using FemHost.Materials.Elastic;
using FemHost.Materials.UmatAdapter;
using FemHost.Materials.VonMises;
using FemHost.MaterialSdk;

namespace FemHost.UmatAdapter.Tests;

/// <summary>Paths of the repository, the UMAT sources and the deployed host, and the test run's UMAT cache.</summary>
internal static class Paths
{
    /// <summary>The repository root (the folder holding FemHost.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The UMAT cache of the test runs (artifacts/umat-test-cache): sources are compiled once and reused by later
    /// runs, like a user's ~/.cache/femhost/umat; tests that time a cold compilation use sources of unique content.
    /// </summary>
    public static string Cache { get; } = Path.Combine(Root, "artifacts", "umat-test-cache");

    /// <summary>The examples shipped with the plug-in.</summary>
    public static string Example(string name) => Path.Combine(Root, "plugins", "UmatAdapter", "examples", name);

    /// <summary>The test UMATs (tests/assets/umats).</summary>
    public static string Asset(string name) => Path.Combine(Root, "tests", "assets", "umats", name);

    /// <summary>A verification case.</summary>
    public static string Case(string name) => Path.Combine(Root, "cases", "verification", name);

    /// <summary>The host deployed by the build in the configuration of these tests (Directory.Build.props).</summary>
    public static string HostFolder { get; } = Path.TrimEndingDirectorySeparator(
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FemHostOutputDir").Value!);

    /// <summary>The deployed plug-ins.</summary>
    public static string HostPlugins => Path.Combine(HostFolder, "plugins");

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "femhost-umat-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes a file into a fresh temporary folder.</summary>
    public static string TempFile(string name, string text)
    {
        var path = Path.Combine(TempFolder(), name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every test of this assembly, and every femhost it runs in-process, uses the test cache.</summary>
    [ModuleInitializer]
    internal static void UseTestCache() => Environment.SetEnvironmentVariable("FEMHOST_UMAT_CACHE", Cache);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FemHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"FemHost.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>The Umat material as a test sets it up: a file and its parameters, validated as the host does.</summary>
internal static class Umat
{
    public static readonly UmatPlugin Plugin = new();

    public static Dictionary<string, object?> Raw(string file, double[] props, int nstatv = 0, params (string Key, object? Value)[] more)
    {
        var raw = new Dictionary<string, object?> { ["file"] = file, ["props"] = props, ["nstatv"] = (long)nstatv };
        foreach (var (k, v) in more)
        {
            raw[k] = v;
        }

        return raw;
    }

    public static MaterialParameters Parameters(string file, double[] props, int nstatv = 0, params (string Key, object? Value)[] more) =>
        MaterialParameters.Validate(Plugin.Metadata, Raw(file, props, nstatv, more));

    public static IMaterialModel Create(string file, double[] props, int nstatv = 0, ModellingHypothesis h = ModellingHypothesis.PlaneStrain,
        params (string Key, object? Value)[] more) => Plugin.Create(Parameters(file, props, nstatv, more), h);

    /// <summary>The Create error of a setup, with the key it names.</summary>
    public static MaterialParameterException Refusal(string file, double[] props, int nstatv = 0, params (string Key, object? Value)[] more) =>
        Assert.Throws<MaterialParameterException>(() => Create(file, props, nstatv, ModellingHypothesis.PlaneStrain, more).Dispose());
}

/// <summary>Solves a case file in-process with the sample plug-ins and the Umat plug-in, like `femhost run` without output files.</summary>
internal sealed class CaseRun : IDisposable
{
    private CaseRun(Model model, NewtonSolver newton, RunResult result, List<IncrementReport> increments) =>
        (Model, Newton, Result, Increments) = (model, newton, result, increments);

    public Model Model { get; }

    public NewtonSolver Newton { get; }

    public RunResult Result { get; }

    public List<IncrementReport> Increments { get; }

    public double[] U => Newton.Displacement;

    public MaterialRegion Region => Model.Regions.Single();

    public static IMaterialPlugin Lookup(string name, SourceLocation where) => name switch
    {
        "Elastic" => new ElasticPlugin(),
        "VonMises" => new VonMisesPlugin(),
        "Umat" => Umat.Plugin,
        _ => throw UserInputException.At(where, $"unknown material model '{name}'"),
    };

    /// <summary>Solves <paramref name="path"/> (managed solver, the given thread count) with <paramref name="edit"/> applied first.</summary>
    public static CaseRun Solve(string path, Func<CaseDefinition, CaseDefinition>? edit = null, int threads = 2)
    {
        var c = CaseReader.Load(path);
        c = c with { Solver = c.Solver with { Linear = LinearSolverKind.Managed, Threads = threads } };
        c = edit?.Invoke(c) ?? c;
        var model = ModelBuilder.Build(c, Lookup);
        var assembler = new Assembler(model, c.Solver.Threads);
        var newton = new NewtonSolver(model, assembler, new ManagedSparseSolver(), c.Solver);
        var stepper = new LoadStepper(newton, c.Steps);
        var reports = new List<IncrementReport>();
        stepper.IncrementConverged += reports.Add;
        var result = stepper.Run();
        return new CaseRun(model, newton, result, reports);
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>Runs the command line in-process, or the deployed host as a process.</summary>
internal static class Femhost
{
    public static (int Code, string Out, string Err) InProcess(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>`dotnet femhost.dll ARGS` with extra environment variables (e.g. another UMAT cache or compiler).</summary>
    public static (int Code, string Out, string Err) Process(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"femhost {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static System.Diagnostics.Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Paths.HostFolder, "femhost.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
    }
}
