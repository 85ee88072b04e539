using System.Globalization;

namespace FemHost.MaterialSdk.Testing;

/// <summary>
/// The conformance checks every FemHost material should pass before it reaches a boundary value
/// problem. One line in an author's test: <c>MaterialConformance.Run(new MyPlugin()).AssertPassed();</c>
/// </summary>
public static class MaterialConformance
{
    /// <summary>Runs every check that applies to the plug-in and returns the report (never throws for plug-in faults).</summary>
    public static ConformanceReport Run(IMaterialPlugin plugin, ConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        options ??= new ConformanceOptions();
        var results = new List<CheckResult>();
        MaterialMetadata meta;
        try
        {
            meta = plugin.Metadata;
        }
        catch (Exception e)
        {
            return new ConformanceReport(plugin.GetType().Name, [new("metadata", null, Verdict.Fail, $"Metadata threw {e.GetType().Name}: {e.Message}")]);
        }

        results.Add(Guard("metadata", null, () => MetadataCheck.Run(meta)));
        results.Add(Guard("bad parameters refused", null, () => MetadataCheck.BadParameters(plugin, meta, options)));

        MaterialParameters parameters;
        try
        {
            parameters = MaterialParameters.Validate(meta, options.Parameters);
        }
        catch (MaterialParameterException e)
        {
            results.Add(new("parameters", null, Verdict.Fail, e.Message));
            return new ConformanceReport(meta.Name, results);
        }

        foreach (var h in options.Hypotheses ?? meta.Hypotheses)
        {
            if (!meta.Hypotheses.Contains(h))
            {
                results.Add(new("hypothesis", h, Verdict.Skipped, "not declared by the plug-in"));
                continue;
            }

            // An instance may refine the plug-in's metadata (state variables, thread safety, isotropy: e.g. a UMAT's NSTATV).
            MaterialMetadata instance;
            try
            {
                using var probe = plugin.Create(parameters, h);
                instance = probe.Metadata;
            }
            catch (Exception e)
            {
                results.Add(new("create", h, Verdict.Fail, $"Create threw {e.GetType().Name}: {e.Message}"));
                continue;
            }

            var checks = new PointChecks(plugin, parameters, h, options);
            results.Add(Guard("zero increment", h, checks.ZeroIncrement));
            results.Add(Guard("repeatability", h, checks.Repeatability));
            foreach (var kind in meta.TangentKinds.Distinct())
            {
                results.Add(Guard($"tangent ({kind})", h, () => checks.Tangent(kind)));
            }

            results.Add(instance.IsIsotropic ? Guard("isotropy", h, checks.Isotropy)
                : new("isotropy", h, Verdict.Skipped, "plug-in does not declare isotropy"));
            results.Add(Guard("non-finite and absurd input", h, checks.BadInput));
            results.Add(instance.IsThreadSafe ? Guard("concurrent = serial", h, checks.Concurrency)
                : new("concurrent = serial", h, Verdict.Skipped, "plug-in is not thread-safe (host calls it serially)"));
            results.Add(meta.HasOpaqueState ? Guard("commit/revert/checkpoint", h, checks.OpaqueLifecycle)
                : new("commit/revert/checkpoint", h, Verdict.Skipped, "no opaque state"));
        }

        return new ConformanceReport(meta.Name, results);
    }

    private static CheckResult Guard(string name, ModellingHypothesis? h, Func<(Verdict, string)> check)
    {
        try
        {
            var (v, detail) = check();
            return new CheckResult(name, h, v, detail);
        }
        catch (Exception e)
        {
            return new CheckResult(name, h, Verdict.Fail, $"the plug-in threw {e.GetType().Name}: {e.Message}");
        }
    }

    internal static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
