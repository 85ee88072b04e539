namespace FemHost.Experiments;

/// <summary>
/// One experiment of the paper-reproduction pipeline (a section of Qu et al. 2023). It reads the outputs of the
/// experiments it depends on from their folders under <see cref="ExperimentContext.ResultsRoot"/> and writes its
/// data, PNG figures and a <c>summary.md</c> into its own folder (<see cref="ExperimentContext.FolderOf"/>).
/// Implementations are discovered by reflection (a public parameterless constructor is required), so an
/// experiment is added by adding its class; the run order is <see cref="ExperimentCatalog.Order"/>.
/// </summary>
public interface IExperiment
{
    /// <summary>Command-line name, also the name of the experiment's results folder (e.g. <c>calibrate</c>).</summary>
    string Name { get; }

    /// <summary>One line for the usage text: what the experiment reproduces.</summary>
    string Summary { get; }

    /// <summary>Runs the experiment; throws <see cref="ExperimentException"/> with a clear message on failure.</summary>
    void Run(ExperimentContext ctx);
}
