using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>A model file that cannot be read, or does not fit its use; the message names the file and the problem.</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : Exception($"neural model file '{path}': {problem}", inner)
{
    /// <summary>The offending file.</summary>
    public string FilePath { get; } = path;
}

/// <summary>The JSON conventions shared by the model and ensemble files: snake_case keys and enums, strict numbers, atomic writes.</summary>
internal static class ModelJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Writes <paramref name="text"/> to <c>&lt;path&gt;.tmp</c>, then renames it over <paramref name="path"/>, so a reader never sees a half-written file.</summary>
    public static void Save(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, full, overwrite: true);
    }
}

/// <summary>What a network predicts.</summary>
public enum NetworkRole
{
    /// <summary>NN1: stress from strain and φ (paper eq. 8).</summary>
    Stress,

    /// <summary>NN2: the tangent's upper triangle from strain and φ (paper eq. 9).</summary>
    Tangent,
}

/// <summary>Column-wise normalisation as stored in a model file.</summary>
/// <param name="Mean">Column means.</param>
/// <param name="Scale">Column scales.</param>
public sealed record ScalingRecord(double[] Mean, double[] Scale);

/// <summary>One dense layer as stored in a model file: weight row-major (outputs × inputs), bias.</summary>
/// <param name="Weight">Rows of the weight matrix, one per output.</param>
/// <param name="Bias">Bias per output.</param>
public sealed record LayerRecord(double[][] Weight, double[] Bias);

/// <summary>Network architecture as stored in a model file.</summary>
/// <param name="Kind">"mlp" (the only kind the plug-in runs).</param>
/// <param name="LayerSizes">Widths [inputs, hidden…, outputs], e.g. [5, 5, 5, 3].</param>
/// <param name="HiddenActivation">"sigmoid".</param>
/// <param name="OutputActivation">"linear".</param>
public sealed record ArchitectureRecord(string Kind, int[] LayerSizes, string HiddenActivation, string OutputActivation);

/// <summary>A map applied to the denormalised MLP output, as stored in a model file.</summary>
/// <param name="Kind">"cholesky": the outputs are a lower-triangular factor L, and the network gives D = c² L Lᵀ (<see cref="CholeskyTangent"/>).</param>
/// <param name="Scale">c (kPa^½).</param>
public sealed record OutputTransformRecord(string Kind, double Scale);

/// <summary>
/// The "femhost-neural-model" file, version 1 (version 2 when it has an <see cref="OutputTransform"/>): one self-describing JSON document with the architecture,
/// the weights, the feature definition (input and output column names of the shared dataset format), the
/// normalisation, and the training provenance (datasets with SHA-256, configuration, versions, metrics).
/// See docs/neural-surrogate.md. Written atomically by <see cref="Save"/>; <see cref="Load"/> checks
/// everything a run relies on and reports problems as <see cref="ModelFileException"/>.
/// </summary>
public sealed record NeuralModelFile
{
    /// <summary>Format tag written in every file.</summary>
    public const string FormatName = "femhost-neural-model";

    /// <summary>The newest format version this code reads and writes: 2 adds <c>output_transform</c>; files without one are written as version 1.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Format tag; must be <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Format version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>What the network predicts.</summary>
    public required NetworkRole Role { get; init; }

    /// <summary>Architecture.</summary>
    public required ArchitectureRecord Architecture { get; init; }

    /// <summary>Input column names (e.g. eps_11, phi_22).</summary>
    public required string[] Inputs { get; init; }

    /// <summary>Output column names (e.g. sig_11 or D_11_22).</summary>
    public required string[] Outputs { get; init; }

    /// <summary>Normalisation of the inputs.</summary>
    public required ScalingRecord InputScaling { get; init; }

    /// <summary>Normalisation of the outputs.</summary>
    public required ScalingRecord OutputScaling { get; init; }

    /// <summary>Dense layers, input to output.</summary>
    public required LayerRecord[] Layers { get; init; }

    /// <summary>Map applied after the output scaling (version 2); null (not written): the outputs are the quantities themselves.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutputTransformRecord? OutputTransform { get; init; }

    /// <summary>Free-form provenance: trainer and library versions, datasets and hashes, configuration, metrics.</summary>
    public JsonObject? Provenance { get; init; }

    /// <summary>Builds the record of a managed network with its scalings and features.</summary>
    public static NeuralModelFile From(SurrogateNetwork network, NetworkRole role, JsonObject? provenance) => new()
    {
        Version = network.Cholesky is null ? 1 : 2,
        OutputTransform = network.Cholesky is null ? null : new OutputTransformRecord("cholesky", network.Cholesky.Scale),
        Role = role,
        Architecture = new ArchitectureRecord("mlp", network.Mlp.LayerSizes, "sigmoid", "linear"),
        Inputs = [.. network.Inputs.Select(f => f.Name)],
        Outputs = [.. network.Outputs.Select(f => f.Name)],
        InputScaling = new ScalingRecord(network.InputScaling.Mean, network.InputScaling.Scale),
        OutputScaling = new ScalingRecord(network.OutputScaling.Mean, network.OutputScaling.Scale),
        Layers = [.. network.Mlp.Layers.Select(l => new LayerRecord(
            [.. Enumerable.Range(0, l.Outputs).Select(i => l.Weight.AsSpan(i * l.Inputs, l.Inputs).ToArray())], l.Bias))],
        Provenance = provenance,
    };

    /// <summary>
    /// Writes the file atomically: to <c>&lt;path&gt;.tmp</c> first, then renamed over <paramref name="path"/>,
    /// so a reader never sees a half-written model.
    /// </summary>
    public void Save(string path) => ModelJson.Save(path, JsonSerializer.Serialize(this, ModelJson.Options));

    /// <summary>Reads and checks a model file; every problem is a <see cref="ModelFileException"/> naming the file.</summary>
    public static NeuralModelFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFileException(path, "file not found; train one with `femhost-train` (see docs/neural-surrogate.md)");
        }

        NeuralModelFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<NeuralModelFile>(stream, ModelJson.Options);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"not a valid {FormatName} JSON document (line {e.LineNumber + 1}, {e.Path}): {e.Message}", e);
        }

        if (file is null)
        {
            throw new ModelFileException(path, "the file is empty (JSON null)");
        }

        file.Check(path);
        return file;
    }

    /// <summary>Builds the managed network (with scalings and parsed features) described by this file.</summary>
    public SurrogateNetwork ToNetwork(string path)
    {
        try
        {
            var layers = Layers.Select(l => new DenseLayer(l.Weight[0].Length, l.Weight.Length, [.. l.Weight.SelectMany(r => r)], l.Bias)).ToArray();
            var outputs = Feature.ParseAll(Outputs);
            return new SurrogateNetwork(new Mlp(layers), Feature.ParseAll(Inputs), outputs,
                new AffineScaling(InputScaling.Mean, InputScaling.Scale), new AffineScaling(OutputScaling.Mean, OutputScaling.Scale),
                OutputTransform is null ? null : new CholeskyTangent(outputs, OutputTransform.Scale));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ModelFileException(path, e.Message, e);
        }
    }

    private void Check(string path)
    {
        void Require([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool ok, string problem)
        {
            if (!ok)
            {
                throw new ModelFileException(path, problem);
            }
        }

        Require(Format == FormatName, $"format is '{Format}', expected '{FormatName}'");
        Require(Version is >= 1 and <= CurrentVersion, $"format version {Version} is not supported; this plug-in reads versions 1 to {CurrentVersion}");
        Require(OutputTransform is null || Version >= 2, "output_transform needs format version 2");
        Require(OutputTransform is null || (OutputTransform.Kind == "cholesky" && Role == NetworkRole.Tangent),
            $"output_transform '{OutputTransform?.Kind}' is not supported; 'cholesky' is, for a tangent network");
        Require(OutputTransform is null || (OutputTransform.Scale > 0 && double.IsFinite(OutputTransform.Scale)),
            $"output_transform.scale must be positive and finite, not {OutputTransform?.Scale}");
        Require(Architecture is not null && Inputs is not null && Outputs is not null && InputScaling is not null && OutputScaling is not null && Layers is not null,
            "missing one of architecture, inputs, outputs, input_scaling, output_scaling, layers");
        Require(Architecture!.Kind == "mlp", $"architecture kind '{Architecture.Kind}' cannot run in the plug-in; only 'mlp' can");
        Require(Architecture.HiddenActivation == "sigmoid" && Architecture.OutputActivation == "linear",
            $"activations '{Architecture.HiddenActivation}'/'{Architecture.OutputActivation}' are not supported; expected sigmoid hidden layers and a linear output");
        var sizes = Architecture.LayerSizes;
        Require(sizes is { Length: >= 2 } && Layers.Length == sizes.Length - 1, $"layer_sizes has {sizes?.Length ?? 0} entries but there are {Layers.Length} layers");
        Require(sizes![0] == Inputs.Length && sizes[^1] == Outputs.Length,
            $"layer_sizes [{string.Join(", ", sizes)}] does not match {Inputs.Length} inputs and {Outputs.Length} outputs");
        for (int l = 0; l < Layers.Length; l++)
        {
            var layer = Layers[l];
            Require(layer.Weight is not null && layer.Bias is not null, $"layer {l} lacks weight or bias");
            Require(layer.Weight!.Length == sizes[l + 1] && layer.Bias!.Length == sizes[l + 1] && layer.Weight.All(r => r is not null && r.Length == sizes[l]),
                $"layer {l} should have a {sizes[l + 1]}×{sizes[l]} weight and {sizes[l + 1]} biases");
            Require(layer.Weight.All(r => r.All(double.IsFinite)) && layer.Bias.All(double.IsFinite), $"layer {l} holds non-finite weights");
        }

        Require(InputScaling.Mean?.Length == Inputs.Length && InputScaling.Scale?.Length == Inputs.Length, "input_scaling does not have one mean and one scale per input");
        Require(OutputScaling.Mean?.Length == Outputs.Length && OutputScaling.Scale?.Length == Outputs.Length, "output_scaling does not have one mean and one scale per output");
        var kinds = Outputs.Select(n => Feature.TryParse(n, out var f) ? f.Kind : (QuantityKind?)null).ToArray();
        var wanted = Role == NetworkRole.Stress ? QuantityKind.Stress : QuantityKind.Tangent;
        Require(kinds.All(k => k == wanted), $"a {Role.ToString().ToLowerInvariant()} network must output only {(wanted == QuantityKind.Stress ? "sig_ij" : "D_ij_kl")} columns; it outputs {string.Join(", ", Outputs)}");
        Require(Inputs.All(n => Feature.TryParse(n, out var f) && f.Kind is QuantityKind.Strain or QuantityKind.AccumulatedStrain),
            $"inputs must be eps_ij or phi_ij columns; got {string.Join(", ", Inputs)}");
    }
}
