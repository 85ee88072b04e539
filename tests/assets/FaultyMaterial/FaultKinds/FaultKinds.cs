namespace FemHost.TestAssets.FaultyMaterial;

/// <summary>The faults the Faulty plug-in injects (kept in its own assembly: a private dependency of the plug-in).</summary>
public static class FaultKinds
{
    /// <summary>Every fault name, "none" first: faults of Integrate, then of the lifecycle calls.</summary>
    public static string[] All => ["none", "throw", "nan_stress", "inf_tangent", "wrong_size_tangent", "failed_point", "smaller_step",
        "initialize_throws", "initialize_refuses_parameters", "commit_throws", "revert_throws", "save_checkpoint_throws", "load_checkpoint_throws"];
}
