using System.Reflection;

namespace FemHost.Experiments;

/// <summary>
/// The experiments of this assembly, found by reflection, in dependency order: each reads what the earlier ones
/// wrote (calibrate → pretrain → transfer; multiscale; timings collects every stage's wall time last).
/// </summary>
public static class ExperimentCatalog
{
    /// <summary>The run order of <c>all</c>; experiments not listed here run after these, by name.</summary>
    public static IReadOnlyList<string> Order { get; } = ["calibrate", "pretrain", "transfer", "cross-material", "multiscale", "timings"];

    /// <summary>Every experiment, in run order.</summary>
    public static IReadOnlyList<IExperiment> All { get; } = Discover();

    /// <summary>The experiment called <paramref name="name"/>, or null.</summary>
    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    private static List<IExperiment> Discover()
    {
        var found = typeof(ExperimentCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IExperiment).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IExperiment)Activator.CreateInstance(t)!)
            .ToList();
        int Rank(IExperiment e)
        {
            int i = Order.ToList().IndexOf(e.Name);
            return i < 0 ? int.MaxValue : i;
        }

        return [.. found.OrderBy(Rank).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }
}
