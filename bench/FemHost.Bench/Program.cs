using System.Diagnostics;
using System.Globalization;
using FemHost.Cases;

namespace FemHost.Bench;

/// <summary>
/// <c>femhost-bench [--quick] [--sizes 25,50,...] [--solvers pardiso,managed] [--threads N] [--managed-limit S]</c>:
/// the solver benchmark table. Every (size, solver) pair runs in a child process of its own, so that
/// the reported peak RSS (the kernel's VmHWM) belongs to that run alone.
/// </summary>
public static class Program
{
    private static readonly int[] FullSizes = [25, 50, 100, 200, 300, 400];
    private static readonly int[] QuickSizes = [25, 50, 100];

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            if (options.ChildSize is { } n)
            {
                Console.WriteLine("RESULT " + ElasticSquareRun.Run(n, options.Solvers[0], options.Threads).ToLine());
                return 0;
            }

            return RunTable(options);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"femhost-bench: {e.Message}");
            return 2;
        }
    }

    private static int RunTable(Options o)
    {
        Console.WriteLine($"# Elastic Q8 square, 3×3 Gauss, one linear solve; threads = {(o.Threads == 0 ? Environment.ProcessorCount : o.Threads)}, " +
                          $"{Environment.ProcessorCount} cores; times in s, peak RSS of the run's process in MiB");
        Console.WriteLine();
        Console.WriteLine("| nx=ny | solver | DOFs | nnz(K) | model | pattern | assembly | analysis | factorise | solve | pattern→solve | nnz(L) | peak RSS | CPU pattern→solve | rel. error |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var notes = new List<string>();
        foreach (var solver in o.Solvers)
        {
            RunResult? previous = null;
            foreach (int n in o.Sizes)
            {
                if (previous is not null && solver == LinearSolverKind.Managed)
                {
                    // Nested-dissection factorisation work grows like DOFs^1.5 in 2D (George 1973).
                    double predicted = previous.Factorisation * Math.Pow((double)n * n / (previous.N * previous.N), 1.5);
                    if (predicted > o.ManagedLimit)
                    {
                        notes.Add($"managed solver stopped before nx = {n}: predicted factorisation {predicted:F0} s > limit {o.ManagedLimit:F0} s (--managed-limit)");
                        break;
                    }
                }

                var (result, error) = RunChild(n, solver, o.Threads, TimeSpan.FromSeconds(Math.Max(600, 4 * o.ManagedLimit)));
                if (result is null)
                {
                    notes.Add($"{solver} at nx = {n}: {error}");
                    break;
                }

                Console.WriteLine(Row(result));
                previous = result;
            }
        }

        foreach (var note in notes)
        {
            Console.WriteLine();
            Console.WriteLine($"Note: {note}");
        }

        return 0;
    }

    private static string Row(RunResult r)
    {
        static string T(double s) => s.ToString(s < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);
        return $"| {r.N} | {r.Solver} | {r.Dofs:N0} | {r.MatrixNonZeros:N0} | {T(r.Model)} | {T(r.Pattern)} | {T(r.Assembly)} | {T(r.Analysis)} | " +
               $"{T(r.Factorisation)} | {T(r.Solve)} | **{T(r.Total)}** | {r.FactorNonZeros:N0} | {r.PeakRssMiB:F0} | {T(r.CpuSeconds)} | {r.Error:E1} |";
    }

    private static (RunResult? Result, string Error) RunChild(int n, LinearSolverKind solver, int threads, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (var a in new[] { "--run", n.ToString(CultureInfo.InvariantCulture), "--solvers", solver.ToString().ToLowerInvariant(), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start the benchmark child process");
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill();
            return (null, $"stopped after {timeout.TotalSeconds:F0} s");
        }

        string line = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal)) ?? "";
        if (child.ExitCode != 0 || line.Length == 0)
        {
            string last = stderr.Result.Trim().Split('\n').LastOrDefault() ?? "";
            return (null, $"failed (exit {child.ExitCode}): {last}");
        }

        Console.Error.Write(stderr.Result);   // the factory's "linear solver: ..." line
        return (RunResult.Parse(line[7..]), "");
    }

    private sealed record Options(int[] Sizes, LinearSolverKind[] Solvers, int Threads, double ManagedLimit, int? ChildSize)
    {
        public static Options Parse(string[] args)
        {
            int[] sizes = FullSizes;
            LinearSolverKind[] solvers = [LinearSolverKind.Pardiso, LinearSolverKind.Managed];
            int threads = 0;
            double limit = 120;
            int? child = null;
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--quick":
                        sizes = QuickSizes;
                        break;
                    case "--sizes":
                        sizes = [.. Value().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                        break;
                    case "--solvers":
                        solvers = [.. Value().Split(',').Select(s => Enum.Parse<LinearSolverKind>(s, ignoreCase: true))];
                        break;
                    case "--threads":
                        threads = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--managed-limit":
                        limit = double.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--run":
                        child = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new ArgumentException(
                            $"unknown option '{args[i]}'; expected --quick, --sizes 25,50,..., --solvers pardiso,managed, --threads N, --managed-limit SECONDS");
                }
            }

            return new Options(sizes, solvers, threads, limit, child);
        }
    }
}
