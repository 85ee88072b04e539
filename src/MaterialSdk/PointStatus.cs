namespace FemHost.MaterialSdk;

/// <summary>Outcome of one material-point update.</summary>
public enum PointOutcome : byte
{
    /// <summary>Stress, state and tangent are valid.</summary>
    Ok,

    /// <summary>The increment was too large; the host should retry with a smaller load step (UMAT's PNEWDT &lt; 1).</summary>
    SmallerStep,

    /// <summary>The point could not be integrated; the host cuts the step back and, if that does not help, stops cleanly.</summary>
    Failed,
}

/// <summary>
/// Per-point result of an integration: ok, a request for a smaller step with a suggested ratio, or a
/// failure with a reason the host shows to the user.
/// </summary>
/// <param name="Outcome">What happened.</param>
/// <param name="StepRatio">For <see cref="PointOutcome.SmallerStep"/>: suggested new/old step size in (0, 1).</param>
/// <param name="Reason">Why, in a few words (null when ok).</param>
public readonly record struct PointStatus(PointOutcome Outcome, double StepRatio, string? Reason)
{
    /// <summary>A successful update.</summary>
    public static PointStatus Ok => default;

    /// <summary>Whether the update succeeded.</summary>
    public bool IsOk => Outcome == PointOutcome.Ok;

    /// <summary>Asks the host for a smaller step (ratio clamped to [0.01, 0.99]).</summary>
    public static PointStatus SmallerStep(double ratio, string reason) =>
        new(PointOutcome.SmallerStep, double.IsFinite(ratio) ? Math.Clamp(ratio, 0.01, 0.99) : 0.5, reason);

    /// <summary>A failed point with its reason.</summary>
    public static PointStatus Failed(string reason) => new(PointOutcome.Failed, 0.5, reason);
}
