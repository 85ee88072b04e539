using FemHost.Cases;
using FemHost.MaterialSdk;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>The YAML case schema: a full case reads into the record tree, and each mistake names file:line:column and what is expected.</summary>
public class CaseReaderTests
{
    private const string Valid = """
        name: block
        mesh:
          rectangle: {width: 0.5, height: 1.0, nx: 4, ny: 8}
          gauss_order: 2
        materials:
          soil:
            model: Elastic
            tangent: elastic
            parameters: {E: 20000, nu: 0.3, label: "12", props: [1000, 0.3, "2.4"]}
        regions:
          all: soil
        boundary_conditions:
          - {set: bottom, uy: 0}
          - {set: top, ux: 0, uy: -0.01, history: ramp}
        loads:
          edges:
            - {edge: right, pressure: 100}
          body_forces:
            - {by: -20, history: ramp}
        initial_stress:
          - {isotropic: -100}
          - {region: core, stress: [-50, -60, -70, 5]}
        steps: {count: 10, max_cutbacks: 4, allow_growth: false}
        solver: {residual_tolerance: 1.0e-9, max_iterations: 12, line_search: true, linear: managed, threads: 2}
        output:
          folder: out
          every: 5
          vtu: false
          curves:
            - {name: force, kind: reaction_y, set: top}
            - {name: ev, kind: volumetric_strain}
        """;

    [Fact]
    public void A_full_case_reads_into_the_definition_with_relative_paths_resolved_against_the_case_file()
    {
        var path = RepoPaths.TempFile("block.yaml", Valid);
        var c = CaseReader.Load(path);
        Assert.Equal("block", c.Name);
        Assert.Equal(new RectangleMesh(0.5, 1.0, 4, 8), c.Mesh.Rectangle);
        Assert.Equal(2, c.Mesh.GaussOrder);
        var soil = Assert.Single(c.Materials);
        Assert.Equal(("soil", "Elastic", TangentKind.Elastic), (soil.Name, soil.Model, soil.Tangent));
        Assert.Equal(20000L, soil.Parameters["E"]);   // unquoted integer → long
        Assert.Equal(0.3, soil.Parameters["nu"]);     // unquoted real → double
        Assert.Equal("12", soil.Parameters["label"]); // quoted → text
        Assert.Equal(new object?[] { 1000L, 0.3, "2.4" }, Assert.IsAssignableFrom<IEnumerable<object?>>(soil.Parameters["props"])); // a list keeps each scalar's type
        Assert.Equal(9, soil.ParameterLocations["E"].Line);
        Assert.Equal("soil", Assert.Single(c.Regions).Material);
        Assert.Equal(new DisplacementBc("top", 0, -0.01, LoadHistory.Ramp, c.Displacements[1].Where), c.Displacements[1]);
        Assert.Equal(LoadHistory.Ramp, c.Displacements[0].History); // displacement default: ramp
        Assert.Null(c.Displacements[0].Ux);
        Assert.Equal(LoadHistory.Constant, Assert.Single(c.EdgeLoads).History); // load default: constant
        Assert.Equal(-20, Assert.Single(c.BodyForces).By);
        Assert.Equal([-100.0, -100, -100, 0], c.InitialStresses[0].Stress);
        Assert.Equal([-50.0, -60, -70, 5], c.InitialStresses[1].Stress);
        Assert.Equal(new StepControl { Count = 10, MaxCutbacks = 4, AllowGrowth = false }, c.Steps);
        Assert.Equal(LinearSolverKind.Managed, c.Solver.Linear);
        Assert.Equal(PredictorKind.Tangent, c.Solver.Predictor);
        Assert.Equal(NonlinearMethod.Newton, c.Solver.Method); // default: full Newton
        Assert.True(c.Solver.LineSearch);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "out"), c.Output.Folder);
        Assert.False(c.Output.Vtu);
        Assert.Equal(2, c.Output.Curves.Count);
    }

    [Fact]
    public void The_quasi_newton_method_is_read()
    {
        var path = RepoPaths.TempFile("bfgs.yaml", ReplaceFirst(Valid, "threads: 2}", "threads: 2, method: bfgs}"));
        Assert.Equal(NonlinearMethod.Bfgs, CaseReader.Load(path).Solver.Method);
    }

    [Theory]
    [InlineData("cases/elastic-compression.yaml")]
    [InlineData("cases/elastic-confined-biaxial.yaml")]
    public void The_shipped_cases_read(string relative)
    {
        var c = CaseReader.Load(Path.Combine(RepoPaths.Root, relative));
        Assert.NotEmpty(c.Materials);
        Assert.True(c.Steps.Count >= 1);
    }

    [Theory]
    // Each row: a change to the valid case, then the expected line, column and message fragment.
    [InlineData("materials:", "materails:", 5, 1, "unknown key 'materails' in the top level; did you mean 'materials'?")]
    [InlineData("nx: 4", "nx: four", 3, 44, "'mesh.rectangle.nx' is 'four'; expected an integer in [1, 100000]")]
    [InlineData("history: ramp}", "history: ramped}", 14, 43, "'boundary_conditions[1].history' is 'ramped'; did you mean 'ramp'?")]
    [InlineData("all: soil", "all: sand", 11, 8, "region 'all' uses material 'sand', which 'materials' does not define")]
    [InlineData("[-50, -60, -70, 5]", "[-50, -60, -70]", 22, 28, "has 3 values; expected a list of 4 numbers")]
    [InlineData("linear: managed", "linear: umfpack", 24, 85, "expected one of: auto, pardiso, managed")]
    [InlineData("threads: 2}", "threads: 2, predictor: secant}", 24, 117, "expected one of: tangent, extrapolate")]
    [InlineData("threads: 2}", "threads: 2, method: broyden}", 24, 114, "expected one of: newton, bfgs")]
    [InlineData("kind: reaction_y, set: top", "kind: reaction_y", 30, 7, "curve kind 'reaction_y' needs a 'set'")]
    [InlineData("gauss_order: 2", "gauss_order: 4", 4, 16, "'mesh.gauss_order' is 4; expected an integer in [2, 3]")]
    [InlineData("{set: bottom, uy: 0}", "{set: bottom}", 13, 5, "prescribes nothing; expected 'ux', 'uy' or both")]
    [InlineData("  rectangle: {width: 0.5,", "  gmsh: nowhere.msh\n  rectangle: {width: 0.5,", 3, 3, "exactly one source")]
    [InlineData("width: 0.5", "width: -0.5", 3, 22, "'mesh.rectangle.width' is -0.5; expected a positive number")]
    [InlineData("allow_growth: false", "allow_growth: maybe", 23, 51, "expected true or false")]
    [InlineData("max_cutbacks: 4,", "max_cutbacks: 4, min_increment: 0,", 23, 52, "'steps.min_increment' is 0; expected a fraction of the nominal step in (0, 1)")]
    [InlineData("parameters: {E: 20000, nu: 0.3, label: \"12\", props: [1000, 0.3, \"2.4\"]}", "parameters: [20000, 0.3]", 9, 17, "'materials.soil.parameters' must be a mapping")]
    [InlineData("props: [1000, 0.3,", "props: [[1000], 0.3,", 9, 58, "'materials.soil.parameters.props[0]' is a list; expected a number (a list holds numbers only)")]
    [InlineData("props: [1000, 0.3,", "props: [~, 0.3,", 9, 58, "'materials.soil.parameters.props[0]' is empty; expected a number")]
    [InlineData("nu: 0.3,", "nu: {a: 1},", 9, 32, "'materials.soil.parameters.nu' is a mapping; expected a single value (number or word) or a list of numbers such as [1, 2.5]")]
    public void Mistakes_are_reported_with_line_column_and_what_is_expected(string from, string to, int line, int column, string fragment)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        var path = RepoPaths.TempFile("bad.yaml", ReplaceFirst(Valid, from, to));
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(path));
        Assert.StartsWith($"{path}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_syntax_error_names_its_line()
    {
        var path = RepoPaths.TempFile("syntax.yaml", Valid.Replace("  all: soil", "  all: [soil", StringComparison.Ordinal));
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(path));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:1[1-3]:\d+: YAML syntax error", e.Message);
    }

    [Fact]
    public void A_missing_section_says_which_and_what_it_expects()
    {
        var path = RepoPaths.TempFile("nosteps.yaml", Valid.Replace("steps: {count: 10, max_cutbacks: 4, allow_growth: false}\n", "", StringComparison.Ordinal));
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(path));
        Assert.StartsWith($"{path}:1:1: the top level is missing 'steps'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_gmsh_file_is_reported_where_it_is_named()
    {
        var text = ReplaceFirst(Valid, "  rectangle: {width: 0.5, height: 1.0, nx: 4, ny: 8}", "  gmsh: meshes/specimen.msh");
        var path = RepoPaths.TempFile("gmsh.yaml", text);
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(path));
        Assert.StartsWith($"{path}:3:9: 'mesh.gmsh' names 'meshes/specimen.msh', which does not exist", e.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(path)!, "meshes"));
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "meshes", "specimen.msh"), "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n");
        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "meshes", "specimen.msh"), CaseReader.Load(path).Mesh.GmshFile);
    }

    [Fact]
    public void A_missing_file_is_a_user_error()
    {
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(Path.Combine(RepoPaths.TempFolder(), "none.yaml")));
        Assert.Contains("cannot read the case file", e.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        int i = text.IndexOf(from, StringComparison.Ordinal);
        return text[..i] + to + text[(i + from.Length)..];
    }
}
