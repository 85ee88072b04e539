using System.Globalization;

namespace FemHost.Experiments.Timings;

/// <summary>The machine a run was timed on, from /proc (Linux) with portable fallbacks.</summary>
/// <param name="Cpu">Processor model name.</param>
/// <param name="LogicalCores">Logical cores this process may use.</param>
/// <param name="MemoryGiB">Installed memory in GiB (NaN when unknown).</param>
/// <param name="LoadAverage">One-minute load average when measured (NaN when unknown): above the core count, timings are inflated by other work.</param>
public sealed record HardwareInfo(string Cpu, int LogicalCores, double MemoryGiB, double LoadAverage)
{
    /// <summary>Reads the current machine.</summary>
    public static HardwareInfo Current()
    {
        string cpu = "unknown processor";
        double memory = double.NaN, load = double.NaN;
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            string? mem = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (mem is not null)
            {
                memory = double.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / (1024 * 1024);
            }

            load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or /proc unreadable: keep what was found.
        }

        return new HardwareInfo(cpu, Environment.ProcessorCount, memory, load);
    }

    /// <summary>One line for a table: "CPU, N logical cores, M GiB".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Cpu}, {LogicalCores} logical cores{(double.IsFinite(MemoryGiB) ? $", {MemoryGiB:F0} GiB" : "")}");
}
