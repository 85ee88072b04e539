namespace FemHost.MaterialSdk.Testing;

/// <summary>Checks that metadata is self-consistent and that bad parameters are refused with clear errors.</summary>
internal static class MetadataCheck
{
    public static (Verdict, string) Run(MaterialMetadata m)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(m.Name) || m.Name.Any(char.IsWhiteSpace))
        {
            problems.Add("name must be one non-empty word");
        }

        if (string.IsNullOrWhiteSpace(m.Description))
        {
            problems.Add("description is empty");
        }

        Duplicates(m.Parameters.Select(p => p.Name), "parameter", problems);
        Duplicates(m.StateVariables.Select(s => s.Name), "state variable", problems);
        if (m.Hypotheses.Count == 0)
        {
            problems.Add("no modelling hypothesis declared");
        }

        if (m.TangentKinds.Count == 0)
        {
            problems.Add("no tangent kind declared");
        }

        foreach (var p in m.Parameters)
        {
            if (p.Minimum > p.Maximum)
            {
                problems.Add($"parameter '{p.Name}': minimum > maximum");
            }

            if (string.IsNullOrWhiteSpace(p.Description))
            {
                problems.Add($"parameter '{p.Name}' has no description");
            }

            if (p.Default is not null)
            {
                try
                {
                    MaterialParameters.Validate(m with { Parameters = [p] }, new Dictionary<string, object?> { [p.Name] = p.Default });
                }
                catch (MaterialParameterException e)
                {
                    problems.Add($"default of '{p.Name}' is invalid: {e.Message}");
                }
            }
        }

        return problems.Count == 0
            ? (Verdict.Pass, $"{m.Parameters.Count} parameters, {m.StateSize} state variables, tangents {string.Join("/", m.TangentKinds)}")
            : (Verdict.Fail, string.Join("; ", problems));
    }

    private static void Duplicates(IEnumerable<string> names, string what, List<string> problems)
    {
        foreach (var g in names.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            problems.Add($"{what} '{g.Key}' declared {g.Count()} times");
        }
    }

    /// <summary>An unknown key, each missing required key and each out-of-bounds number must be refused.</summary>
    public static (Verdict, string) BadParameters(IMaterialPlugin plugin, MaterialMetadata m, ConformanceOptions o)
    {
        var tried = 0;
        var accepted = new List<string>();
        void Expect(string label, Dictionary<string, object?> raw)
        {
            tried++;
            try
            {
                var validated = MaterialParameters.Validate(m, raw);
                plugin.Create(validated, m.Hypotheses[0]).Dispose();
                accepted.Add(label);
            }
            catch (MaterialParameterException)
            {
                // refused, as it should be
            }
        }

        var good = o.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value);
        Expect("unknown key 'no_such_parameter'", new(good) { ["no_such_parameter"] = 1.0 });
        foreach (var p in m.Parameters)
        {
            if (p.IsRequired)
            {
                var missing = new Dictionary<string, object?>(good);
                missing.Remove(p.Name);
                Expect($"'{p.Name}' missing", missing);
            }

            if (p.Kind is ParameterKind.Real or ParameterKind.Integer)
            {
                if (double.IsFinite(p.Minimum) && p.Minimum > long.MinValue)
                {
                    Expect($"'{p.Name}' below its minimum", new(good) { [p.Name] = p.Minimum - Math.Max(1.0, Math.Abs(p.Minimum)) });
                }

                if (double.IsFinite(p.Maximum) && p.Maximum < long.MaxValue)
                {
                    Expect($"'{p.Name}' above its maximum", new(good) { [p.Name] = p.Maximum + Math.Max(1.0, Math.Abs(p.Maximum)) });
                }

                Expect($"'{p.Name}' not a number", new(good) { [p.Name] = "abc" });
            }
            else if (p.Kind == ParameterKind.RealList)
            {
                Expect($"'{p.Name}' not a list", new(good) { [p.Name] = "abc" });
                Expect($"'{p.Name}' holding a word", new(good) { [p.Name] = new object[] { "abc" } });
                if (double.IsFinite(p.Minimum))
                {
                    Expect($"'{p.Name}' holding a value below its minimum", new(good) { [p.Name] = new object[] { p.Minimum - Math.Max(1.0, Math.Abs(p.Minimum)) } });
                }

                if (double.IsFinite(p.Maximum))
                {
                    Expect($"'{p.Name}' holding a value above its maximum", new(good) { [p.Name] = new object[] { p.Maximum + Math.Max(1.0, Math.Abs(p.Maximum)) } });
                }
            }
            else if (p.AllowedChoices.Count > 0)
            {
                Expect($"'{p.Name}' not among its choices", new(good) { [p.Name] = "__not_a_choice__" });
            }
        }

        return accepted.Count == 0
            ? (Verdict.Pass, $"{tried} bad parameter sets refused")
            : (Verdict.Fail, "accepted: " + string.Join(", ", accepted));
    }
}
