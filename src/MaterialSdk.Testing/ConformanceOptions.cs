namespace FemHost.MaterialSdk.Testing;

/// <summary>What the conformance checks drive a material with. Defaults suit soil-like models at 100 kPa.</summary>
public sealed record ConformanceOptions
{
    /// <summary>Raw parameter values (validated against the plug-in's metadata); empty = defaults.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>Hypotheses to check; null = every hypothesis the plug-in declares.</summary>
    public IReadOnlyList<ModellingHypothesis>? Hypotheses { get; init; }

    /// <summary>Initial isotropic pressure (compression positive, kPa): σ0 = −p I in SDK convention.</summary>
    public double InitialPressure { get; init; } = 100.0;

    /// <summary>Norm of the random strain increments.</summary>
    public double StrainIncrement { get; init; } = 1e-4;

    /// <summary>Committed steps along one random direction before a sample is taken (drives models into plasticity).</summary>
    public int PrestrainSteps { get; init; } = 4;

    /// <summary>Number of random states at which the tangent is checked.</summary>
    public int Samples { get; init; } = 8;

    /// <summary>Central finite-difference step (absolute strain).</summary>
    public double FiniteDifferenceStep { get; init; } = 1e-8;

    /// <summary>Largest relative error ‖D − D_FD‖_F / ‖D_FD‖_F accepted for a consistent tangent.</summary>
    public double TangentTolerance { get; init; } = 1e-5;

    /// <summary>Relative tolerance of the equality checks (zero increment, isotropy).</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Points in the serial-versus-concurrent comparison.</summary>
    public int ConcurrentPoints { get; init; } = 64;

    /// <summary>Seed of every random choice (the checks are reproducible).</summary>
    public int Seed { get; init; } = 20231030;
}

/// <summary>Outcome of one check.</summary>
/// <param name="Check">Check name, e.g. "tangent (Consistent)".</param>
/// <param name="Hypothesis">Hypothesis it ran under (null for hypothesis-free checks such as metadata).</param>
/// <param name="Verdict">Pass, fail, or information only.</param>
/// <param name="Detail">Measured figure and the worst offending point.</param>
public sealed record CheckResult(string Check, ModellingHypothesis? Hypothesis, Verdict Verdict, string Detail);

/// <summary>Verdict of a check.</summary>
public enum Verdict
{
    /// <summary>The plug-in satisfies the check.</summary>
    Pass,

    /// <summary>The plug-in violates the check.</summary>
    Fail,

    /// <summary>Informative only (e.g. an approximate tangent's distance from finite differences).</summary>
    Info,

    /// <summary>The check does not apply to this plug-in.</summary>
    Skipped,
}

/// <summary>The results of a conformance run, printable as a table.</summary>
public sealed class ConformanceReport(string material, IReadOnlyList<CheckResult> results)
{
    /// <summary>Material name.</summary>
    public string Material { get; } = material;

    /// <summary>Every check result.</summary>
    public IReadOnlyList<CheckResult> Results { get; } = results;

    /// <summary>Whether no check failed.</summary>
    public bool Passed => Results.All(r => r.Verdict != Verdict.Fail);

    /// <summary>The failed checks.</summary>
    public IEnumerable<CheckResult> Failures => Results.Where(r => r.Verdict == Verdict.Fail);

    /// <summary>A fixed-width pass/fail table.</summary>
    public string ToTable()
    {
        var rows = Results.Select(r => (r.Check, Hyp: r.Hypothesis?.ToString() ?? "-", V: r.Verdict.ToString().ToUpperInvariant(), r.Detail)).ToList();
        int w1 = Math.Max(5, rows.Max(r => r.Check.Length)), w2 = Math.Max(10, rows.Max(r => r.Hyp.Length));
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"conformance of material '{Material}': {(Passed ? "PASSED" : "FAILED")}");
        sb.AppendLine($"{"check".PadRight(w1)}  {"hypothesis".PadRight(w2)}  {"verdict",-7}  detail");
        sb.AppendLine(new string('-', w1 + w2 + 30));
        foreach (var r in rows)
        {
            sb.AppendLine($"{r.Check.PadRight(w1)}  {r.Hyp.PadRight(w2)}  {r.V,-7}  {r.Detail}");
        }

        return sb.ToString();
    }

    /// <summary>Throws <see cref="ConformanceException"/> with the table if any check failed (one line in an xunit test).</summary>
    public void AssertPassed()
    {
        if (!Passed)
        {
            throw new ConformanceException(ToTable());
        }
    }
}

/// <summary>Raised by <see cref="ConformanceReport.AssertPassed"/>.</summary>
public sealed class ConformanceException(string message) : Exception(message);
