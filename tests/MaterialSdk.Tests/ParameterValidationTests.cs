using FemHost.MaterialSdk;

namespace FemHost.MaterialSdk.Tests;

/// <summary>Typed parameter validation: every mistake names the key and the allowed values.</summary>
public class ParameterValidationTests
{
    private static readonly MaterialMetadata Metadata = new()
    {
        Name = "Probe",
        Version = new Version(1, 0),
        Description = "parameter probe",
        Parameters =
        [
            ParameterInfo.Real("E", "kPa", "Young's modulus", min: 1e-12),
            ParameterInfo.Real("nu", "-", "Poisson's ratio", 0.3, min: -0.999, max: 0.499),
            ParameterInfo.Integer("particles", "number of particles", 500, min: 10, max: 100_000),
            ParameterInfo.Choice("preset", "contact preset", "M1", "M1", "M2"),
            ParameterInfo.File("model", "network file", "none"),
        ],
    };

    private static MaterialParameters Validate(params (string Key, object? Value)[] values) =>
        MaterialParameters.Validate(Metadata, values.ToDictionary(v => v.Key, v => v.Value));

    private static MaterialParameterException Rejects(params (string Key, object? Value)[] values) =>
        Assert.Throws<MaterialParameterException>(() => Validate(values));

    [Fact]
    public void Valid_values_are_typed_and_defaults_fill_the_rest()
    {
        var p = Validate(("E", 1000L), ("particles", 800.0), ("preset", "M2"));
        Assert.Equal(1000.0, p.Real("E"));    // integers widen to real
        Assert.Equal(0.3, p.Real("nu"));      // default
        Assert.Equal(800L, p.Integer("particles"));
        Assert.Equal("M2", p.Text("preset"));
        Assert.Equal("none", p.Text("model"));
        Assert.Equal(2500.0, Validate(("E", "2.5e3")).Real("E")); // numbers written as text parse
        Assert.Equal(0.25, p.With(new Dictionary<string, object?> { ["nu"] = 0.25 }).Real("nu"));
    }

    [Fact]
    public void An_unknown_key_names_the_known_parameters()
    {
        var e = Rejects(("E", 1.0), ("mu", 0.3));
        Assert.Equal("mu", e.Key);
        Assert.Equal("Probe", e.Material);
        Assert.Contains("unknown parameter; known parameters: E, nu, particles, preset, model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_key_says_what_is_expected()
    {
        var e = Rejects(("nu", 0.2));
        Assert.Equal("E", e.Key);
        Assert.Contains("required parameter is missing; expected a number in [1E-12, +inf] kPa (Young's modulus)", e.Message, StringComparison.Ordinal);
        Assert.Throws<MaterialParameterException>(() => MaterialParameters.Defaults(Metadata));
    }

    [Theory]
    [InlineData("nu", 0.5, "0.5 is out of bounds; expected a number in [-0.999, 0.499]")]
    [InlineData("E", 0.0, "0 is out of bounds")]
    [InlineData("E", "soft", "'soft' is not a number")]
    [InlineData("E", double.NaN, "NaN is not finite")]
    [InlineData("particles", 12.5, "12.5 is not an integer; expected an integer in [10, 100000]")]
    [InlineData("particles", 5L, "5 is out of bounds")]
    [InlineData("preset", "M3", "'M3' is not allowed; expected one of M1, M2")]
    [InlineData("model", "", "empty path")]
    public void Wrong_values_name_the_key_and_the_allowed_values(string key, object value, string fragment)
    {
        var values = key == "E" ? new[] { (key, (object?)value) } : new[] { ("E", (object?)1.0), (key, (object?)value) };
        var e = Rejects(values);
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"material 'Probe', parameter '{key}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    private static readonly MaterialMetadata ListMetadata = new()
    {
        Name = "ListProbe",
        Version = new Version(1, 1),
        Description = "list parameter probe",
        Parameters =
        [
            ParameterInfo.RealList("props", "-", "UMAT properties", []),
            ParameterInfo.RealList("radii", "mm", "particle radii", min: 0.0, max: 10.0),
            ParameterInfo.Real("E", "kPa", "Young's modulus", 1.0),
        ],
    };

    [Fact]
    public void A_list_parameter_keeps_its_values_in_order_as_reals()
    {
        var p = MaterialParameters.Validate(ListMetadata, new Dictionary<string, object?>
        {
            ["props"] = new List<object?> { 1000L, 0.3, "2.5e1" },   // as the case reader hands them: long, double, quoted text
            ["radii"] = new object[] { 3.0, 7L },
        });
        Assert.Equal(new[] { 1000.0, 0.3, 25.0 }, p.RealList("props"));
        Assert.Equal(new[] { 3.0, 7.0 }, p.RealList("radii"));
        Assert.IsAssignableFrom<IReadOnlyList<double>>(p.Values["props"]);

        // The empty default makes the list optional; a null default makes it required.
        var defaults = MaterialParameters.Validate(ListMetadata, new Dictionary<string, object?> { ["radii"] = new[] { 1.0 } });
        Assert.Empty(defaults.RealList("props"));
        var missing = Assert.Throws<MaterialParameterException>(() => MaterialParameters.Validate(ListMetadata, new Dictionary<string, object?>()));
        Assert.Equal("radii", missing.Key);
        Assert.Contains("expected a list of numbers in [0, 10] mm", missing.Message, StringComparison.Ordinal);

        // With() validates the merged list again.
        Assert.Equal(new[] { 5.0 }, p.With(new Dictionary<string, object?> { ["radii"] = new[] { 5.0 } }).RealList("radii"));
        Assert.Equal(new[] { 1000.0, 0.3, 25.0 }, p.With(new Dictionary<string, object?> { ["E"] = 2.0 }).RealList("props"));
    }

    [Theory]
    [InlineData("radii", "3", "'3' is not a list; expected a list of numbers in [0, 10] mm")]
    [InlineData("radii", new object[] { 1.0, "big" }, "element 2: 'big' is not a number")]
    [InlineData("radii", new object[] { 1.0, 2.0, 11.0 }, "element 3: 11 is out of bounds; expected a list of numbers in [0, 10] mm")]
    [InlineData("radii", new object[] { double.PositiveInfinity }, "element 1: Infinity is not finite")]
    [InlineData("props", 4.0, "4 is not a list; expected a list of numbers such as [1, 2.5]")]
    [InlineData("E", new object[] { 1.0, 2.0 }, "[1, 2] is not a number; expected a number")]
    public void A_wrong_list_names_the_element_and_the_allowed_values(string key, object value, string fragment)
    {
        var raw = new Dictionary<string, object?> { ["radii"] = new[] { 1.0 }, [key] = value };
        var e = Assert.Throws<MaterialParameterException>(() => MaterialParameters.Validate(ListMetadata, raw));
        Assert.Equal(key, e.Key);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_and_path_parameters_refuse_a_list()
    {
        var e = Rejects(("E", 1.0), ("model", new object[] { "a", "b" }));
        Assert.Contains("['a', 'b'] is a list; expected a file path", e.Message, StringComparison.Ordinal);
        e = Rejects(("E", 1.0), ("preset", new object[] { "M1" }));
        Assert.Contains("['M1'] is a list; expected one of M1, M2", e.Message, StringComparison.Ordinal);
    }
}
