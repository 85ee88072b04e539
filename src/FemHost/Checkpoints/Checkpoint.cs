using FemHost.Fem.Solution;

namespace FemHost.Checkpoints;

/// <summary>The committed state of one material region.</summary>
/// <param name="Name">Region name.</param>
/// <param name="Plugin">Plug-in material name.</param>
/// <param name="PluginVersion">Plug-in version (a resumed run must load the same one).</param>
/// <param name="Strain">Committed strain ε_n of every point (point-major).</param>
/// <param name="Stress">Committed stress σ_n.</param>
/// <param name="State">Committed host-owned state variables.</param>
/// <param name="Opaque">What the plug-in's SaveCheckpoint wrote (null for a model without opaque state).</param>
public sealed record RegionCheckpoint(string Name, string Plugin, string PluginVersion, double[] Strain, double[] Stress, double[] State, byte[]? Opaque);

/// <summary>One row block of the material-point log: every point of every region at one converged increment.</summary>
/// <param name="Lambda">Load factor of the increment.</param>
/// <param name="Regions">Per region, the rows of its points concatenated (strain, φ, stress, packed tangent, state).</param>
public sealed record PointLogBlock(double Lambda, double[][] Regions);

/// <summary>
/// What a run has written so far (the output cursor): a resumed run rewrites the files from it, deletes any
/// field file written after it and continues, so it ends with the files an uninterrupted run writes.
/// </summary>
/// <param name="CreatedUtc">When the run started (the point-log sidecar's creation time).</param>
/// <param name="NewtonLog">Content of newton.csv.</param>
/// <param name="Increments">Rows of increments in newton.csv.</param>
/// <param name="Curves">Rows of curves.csv.</param>
/// <param name="Fields">The .vtu files listed in the .pvd, with their load factors.</param>
/// <param name="LastFieldStep">Step of the last .vtu written (−1 for none).</param>
/// <param name="PointLog">The material-point log so far (empty when the case does not ask for it).</param>
/// <param name="PointLogPhi">Per region, φ = Σ|Δε| of every point so far (paper eq. 5).</param>
public sealed record OutputCursor(DateTime CreatedUtc, string NewtonLog, int Increments, IReadOnlyList<double[]> Curves,
    IReadOnlyList<(double Lambda, string File)> Fields, int LastFieldStep, IReadOnlyList<PointLogBlock> PointLog, IReadOnlyList<double[]> PointLogPhi);

/// <summary>
/// The whole state of a run after a converged increment (docs/checkpoints.md): nodal displacements, the
/// committed state of every Gauss point, the opaque plug-in state, step control and the output cursor,
/// tagged with the case fingerprint and the host and SDK versions that wrote it.
/// </summary>
/// <param name="CaseHash">Fingerprint of the case (<see cref="CaseFingerprint"/>).</param>
/// <param name="HostVersion">femhost version that wrote it.</param>
/// <param name="SdkVersion">Material SDK version of that host.</param>
/// <param name="Stepper">Load-stepping state.</param>
/// <param name="FullStorage">Whether the global matrix had switched to full (unsymmetric) storage.</param>
/// <param name="Displacement">Committed nodal displacements u_n.</param>
/// <param name="LastIncrement">The last converged increment Δu_prev (the extrapolating predictor's basis).</param>
/// <param name="LastStep">Its load-factor size Δλ_prev (0 before the first increment).</param>
/// <param name="Regions">Committed material state per region, in the model's region order.</param>
/// <param name="Output">Output cursor.</param>
public sealed record Checkpoint(string CaseHash, string HostVersion, string SdkVersion, StepperState Stepper, bool FullStorage,
    double[] Displacement, double[] LastIncrement, double LastStep, IReadOnlyList<RegionCheckpoint> Regions, OutputCursor Output);
