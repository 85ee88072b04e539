using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FemHost.Experiments;

/// <summary>Wall time of one stage of an experiment, as stored in <c>timings.json</c>.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Stage">Stage name within the experiment (e.g. <c>dem-lab</c>, <c>fit</c>).</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="FinishedUtc">When the stage finished.</param>
public sealed record StageTiming(string Experiment, string Stage, double Seconds, DateTime FinishedUtc);

/// <summary>
/// Records the wall time of each stage into <c>timings.json</c> at the results root (one file per mode, shared
/// by all experiments). A stage that runs again replaces its earlier entry, so the file always describes the
/// latest run of each stage; the <c>timings</c> experiment reads it.
/// </summary>
public sealed class StageTimings
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _file;
    private readonly object _gate = new();

    /// <summary>Creates the recorder for <paramref name="file"/> (created on the first record).</summary>
    public StageTimings(string file) => _file = file;

    /// <summary>Path of the JSON file.</summary>
    public string File => _file;

    /// <summary>All recorded stages (from the file), in the order they were first recorded.</summary>
    public IReadOnlyList<StageTiming> Read()
    {
        lock (_gate)
        {
            return System.IO.File.Exists(_file)
                ? JsonSerializer.Deserialize<List<StageTiming>>(System.IO.File.ReadAllText(_file), Json) ?? []
                : [];
        }
    }

    /// <summary>Runs <paramref name="stage"/>, records its wall time and prints it.</summary>
    public T Time<T>(string experiment, string stage, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var watch = Stopwatch.StartNew();
        T result = action();
        Record(new StageTiming(experiment, stage, watch.Elapsed.TotalSeconds, DateTime.UtcNow));
        Console.Error.WriteLine($"  {experiment}/{stage}: {watch.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    /// <summary>Runs <paramref name="stage"/>, records its wall time and prints it.</summary>
    public void Time(string experiment, string stage, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Time(experiment, stage, () =>
        {
            action();
            return 0;
        });
    }

    /// <summary>Adds or replaces the entry of (experiment, stage) and rewrites the file atomically.</summary>
    public void Record(StageTiming timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        lock (_gate)
        {
            var all = Read().ToList();
            int i = all.FindIndex(t => t.Experiment == timing.Experiment && t.Stage == timing.Stage);
            if (i >= 0)
            {
                all[i] = timing;
            }
            else
            {
                all.Add(timing);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
            string tmp = _file + ".tmp";
            System.IO.File.WriteAllText(tmp, JsonSerializer.Serialize(all, Json));
            System.IO.File.Move(tmp, _file, overwrite: true);
        }
    }
}
