using FemHost.Cases;
using FemHost.MaterialSdk;

namespace FemHost.PointDriver;

/// <summary>
/// Reads a point-driver file (schema in docs/cases.md, section "Point driver"). Components that a
/// segment does not mention keep their stress (stress-controlled, target = value at the segment start);
/// in plane strain ε33 = 0 always.
/// </summary>
public static class DriverReader
{
    private static readonly IReadOnlyDictionary<string, ModellingHypothesis> HypothesisWords = new Dictionary<string, ModellingHypothesis>
    {
        ["plane_strain"] = ModellingHypothesis.PlaneStrain,
        ["tridimensional"] = ModellingHypothesis.Tridimensional,
    };

    private static readonly IReadOnlyDictionary<string, JacobianKind> JacobianWords = new Dictionary<string, JacobianKind>
    {
        ["auto"] = JacobianKind.Auto,
        ["tangent"] = JacobianKind.Tangent,
        ["finite_difference"] = JacobianKind.FiniteDifference,
    };

    /// <summary>Reads and checks a driver file.</summary>
    /// <exception cref="UserInputException">Any mistake, with file:line:column.</exception>
    public static DriverDefinition Load(string path)
    {
        var root = YamlSection.LoadFile(path, "point-driver file").Allow("name", "hypothesis", "material", "initial_stress", "path", "solver", "output");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = root.OptionalText("name") is { } given ? ResultPaths.Name(given, "name", root.At("name")) : ResultPaths.NameFromFile(path);
        var hypothesis = root.Word("hypothesis", ModellingHypothesis.PlaneStrain, HypothesisWords);
        int n = Voigt.Size(hypothesis);
        var segments = root.List("path");
        if (segments.Count == 0)
        {
            throw UserInputException.At(root.At("path"), "'path' is missing or empty; expected a list of segments such as '- {steps: 10, strain: {\"22\": -0.01}}'");
        }

        return new DriverDefinition
        {
            Name = name,
            SourcePath = Path.GetFullPath(path),
            Hypothesis = hypothesis,
            Material = MaterialReader.Read(root.Section("material"), name),
            InitialStress = ReadInitialStress(root, n),
            Segments = segments.Select((node, i) => ReadSegment(YamlSection.Of(root.File, $"path[{i}]", node), hypothesis)).ToList(),
            Solver = ReadSolver(root.OptionalSection("solver")),
            OutputFile = root.OptionalText("output") is { } output ? ResultPaths.Below(folder, output, "output", root.At("output"))
                : Path.Combine(folder, "results", name + ".csv"),
            OutputWhere = root.OptionalText("output") is null ? SourceLocation.None : root.At("output"),
        };
    }

    private static IReadOnlyList<double> ReadInitialStress(YamlSection root, int n)
    {
        if (root.OptionalSection("initial_stress") is not { } s)
        {
            return new double[n];
        }

        s.Allow("stress", "isotropic");
        if (s.Has("stress") == s.Has("isotropic"))
        {
            throw UserInputException.At(s.Where, $"'initial_stress' gives both or neither of 'stress' and 'isotropic'; expected exactly one of 'stress: [{n} values]' or 'isotropic: VALUE' (tension positive)");
        }

        if (s.Has("stress"))
        {
            return YamlSection.Numbers(s.File, s.Child("stress"), s.Required("stress", "a list"), n);
        }

        var p = s.Double("isotropic");
        return Enumerable.Range(0, n).Select(i => i < 3 ? p : 0.0).ToList();
    }

    private static PathSegment ReadSegment(YamlSection seg, ModellingHypothesis hypothesis)
    {
        seg.Allow("steps", "duration", "strain", "strain_increment", "stress");
        var labels = Voigt.Labels(hypothesis);
        var controls = new ComponentControl?[labels.Count];
        var origin = new SourceLocation?[labels.Count];
        foreach (var (key, kind) in new[] { ("strain", ControlKind.StrainTarget), ("strain_increment", ControlKind.StrainIncrement), ("stress", ControlKind.StressTarget) })
        {
            if (seg.OptionalSection(key) is not { } map)
            {
                continue;
            }

            map.Allow([.. labels]);
            foreach (var label in map.Keys)
            {
                int i = labels.ToList().IndexOf(label);
                if (controls[i] is not null)
                {
                    throw UserInputException.At(map.KeyAt(label), $"component {label} of '{seg.Path}' is controlled twice (also at {origin[i]}); expected each component under exactly one of strain, strain_increment, stress");
                }

                if (hypothesis == ModellingHypothesis.PlaneStrain && i == Voigt.ZZ)
                {
                    throw UserInputException.At(map.KeyAt(label), "component 33 cannot be driven in plane strain: the hypothesis imposes ε33 = 0 and σ33 follows; expected one of 11, 22, 12 (or hypothesis: tridimensional)");
                }

                controls[i] = new ComponentControl(kind, map.Double(label));
                origin[i] = map.KeyAt(label);
            }
        }

        // Unmentioned components: plane-strain ε33 stays 0; every other one keeps its stress.
        var resolved = controls.Select((c, i) => c
            ?? (hypothesis == ModellingHypothesis.PlaneStrain && i == Voigt.ZZ ? new ComponentControl(ControlKind.StrainIncrement, 0)
            : new ComponentControl(ControlKind.StressHeld, 0))).ToList();
        var duration = seg.Double("duration", 1.0);
        if (duration <= 0)
        {
            throw UserInputException.At(seg.At("duration"), $"'{seg.Child("duration")}' is {duration}; expected a positive time span");
        }

        return new PathSegment(seg.Int("steps", 1, 1_000_000), duration, resolved, seg.Where);
    }

    private static DriverSolverSettings ReadSolver(YamlSection? s)
    {
        var defaults = new DriverSolverSettings();
        if (s is null)
        {
            return defaults;
        }

        s.Allow("tolerance", "max_iterations", "jacobian", "max_substeps", "fd_step");
        var tol = s.Double("tolerance", defaults.Tolerance);
        if (tol <= 0)
        {
            throw UserInputException.At(s.At("tolerance"), $"'solver.tolerance' is {tol}; expected a positive number such as 1e-10");
        }

        return new DriverSolverSettings
        {
            Tolerance = tol,
            MaxIterations = s.Int("max_iterations", defaults.MaxIterations, 1, 1000),
            Jacobian = s.Word("jacobian", defaults.Jacobian, JacobianWords),
            MaxSubsteps = s.Int("max_substeps", defaults.MaxSubsteps, 0, 30),
            FiniteDifferenceStep = ReadFiniteDifferenceStep(s),
        };
    }

    private static double? ReadFiniteDifferenceStep(YamlSection s)
    {
        if (!s.Has("fd_step") || s.OptionalText("fd_step") is null or "auto")
        {
            return null;
        }

        var h = s.Double("fd_step");
        return h > 0 && h < 0.1 ? h
            : throw UserInputException.At(s.At("fd_step"), $"'solver.fd_step' is {h}; expected 'auto' or a strain perturbation in (0, 0.1), e.g. 1e-5");
    }
}
