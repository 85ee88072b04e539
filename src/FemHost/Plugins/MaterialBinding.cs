using FemHost.Cases;
using FemHost.MaterialSdk;

namespace FemHost.Plugins;

/// <summary>
/// A case material bound to its plug-in: parameters validated against the plug-in's metadata, the
/// tangent kind resolved, the hypothesis checked. Every mistake becomes a <see cref="UserInputException"/>
/// at the location of the offending value in the case file.
/// </summary>
/// <param name="Definition">The material as written in the case.</param>
/// <param name="Plugin">The plug-in providing <see cref="MaterialDefinition.Model"/>.</param>
/// <param name="Parameters">Validated, typed parameters (file paths made absolute).</param>
/// <param name="Tangent">The tangent kind to request (the case's or the plug-in's default).</param>
public sealed record MaterialBinding(MaterialDefinition Definition, IMaterialPlugin Plugin, MaterialParameters Parameters, TangentKind Tangent)
{
    /// <summary>
    /// Looks up the plug-in, validates the parameters and the tangent kind for <paramref name="hypothesis"/>.
    /// </summary>
    /// <param name="catalog">Loaded plug-ins.</param>
    /// <param name="definition">The material entry of the case.</param>
    /// <param name="hypothesis">Hypothesis the material will be used under.</param>
    /// <param name="baseFolder">Folder that relative file parameters are resolved against (the case file's).</param>
    public static MaterialBinding Bind(PluginCatalog catalog, MaterialDefinition definition, ModellingHypothesis hypothesis, string baseFolder) =>
        Bind(catalog.Get, definition, hypothesis, baseFolder);

    /// <summary>
    /// As <see cref="Bind(PluginCatalog, MaterialDefinition, ModellingHypothesis, string)"/>, with the plug-in
    /// found by <paramref name="lookup"/> (model name, location → plug-in; throws a located user error if unknown).
    /// </summary>
    public static MaterialBinding Bind(Func<string, SourceLocation, IMaterialPlugin> lookup, MaterialDefinition definition, ModellingHypothesis hypothesis, string baseFolder)
    {
        var plugin = lookup(definition.Model, definition.Where);
        var metadata = plugin.Metadata;
        if (!metadata.Hypotheses.Contains(hypothesis))
        {
            throw UserInputException.At(definition.Where,
                $"material '{definition.Name}' (model {metadata.Name}) does not support {hypothesis}; expected a model supporting it (it supports {string.Join(", ", metadata.Hypotheses)})");
        }

        var tangent = definition.Tangent ?? metadata.TangentKinds.FirstOrDefault();
        if (!metadata.TangentKinds.Contains(tangent))
        {
            throw UserInputException.At(definition.Where,
                $"material '{definition.Name}' (model {metadata.Name}) cannot return the {tangent.ToString().ToLowerInvariant()} tangent; expected one of: {string.Join(", ", metadata.TangentKinds.Select(k => k.ToString().ToLowerInvariant()))}");
        }

        var raw = new Dictionary<string, object?>(definition.Parameters, StringComparer.Ordinal);
        foreach (var p in metadata.Parameters.Where(p => p.Kind == ParameterKind.Path))
        {
            if (raw.TryGetValue(p.Name, out var v) && v is string relative && relative.Length > 0)
            {
                raw[p.Name] = Path.GetFullPath(relative, baseFolder);
            }
        }

        try
        {
            return new MaterialBinding(definition, plugin, MaterialParameters.Validate(metadata, raw), tangent);
        }
        catch (MaterialParameterException e)
        {
            throw AtParameter(definition, e);
        }
    }

    /// <summary>
    /// Creates a model instance; a <see cref="MaterialParameterException"/> the plug-in raises for values
    /// that are invalid together is reported at the parameter's location.
    /// </summary>
    public IMaterialModel CreateModel(ModellingHypothesis hypothesis)
    {
        try
        {
            return Plugin.Create(Parameters, hypothesis);
        }
        catch (MaterialParameterException e)
        {
            throw AtParameter(Definition, e);
        }
    }

    /// <summary>Turns a parameter error into a user error at the value's location (or the material's).</summary>
    public static UserInputException AtParameter(MaterialDefinition definition, MaterialParameterException e)
    {
        var where = definition.ParameterLocations.GetValueOrDefault(e.Key) ?? definition.Where;
        var prefix = $"material '{e.Material}', parameter '{e.Key}': ";
        var what = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        what = what.ReplaceLineEndings(" ").TrimEnd('.', ' ');
        if (!what.Contains("expected", StringComparison.OrdinalIgnoreCase))
        {
            // Plug-in messages say what is wrong; every user error also says what is expected (docs/errors.md).
            what += $"; expected a value that model {definition.Model} accepts (its parameters: `femhost plugins`)";
        }

        return new UserInputException($"{where}: material '{definition.Name}' (model {definition.Model}), parameter '{e.Key}': {what}", e);
    }
}
