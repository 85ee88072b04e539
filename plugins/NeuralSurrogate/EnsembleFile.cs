using System.Text.Json;
using System.Text.Json.Nodes;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// The "femhost-neural-ensemble" file, version 1: a list of femhost-neural-model files of one role whose mean the
/// plug-in runs (<see cref="SurrogateEnsemble"/>). Member paths are relative to the ensemble file's folder. It is
/// accepted wherever a model file is (<c>nn1_model</c>, <c>nn2_model</c>); see docs/neural-surrogate.md.
/// </summary>
public sealed record NeuralEnsembleFile
{
    /// <summary>Format tag written in every file.</summary>
    public const string FormatName = "femhost-neural-ensemble";

    /// <summary>Format tag; must be <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Format version; 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>What every member predicts.</summary>
    public required NetworkRole Role { get; init; }

    /// <summary>Member model files, relative to the ensemble file's folder (or absolute).</summary>
    public required string[] Members { get; init; }

    /// <summary>Free-form provenance (how the members were trained).</summary>
    public JsonObject? Provenance { get; init; }

    /// <summary>True when <paramref name="path"/> is a readable JSON document whose <c>format</c> is <see cref="FormatName"/>.</summary>
    public static bool IsEnsemble(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["format"] is JsonValue v
                && v.TryGetValue<string>(out var format) && format == FormatName;
        }
        catch (JsonException)
        {
            return false; // not JSON at all: the model-file reader reports it
        }
    }

    /// <summary>Writes the file atomically (to <c>&lt;path&gt;.tmp</c>, then renamed).</summary>
    public void Save(string path) => ModelJson.Save(path, JsonSerializer.Serialize(this, ModelJson.Options));

    /// <summary>Reads and checks an ensemble file (version, a non-empty member list); every problem is a <see cref="ModelFileException"/> naming the file.</summary>
    public static NeuralEnsembleFile Load(string path)
    {
        NeuralEnsembleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<NeuralEnsembleFile>(File.ReadAllText(path), ModelJson.Options);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"not a valid {FormatName} JSON document (line {e.LineNumber + 1}, {e.Path}): {e.Message}", e);
        }

        if (file is null || file.Version != 1)
        {
            throw new ModelFileException(path, $"format version {file?.Version} is not supported; this plug-in reads {FormatName} version 1");
        }

        if (file.Members is not { Length: > 0 } || file.Members.Any(string.IsNullOrWhiteSpace))
        {
            throw new ModelFileException(path, "'members' must list at least one model file (paths relative to this file's folder)");
        }

        return file;
    }

    /// <summary>
    /// Reads every member of this ensemble (file <paramref name="path"/>) and builds the mean network. Every problem (a
    /// missing or invalid member, a member of another role, a nested ensemble, members with different columns) is a
    /// <see cref="ModelFileException"/> naming the file at fault.
    /// </summary>
    public SurrogateEnsemble ToEnsemble(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var members = new List<SurrogateNetwork>();
        foreach (var member in Members)
        {
            string memberPath = Path.Combine(folder, member);
            if (IsEnsemble(memberPath))
            {
                throw new ModelFileException(path, $"member '{member}' is itself an ensemble; list its model files instead");
            }

            var model = NeuralModelFile.Load(memberPath);
            if (model.Role != Role)
            {
                throw new ModelFileException(memberPath, $"is a {Name(model.Role)} network, but the ensemble '{path}' is of role {Name(Role)}");
            }

            members.Add(model.ToNetwork(memberPath));
        }

        try
        {
            return new SurrogateEnsemble(members);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, e.Message, e);
        }
    }

    private static string Name(NetworkRole role) => role.ToString().ToLowerInvariant();
}
