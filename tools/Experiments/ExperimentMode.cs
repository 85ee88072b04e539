namespace FemHost.Experiments;

/// <summary>Problem sizes of a pipeline run.</summary>
public enum ExperimentMode
{
    /// <summary>Small sizes (fewer particles, paths, seeds): the whole chain in minutes on a 2-core machine.</summary>
    Quick,

    /// <summary>The paper's sizes (500-disk RVEs, 40 DEM paths, 450 DH curves, N = 2…20).</summary>
    Full,
}
