using System.Globalization;
using FemHost.Cases;
using FemHost.Fem.Meshes;
using FemHost.MaterialSdk;

namespace FemHost.Fem;

/// <summary>What a case needs in memory, estimated from its mesh before anything large is allocated.</summary>
/// <param name="Equations">Number of equations N (2 per node).</param>
/// <param name="MatrixNonZeros">Non-zeros of the upper triangle of K, counted exactly from the element connectivity.</param>
/// <param name="FactorNonZeros">Estimated non-zeros of the factor L with a nested-dissection ordering.</param>
/// <param name="GaussPoints">Material points.</param>
/// <param name="Bytes">Estimated peak memory of the run.</param>
public sealed record MemoryEstimate(long Equations, long MatrixNonZeros, long FactorNonZeros, long GaussPoints, long Bytes);

/// <summary>
/// Refuses, before allocating, a case that cannot fit in the memory available, instead of letting it thrash or
/// be killed halfway (issue 7, limits). The estimate adds the global matrix K (CSR upper triangle), the
/// factor of the direct solver, the Newton vectors, the host-owned Gauss-point arrays and a fixed runtime
/// overhead. The factor of a 2D finite-element matrix under nested dissection has O(N log N) entries
/// (George 1973; Davis, Direct Methods for Sparse Linear Systems, §7.6): nnz(L) ≈ c · N · log₂ N, with c
/// measured on this host's Q8 meshes with both solvers (docs/fem.md, Limits). The memory available is the
/// smallest of the cgroup limit left, /proc/meminfo MemAvailable and the runtime's
/// GCMemoryInfo.TotalAvailableMemoryBytes; the environment variable <see cref="LimitVariable"/> overrides it.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Environment variable that sets the memory available (e.g. "100MB", "4GiB", bytes).</summary>
    public const string LimitVariable = "FEMHOST_MEMORY_LIMIT";

    /// <summary>
    /// c(N) in nnz(L) ≈ c · N · log₂ N. Measured on structured Q8 meshes (upper triangle incl. the diagonal):
    /// c = 6.0 / 6.5 / 6.9 / 7.2 with the managed solver and 6.8 / 7.1 / 7.4 / 7.7 with PARDISO for
    /// N = 3 952 / 15 402 / 60 802 / 241 602 (log₂ N = 12 … 18); c grows by about 0.15 per doubling, so
    /// c = 5 + 0.2 log₂ N bounds both with some 10 % margin.
    /// </summary>
    public static double FillConstant(long n) => 5 + (0.2 * Math.Log2(Math.Max(2, n)));

    private const long RuntimeOverhead = 200L << 20;

    /// <summary>Estimates what <paramref name="c"/> on a mesh of <paramref name="mesh"/>'s size needs.</summary>
    public static MemoryEstimate Estimate(CaseDefinition c, MeshSize mesh, Func<string, SourceLocation, IMaterialPlugin> plugins)
    {
        long n = 2L * mesh.Nodes;
        long nnz = mesh.MatrixNonZeros;
        long factor = (long)(FillConstant(n) * n * Math.Log2(Math.Max(2, n)));
        int perElement = c.Mesh.GaussOrder * c.Mesh.GaussOrder, v = Voigt.Size(c.Hypothesis);
        long points = 0, stateValues = 0;
        foreach (var assignment in c.Regions)
        {
            var material = c.Materials.FirstOrDefault(m => m.Name == assignment.Material);
            long count = mesh.RegionElements.TryGetValue(assignment.Region, out var elements) ? elements * perElement : 0;
            points += count;
            if (material is not null)
            {
                stateValues += count * plugins(material.Model, material.Where).Metadata.StateSize;
            }
        }

        // Per point: strain, stress, Δε, trial stress, tangent, coordinates, volume, status, and the output projection.
        long pointBytes = points * (8L * ((5 * v) + (v * v) + 3) + 16) + (16L * stateValues);
        long matrixBytes = (12 * nnz) + (4 * n);
        long factorBytes = 8 * factor * 3 / 2;        // values, plus supernode indices and update buffers
        long orderingBytes = 16 * nnz;                 // adjacency graph of the ordering, freed before the factorisation grows
        long vectorBytes = 12 * 8 * n;
        long bytes = RuntimeOverhead + pointBytes + matrixBytes + factorBytes + orderingBytes + vectorBytes;
        return new MemoryEstimate(n, nnz, factor, points, bytes);
    }

    /// <summary>
    /// Estimates the case and throws a <see cref="UserInputException"/> when it does not fit the memory available;
    /// writes one line to <paramref name="log"/> when it needs more than a quarter of it or more than 1 GiB.
    /// </summary>
    public static MemoryEstimate Check(CaseDefinition c, MeshSize mesh, Func<string, SourceLocation, IMaterialPlugin> plugins, TextWriter log)
    {
        var e = Estimate(c, mesh, plugins);
        var (available, source) = Available();
        string what = string.Create(CultureInfo.InvariantCulture,
            $"{e.Equations:N0} equations, K with {e.MatrixNonZeros / 1e6:G3} M non-zeros, a factor of about {e.FactorNonZeros / 1e6:G3} M non-zeros, {e.GaussPoints:N0} Gauss points");
        if (e.Bytes > available)
        {
            throw UserInputException.At(c.Mesh.Where,
                $"the case needs about {Size(e.Bytes)} of memory ({what}) but only {Size(available)} is available ({source}); " +
                "expected a case that fits: use a coarser mesh or gauss_order 2, free memory or use a larger machine " +
                $"(the estimate is in docs/fem.md, Limits; {LimitVariable} sets the amount available)");
        }

        if (e.Bytes > available / 4 || e.Bytes > 1L << 30)
        {
            log.WriteLine($"memory: about {Size(e.Bytes)} needed ({what}) of {Size(available)} available ({source})");
        }

        return e;
    }

    /// <summary>The memory available to this run and where the figure comes from.</summary>
    public static (long Bytes, string Source) Available()
    {
        var text = Environment.GetEnvironmentVariable(LimitVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return (ParseSize(text) ?? throw new UserInputException(
                $"environment variable {LimitVariable} is '{text}'; expected a memory size such as 512MB, 4GiB or a number of bytes"), $"{LimitVariable}={text}");
        }

        var candidates = new List<(long, string)> { (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "the .NET runtime's memory limit") };
        if (ReadMeminfo("MemAvailable") is long meminfo)
        {
            // Memory this process already holds (plug-ins, the mesh) is not 'available' but is ours to use.
            candidates.Add((meminfo + Environment.WorkingSet, "MemAvailable in /proc/meminfo plus this process"));
        }

        if (ReadNumber("/sys/fs/cgroup/memory.max") is long max && ReadNumber("/sys/fs/cgroup/memory.current") is long current)
        {
            candidates.Add((max - current + Environment.WorkingSet, "the cgroup memory limit left"));
        }

        return candidates.MinBy(x => x.Item1);
    }

    /// <summary>Parses "100MB", "1.5GiB", "2G", "4096" (bytes); k/M/G/T are binary multiples either way.</summary>
    public static long? ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant().Replace("IB", "", StringComparison.Ordinal).TrimEnd('B');
        int shift = t.Length == 0 ? 0 : t[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        if (shift > 0)
        {
            t = t[..^1];
        }

        return double.TryParse(t.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
            ? (long)Math.Min(value * Math.Pow(2, shift), long.MaxValue / 2) : null;
    }

    /// <summary>Non-zeros of the upper triangle of K: 2×2 blocks for every pair of nodes sharing an element.</summary>
    public static long MatrixNonZeros(Mesh mesh)
    {
        int nodes = mesh.NodeCount;
        var start = new int[nodes + 1];
        foreach (int a in mesh.Connectivity)
        {
            start[a + 1]++;
        }

        for (int i = 0; i < nodes; i++)
        {
            start[i + 1] += start[i];
        }

        var elements = new int[start[nodes]];
        var fill = start[..nodes];
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            foreach (int a in mesh.ElementNodes(e))
            {
                elements[fill[a]++] = e;
            }
        }

        var mark = new int[nodes];
        Array.Fill(mark, -1);
        long pairs = 0; // ordered pairs (i, j) of nodes sharing an element, i = j included
        for (int i = 0; i < nodes; i++)
        {
            for (int k = start[i]; k < start[i + 1]; k++)
            {
                foreach (int j in mesh.ElementNodes(elements[k]))
                {
                    if (mark[j] != i)
                    {
                        mark[j] = i;
                        pairs++;
                    }
                }
            }
        }

        long full = 4 * pairs;
        return (full + (2L * nodes)) / 2;
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F0} MiB");

    private static long? ReadMeminfo(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static long? ReadNumber(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
