using FemHost.MaterialSdk;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class ModelFileTests
{
    /// <summary>Truth: JSON numbers are written round-trip exact, so a saved and reloaded network predicts bit-identically.</summary>
    [Fact]
    public void SavedModelReloadsBitIdentically()
    {
        var net = PluginTestSupport.Nn1(seed: 21);
        var file = Path.Combine(Directory.CreateTempSubdirectory("nn-file-").FullName, "nn1.json");
        NeuralModelFile.From(net, NetworkRole.Stress, new() { ["note"] = "test" }).Save(file);
        Assert.False(File.Exists(file + ".tmp"));
        var loaded = NeuralModelFile.Load(file);
        Assert.Equal("test", (string?)loaded.Provenance!["note"]);
        var back = loaded.ToNetwork(file);
        var x = Enumerable.Range(0, 50).Select(i => 0.001 * (i % 17) - 0.008).ToArray();
        var (a, b) = (new double[30], new double[30]);
        net.Evaluate(x, a, 10);
        back.Evaluate(x, b, 10);
        Assert.Equal(a, b);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "truncated", "not a valid femhost-neural-model JSON document" },
        { "format", "format is 'something-else'" },
        { "version", "format version 7 is not supported" },
        { "shape", "layer 1 should have a 5×5 weight" },
        { "nan", "JSON document" },
        { "inputs", "inputs must be eps_ij or phi_ij" },
    };

    /// <summary>Truth: a damaged or inconsistent file is refused with a message naming the file and the problem.</summary>
    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptFilesGiveClearErrors(string corruption, string expected)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("nn-bad-").FullName, "nn1.json");
        NeuralModelFile.From(PluginTestSupport.Nn1(seed: 1), NetworkRole.Stress, null).Save(file);
        var text = File.ReadAllText(file);
        text = corruption switch
        {
            "truncated" => text[..(text.Length / 2)],
            "format" => text.Replace("femhost-neural-model", "something-else"),
            "version" => text.Replace("\"version\": 1", "\"version\": 7"),
            "shape" => ReplaceFirstLayerRow(text),
            "nan" => text.Replace("\"bias\": [", "\"bias\": [NaN, "),
            _ => text.Replace("\"phi_22\"", "\"sig_22\""),
        };
        File.WriteAllText(file, text);
        var e = Assert.Throws<ModelFileException>(() => NeuralModelFile.Load(file));
        Assert.Contains(file, e.Message);
        Assert.Contains(expected, e.Message);
    }

    /// <summary>Truth: the plug-in reports file problems as parameter errors naming the key (a user error, not a crash).</summary>
    [Fact]
    public void PluginNamesTheParameterOfABadFile()
    {
        var folder = Directory.CreateTempSubdirectory("nn-role-").FullName;
        var nn2File = Path.Combine(folder, "nn2.json");
        NeuralModelFile.From(PluginTestSupport.Nn2(seed: 1), NetworkRole.Tangent, null).Save(nn2File);
        var plugin = new NeuralSurrogatePlugin();
        var wrongRole = Assert.Throws<MaterialParameterException>(() => plugin.Create(
            MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?> { ["nn1_model"] = nn2File }), ModellingHypothesis.PlaneStrain));
        Assert.Equal("nn1_model", wrongRole.Key);
        Assert.Contains("needs a stress network", wrongRole.Message);
        var missing = Assert.Throws<MaterialParameterException>(() => plugin.Create(
            MaterialParameters.Validate(plugin.Metadata, new Dictionary<string, object?> { ["nn1_model"] = Path.Combine(folder, "absent.json") }), ModellingHypothesis.PlaneStrain));
        Assert.Contains("file not found", missing.Message);
    }

    private static string ReplaceFirstLayerRow(string text)
    {
        // Drop one row of the second layer's weight matrix: 4 rows instead of 5.
        var doc = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        doc["layers"]![1]!["weight"]!.AsArray().RemoveAt(0);
        return doc.ToJsonString();
    }
}
