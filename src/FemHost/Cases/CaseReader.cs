using FemHost.MaterialSdk;

namespace FemHost.Cases;

/// <summary>
/// Reads a boundary-value-problem case file (YAML, schema in docs/cases.md) into a
/// <see cref="CaseDefinition"/>. Every mistake is a <see cref="UserInputException"/> of the form
/// "file:line:column: what is wrong; expected ...". Relative paths resolve against the case file's folder.
/// </summary>
public static class CaseReader
{
    private static readonly string[] TopLevelKeys =
        ["name", "hypothesis", "mesh", "materials", "regions", "boundary_conditions", "loads", "initial_stress", "steps", "solver", "output"];

    private static readonly IReadOnlyDictionary<string, ModellingHypothesis> HypothesisWords =
        new Dictionary<string, ModellingHypothesis> { ["plane_strain"] = ModellingHypothesis.PlaneStrain };

    private static readonly IReadOnlyDictionary<string, ElementType> ElementWords =
        new Dictionary<string, ElementType> { ["q8"] = ElementType.Q8 };

    private static readonly IReadOnlyDictionary<string, LoadHistory> HistoryWords =
        new Dictionary<string, LoadHistory> { ["constant"] = LoadHistory.Constant, ["ramp"] = LoadHistory.Ramp };

    private static readonly IReadOnlyDictionary<string, LinearSolverKind> LinearWords = new Dictionary<string, LinearSolverKind>
    {
        ["auto"] = LinearSolverKind.Auto,
        ["pardiso"] = LinearSolverKind.Pardiso,
        ["managed"] = LinearSolverKind.Managed,
    };

    private static readonly IReadOnlyDictionary<string, PredictorKind> PredictorWords = new Dictionary<string, PredictorKind>
    {
        ["tangent"] = PredictorKind.Tangent,
        ["extrapolate"] = PredictorKind.Extrapolate,
    };

    private static readonly IReadOnlyDictionary<string, NonlinearMethod> MethodWords = new Dictionary<string, NonlinearMethod>
    {
        ["newton"] = NonlinearMethod.Newton,
        ["bfgs"] = NonlinearMethod.Bfgs,
    };

    /// <summary>Curve kinds and whether they need a set.</summary>
    private static readonly IReadOnlyDictionary<string, bool> CurveKinds = new Dictionary<string, bool>
    {
        ["reaction_x"] = true,
        ["reaction_y"] = true,
        ["displacement_x"] = true,
        ["displacement_y"] = true,
        ["volumetric_strain"] = false,
    };

    /// <summary>Reads and checks a case file.</summary>
    /// <param name="path">Case file path; messages quote it as given.</param>
    /// <exception cref="UserInputException">Any mistake in the file, with its location.</exception>
    public static CaseDefinition Load(string path)
    {
        var root = YamlSection.LoadFile(path, "case file").Allow(TopLevelKeys);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var hypothesis = root.Word("hypothesis", ModellingHypothesis.PlaneStrain, HypothesisWords);
        var name = root.OptionalText("name") is { } given ? ResultPaths.Name(given, "name", root.At("name")) : ResultPaths.NameFromFile(path);
        var materials = ReadMaterials(root);
        var loads = root.OptionalSection("loads")?.Allow("edges", "body_forces");
        return new CaseDefinition
        {
            Name = name,
            SourcePath = Path.GetFullPath(path),
            Hypothesis = hypothesis,
            Mesh = ReadMesh(root.Section("mesh"), folder),
            Materials = materials,
            Regions = ReadRegions(root, materials),
            Displacements = root.List("boundary_conditions").Select((n, i) => ReadDisplacement(YamlSection.Of(root.File, $"boundary_conditions[{i}]", n))).ToList(),
            EdgeLoads = loads is null ? [] : loads.List("edges").Select((n, i) => ReadEdgeLoad(YamlSection.Of(root.File, $"loads.edges[{i}]", n))).ToList(),
            BodyForces = loads is null ? [] : loads.List("body_forces").Select((n, i) => ReadBodyForce(YamlSection.Of(root.File, $"loads.body_forces[{i}]", n))).ToList(),
            InitialStresses = root.List("initial_stress").Select((n, i) => ReadInitialStress(YamlSection.Of(root.File, $"initial_stress[{i}]", n), hypothesis)).ToList(),
            Steps = ReadSteps(root.Section("steps")),
            Solver = root.OptionalSection("solver") is { } solver ? ReadSolver(solver) : new SolverSettings(),
            Output = ReadOutput(root.OptionalSection("output"), folder, name),
        };
    }

    private static MeshDefinition ReadMesh(YamlSection mesh, string folder)
    {
        mesh.Allow("rectangle", "gmsh", "element", "gauss_order");
        if (mesh.Has("rectangle") == mesh.Has("gmsh"))
        {
            throw UserInputException.At(mesh.Where, "'mesh' must give exactly one source; expected either 'rectangle: {width, height, nx, ny}' or 'gmsh: FILE.msh'");
        }

        RectangleMesh? rectangle = null;
        string? gmsh = null;
        if (mesh.OptionalSection("rectangle") is { } r)
        {
            r.Allow("width", "height", "nx", "ny", "x0", "y0");
            rectangle = new RectangleMesh(Positive(r, "width"), Positive(r, "height"), r.Int("nx", 1, 100_000), r.Int("ny", 1, 100_000),
                r.Double("x0", 0), r.Double("y0", 0));
        }
        else
        {
            gmsh = ExistingFile(mesh, "gmsh", folder, "a Gmsh .msh 4.1 ASCII file", InputFile.MaxMeshBytes);
        }

        var order = mesh.Int("gauss_order", 3, 2, 3);
        return new MeshDefinition
        {
            Where = mesh.Where,
            Element = mesh.Word("element", ElementType.Q8, ElementWords),
            GaussOrder = order,
            Rectangle = rectangle,
            GmshFile = gmsh,
        };
    }

    private static List<MaterialDefinition> ReadMaterials(YamlSection root)
    {
        var materials = root.Section("materials");
        var list = materials.Keys.Select(name => MaterialReader.Read(materials.Section(name), name)).ToList();
        return list.Count > 0 ? list
            : throw UserInputException.At(materials.Where, "'materials' is empty; expected at least one entry 'NAME: {model: ..., parameters: {...}}'");
    }

    private static List<RegionAssignment> ReadRegions(YamlSection root, IReadOnlyList<MaterialDefinition> materials)
    {
        var regions = root.Section("regions");
        var list = new List<RegionAssignment>();
        foreach (var region in regions.Keys)
        {
            var material = regions.Text(region);
            if (materials.All(m => m.Name != material))
            {
                var names = materials.Select(m => m.Name).ToList();
                var suggestion = KeySuggestion.Closest(material, names);
                var hint = suggestion is null ? "" : $"did you mean '{suggestion}'? ";
                throw UserInputException.At(regions.At(region), $"region '{region}' uses material '{material}', which 'materials' does not define; {hint}expected one of: {string.Join(", ", names)}");
            }

            list.Add(new RegionAssignment(region, material, regions.KeyAt(region)));
        }

        return list.Count > 0 ? list
            : throw UserInputException.At(regions.Where, "'regions' is empty; expected 'REGION: MATERIAL' lines, e.g. 'all: soil'");
    }

    private static DisplacementBc ReadDisplacement(YamlSection bc)
    {
        bc.Allow("set", "ux", "uy", "history");
        var ux = bc.OptionalDouble("ux");
        var uy = bc.OptionalDouble("uy");
        if (ux is null && uy is null)
        {
            throw UserInputException.At(bc.Where, $"'{bc.Path}' prescribes nothing; expected 'ux', 'uy' or both (a missing component stays free)");
        }

        return new DisplacementBc(bc.Text("set"), ux, uy, bc.Word("history", LoadHistory.Ramp, HistoryWords), bc.Where);
    }

    private static EdgeLoad ReadEdgeLoad(YamlSection load)
    {
        load.Allow("edge", "pressure", "tx", "ty", "history");
        if (!load.Has("pressure") && !load.Has("tx") && !load.Has("ty"))
        {
            throw UserInputException.At(load.Where, $"'{load.Path}' applies nothing; expected 'pressure' (positive pushes into the body) and/or a traction 'tx', 'ty'");
        }

        return new EdgeLoad(load.Text("edge"), load.Double("pressure", 0), load.Double("tx", 0), load.Double("ty", 0),
            load.Word("history", LoadHistory.Constant, HistoryWords), load.Where);
    }

    private static BodyForce ReadBodyForce(YamlSection force)
    {
        force.Allow("region", "bx", "by", "history");
        return new BodyForce(force.OptionalText("region"), force.Double("bx", 0), force.Double("by", 0),
            force.Word("history", LoadHistory.Constant, HistoryWords), force.Where);
    }

    private static InitialStress ReadInitialStress(YamlSection s, ModellingHypothesis hypothesis)
    {
        s.Allow("region", "stress", "isotropic");
        int n = Voigt.Size(hypothesis);
        if (s.Has("stress") == s.Has("isotropic"))
        {
            throw UserInputException.At(s.Where, $"'{s.Path}' gives both or neither of 'stress' and 'isotropic'; expected exactly one of 'stress: [{string.Join(", ", Voigt.Labels(hypothesis).Select(l => "s" + l))}]' or 'isotropic: VALUE' (tension positive, e.g. -100 for 100 kPa compression)");
        }

        IReadOnlyList<double> stress;
        if (s.Has("stress"))
        {
            stress = YamlSection.Numbers(s.File, s.Child("stress"), s.Required("stress", "a list"), n);
        }
        else
        {
            var p = s.Double("isotropic");
            stress = Enumerable.Range(0, n).Select(i => i < 3 ? p : 0.0).ToList();
        }

        return new InitialStress(s.OptionalText("region"), stress, s.Where);
    }

    private static StepControl ReadSteps(YamlSection steps)
    {
        steps.Allow("count", "max_cutbacks", "min_increment", "allow_growth");
        double minIncrement = steps.Double("min_increment", new StepControl().MinIncrement);
        if (!(minIncrement > 0 && minIncrement < 1))
        {
            throw UserInputException.At(steps.At("min_increment"), $"'{steps.Child("min_increment")}' is {minIncrement}; expected a fraction of the nominal step in (0, 1), e.g. 1e-5");
        }

        return new StepControl
        {
            Count = steps.Int("count", 1),
            MaxCutbacks = steps.Int("max_cutbacks", new StepControl().MaxCutbacks, 0, 50),
            MinIncrement = minIncrement,
            AllowGrowth = steps.Bool("allow_growth", new StepControl().AllowGrowth),
        };
    }

    private static SolverSettings ReadSolver(YamlSection solver)
    {
        solver.Allow("residual_tolerance", "displacement_tolerance", "max_iterations", "line_search", "linear", "threads", "predictor", "method");
        var defaults = new SolverSettings();
        return new SolverSettings
        {
            ResidualTolerance = Positive(solver, "residual_tolerance", defaults.ResidualTolerance),
            DisplacementTolerance = Positive(solver, "displacement_tolerance", defaults.DisplacementTolerance),
            MaxIterations = solver.Int("max_iterations", defaults.MaxIterations, 1, 1000),
            LineSearch = solver.Bool("line_search", defaults.LineSearch),
            Linear = solver.Word("linear", defaults.Linear, LinearWords),
            Threads = solver.Int("threads", defaults.Threads, 0, 4096),
            Predictor = solver.Word("predictor", defaults.Predictor, PredictorWords),
            Method = solver.Word("method", defaults.Method, MethodWords),
        };
    }

    private static OutputSettings ReadOutput(YamlSection? output, string folder, string caseName)
    {
        if (output is null)
        {
            return new OutputSettings { Folder = Path.Combine(folder, "results", caseName) };
        }

        output.Allow("folder", "every", "vtu", "plots", "point_log", "curves", "checkpoint_every");
        var defaults = new OutputSettings { Folder = "" };
        return new OutputSettings
        {
            Folder = output.OptionalText("folder") is { } given ? ResultPaths.Below(folder, given, "output.folder", output.At("folder"))
                : Path.Combine(folder, "results", caseName),
            Where = output.OptionalText("folder") is null ? output.Where : output.At("folder"),
            Every = output.Int("every", defaults.Every, 1, int.MaxValue),
            Vtu = output.Bool("vtu", defaults.Vtu),
            Plots = output.Bool("plots", defaults.Plots),
            PointLog = output.Bool("point_log", defaults.PointLog),
            CheckpointEvery = output.Int("checkpoint_every", defaults.CheckpointEvery, 1, int.MaxValue),
            Curves = output.List("curves").Select((n, i) => ReadCurve(YamlSection.Of(output.File, $"output.curves[{i}]", n))).ToList(),
        };
    }

    private static CurveDefinition ReadCurve(YamlSection curve)
    {
        curve.Allow("name", "kind", "set");
        var kind = curve.Word("kind", "", CurveKinds.Keys.ToDictionary(k => k, k => k));
        if (kind.Length == 0)
        {
            throw UserInputException.At(curve.Where, $"'{curve.Path}' is missing 'kind'; expected one of: {string.Join(", ", CurveKinds.Keys)}");
        }

        var set = curve.OptionalText("set");
        if (CurveKinds[kind] && set is null)
        {
            throw UserInputException.At(curve.Where, $"curve kind '{kind}' needs a 'set'; expected the name of a node set or edge, e.g. 'top'");
        }

        // A curve's name is a column of curves.csv and the name of its plot, NAME.png.
        return new CurveDefinition(ResultPaths.Name(curve.Text("name"), curve.Child("name"), curve.At("name")), kind, set, curve.Where);
    }

    private static double Positive(YamlSection s, string key, double? fallback = null)
    {
        var x = fallback is { } f ? s.Double(key, f) : s.Double(key);
        return x > 0 ? x : throw UserInputException.At(s.At(key), $"'{s.Child(key)}' is {x}; expected a positive number");
    }

    private static string ExistingFile(YamlSection s, string key, string folder, string what, long maxBytes)
    {
        var full = Path.GetFullPath(s.Text(key), folder);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw UserInputException.At(s.At(key), $"'{s.Child(key)}' names '{s.Text(key)}', which does not exist (looked for {full}); expected {what}, relative to the case file");
        }

        InputFile.Check(full, $"'{s.Child(key)}'", what, maxBytes, s.At(key));
        return full;
    }
}
