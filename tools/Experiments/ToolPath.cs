namespace FemHost.Experiments;

/// <summary>
/// A built FemHost command-line tool the pipeline runs as a child process (<c>dotnet DLL ARGS</c>): where its
/// Release assembly lies and which project builds it (named in the error when it is missing).
/// </summary>
/// <param name="Name">Command name, e.g. <c>femhost-train</c>.</param>
/// <param name="Project">Project file relative to the repository root.</param>
/// <param name="Assembly">Absolute path of the built assembly.</param>
public sealed record ToolPath(string Name, string Project, string Assembly)
{
    /// <summary>Throws a clear error when the tool has not been built.</summary>
    public void EnsureBuilt()
    {
        if (!File.Exists(Assembly))
        {
            throw new ExperimentException(
                $"the tool '{Name}' is not built: expected '{Assembly}'. Build it with " +
                $"'dotnet build -c Release {Project}' (experiments/run.sh builds every tool the pipeline needs).");
        }
    }
}
