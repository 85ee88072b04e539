using FemHost.Cases;
using FemHost.Fem.Elements;
using FemHost.Fem.Meshes;
using FemHost.MaterialSdk;
using FemHost.Plugins;

namespace FemHost.Fem.Model;

/// <summary>
/// Turns a validated case into a <see cref="Model"/>: builds or reads the mesh, checks every element's
/// Jacobian, creates one material model per region through its plug-in, resolves node sets and edges,
/// integrates consistent nodal loads and initialises the material points from the initial stress.
/// Every reference the case makes to the mesh (sets, regions) is checked here, with the case location.
/// </summary>
public static class ModelBuilder
{
    /// <summary>Builds the model of <paramref name="c"/>.</summary>
    /// <param name="c">The case.</param>
    /// <param name="plugins">Looks a plug-in up by material model name (e.g. PluginCatalog.Get).</param>
    /// <param name="mesh">A mesh to use instead of the case's mesh source (tests, benchmarks).</param>
    public static Model Build(CaseDefinition c, Func<string, SourceLocation, IMaterialPlugin> plugins, Mesh? mesh = null)
    {
        if (c.Hypothesis != ModellingHypothesis.PlaneStrain)
        {
            throw UserInputException.At(c.Mesh.Where, $"hypothesis {c.Hypothesis} is not available for Q8 elements; expected PlaneStrain");
        }

        mesh ??= LoadMesh(c.Mesh);
        var element = new PlaneStrainElement(mesh.Shape, GaussOrder(c.Mesh));
        CheckGeometry(mesh, element, c.Mesh.Where);
        var regions = CreateRegions(c, mesh, element, plugins);
        try
        {
            InitializePoints(c, mesh, element, regions);
            var prescribed = Prescribe(c, mesh);
            var (constant, ramp) = Loads(c, mesh, element, regions);
            return new Model(mesh, element, regions, prescribed, constant, ramp);
        }
        catch
        {
            foreach (var r in regions)
            {
                r.Dispose();
            }

            throw;
        }
    }

    /// <summary>The structured rectangle or the Gmsh file of a mesh definition.</summary>
    public static Mesh LoadMesh(MeshDefinition m) =>
        m.Rectangle is { } r ? StructuredMesh.Rectangle(r, m.Where)
        : m.GmshFile is { } f ? GmshReader.Read(f)
        : throw UserInputException.At(m.Where, "the mesh has no source; expected a rectangle or a Gmsh file");

    private static int GaussOrder(MeshDefinition m) => m.GaussOrder is 2 or 3 ? m.GaussOrder
        : throw UserInputException.At(m.Where, $"Gauss order {m.GaussOrder} is not available; expected 2 (2×2 points) or 3 (3×3 points)");

    private static void CheckGeometry(Mesh mesh, IElementFormulation element, SourceLocation where)
    {
        Span<double> xy = stackalloc double[2 * mesh.Shape.NodeCount];
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            mesh.ElementCoordinates(e, xy);
            try
            {
                element.CheckGeometry(e, xy);
            }
            catch (ElementGeometryException bad)
            {
                // Element ids are 0-based in the order of the mesh source; name both the case entry and the mesh.
                throw bad.At($"{where}: mesh {mesh.Source} (elements numbered from 0 in file order)");
            }
        }
    }

    private static List<MaterialRegion> CreateRegions(CaseDefinition c, Mesh mesh, IElementFormulation element,
        Func<string, SourceLocation, IMaterialPlugin> plugins)
    {
        var owner = new int[mesh.ElementCount];
        Array.Fill(owner, -1);
        var regions = new List<MaterialRegion>();
        try
        {
            foreach (var assignment in c.Regions)
            {
                if (!mesh.Regions.TryGetValue(assignment.Region, out var elements))
                {
                    throw UserInputException.At(assignment.Where,
                        $"region '{assignment.Region}' is not in mesh {mesh.Source}; expected one of {string.Join(", ", mesh.Regions.Keys.Order())}");
                }

                var def = c.Materials.FirstOrDefault(m => m.Name == assignment.Material) ?? throw UserInputException.At(assignment.Where,
                    $"material '{assignment.Material}' is not defined; expected one of {string.Join(", ", c.Materials.Select(m => m.Name))}");
                foreach (int e in elements)
                {
                    if (owner[e] >= 0)
                    {
                        throw UserInputException.At(assignment.Where,
                            $"element {e} of region '{assignment.Region}' already has a material from region '{c.Regions[owner[e]].Region}'; expected regions that do not overlap");
                    }

                    owner[e] = regions.Count;
                }

                regions.Add(CreateRegion(c, def, assignment.Region, elements, element, plugins));
            }

            int orphan = Array.IndexOf(owner, -1);
            if (orphan >= 0)
            {
                throw UserInputException.At(c.Regions.Count > 0 ? c.Regions[0].Where : c.Mesh.Where,
                    $"element {orphan} has no material; expected every element in one assigned region (mesh regions: {string.Join(", ", mesh.Regions.Keys.Order())})");
            }

            return regions;
        }
        catch
        {
            foreach (var r in regions)
            {
                r.Dispose();
            }

            throw;
        }
    }

    private static MaterialRegion CreateRegion(CaseDefinition c, MaterialDefinition def, string name, int[] elements,
        IElementFormulation element, Func<string, SourceLocation, IMaterialPlugin> plugins)
    {
        var binding = MaterialBinding.Bind(plugins, def, element.Hypothesis, Path.GetDirectoryName(c.SourcePath) ?? ".");
        var model = binding.CreateModel(element.Hypothesis);
        return new MaterialRegion(name, def, model, binding.Tangent, elements, element.Rule.Count, element.Hypothesis);
    }

    private static void InitializePoints(CaseDefinition c, Mesh mesh, IElementFormulation element, List<MaterialRegion> regions)
    {
        int nq = element.Rule.Count, n = element.StrainSize;
        var xy = new double[2 * mesh.Shape.NodeCount];
        var b = new double[n * element.ElementDofs];
        foreach (var init in c.InitialStresses)
        {
            if (init.Stress.Count != n)
            {
                throw UserInputException.At(init.Where, $"initial stress has {init.Stress.Count} components; expected {n} (Voigt 11, 22, 33, 12, tension positive)");
            }

            if (init.Region is { } name && !regions.Any(r => r.Name == name))
            {
                throw UserInputException.At(init.Where, $"initial stress names region '{name}', which has no material; expected one of {string.Join(", ", regions.Select(r => r.Name))}");
            }
        }

        foreach (var region in regions)
        {
            // Region-specific initial stresses override the global one.
            var sigma0 = c.InitialStresses.LastOrDefault(s => s.Region == region.Name)?.Stress
                ?? c.InitialStresses.LastOrDefault(s => s.Region is null)?.Stress;
            for (int le = 0; le < region.Elements.Length; le++)
            {
                mesh.ElementCoordinates(region.Elements[le], xy);
                for (int q = 0; q < nq; q++)
                {
                    int p = le * nq + q;
                    region.Volumes[p] = element.Evaluate(region.Elements[le], xy, q, b, region.Coordinates.AsSpan(2 * p, 2));
                    for (int i = 0; i < n && sigma0 is not null; i++)
                    {
                        region.Stress[p * n + i] = sigma0[i];
                    }
                }
            }

            Initialize(region);
            Array.Copy(region.Stress, region.TrialStress, region.Stress.Length);
            Array.Copy(region.State, region.TrialState, region.State.Length);
        }
    }

    /// <summary>
    /// Calls the plug-in's Initialize: parameters it refuses only now (a MaterialParameterException) are the
    /// user's, reported at the parameter; any other exception is a <see cref="PluginCallException"/> (exit code 3).
    /// </summary>
    private static void Initialize(MaterialRegion region)
    {
        try
        {
            PluginCallException.Guard(region.Model, region.Name, nameof(IMaterialModel.Initialize),
                () => region.Model.Initialize(new MaterialInitialization(region.PointIds, region.Coordinates, region.Stress, region.State)));
        }
        catch (PluginCallException e) when (e.InnerException is MaterialParameterException parameter)
        {
            throw MaterialBinding.AtParameter(region.Definition, parameter);
        }
    }

    private static PrescribedDof[] Prescribe(CaseDefinition c, Mesh mesh)
    {
        // Sets may overlap (an edge and its corner); a component named twice must then agree, otherwise
        // the node is over-constrained and which value wins would be an accident of the file's order.
        var byDof = new Dictionary<int, (PrescribedDof Dof, DisplacementBc From)>();
        foreach (var bc in c.Displacements)
        {
            var nodes = NodesOf(mesh, bc.Set, bc.Where);
            foreach (int node in nodes)
            {
                if (bc.Ux is { } ux)
                {
                    Add(new PrescribedDof(2 * node, ux, bc.History), bc);
                }

                if (bc.Uy is { } uy)
                {
                    Add(new PrescribedDof(2 * node + 1, uy, bc.History), bc);
                }
            }
        }

        return byDof.Values.Select(v => v.Dof).OrderBy(p => p.Dof).ToArray();

        void Add(PrescribedDof dof, DisplacementBc bc)
        {
            if (byDof.TryGetValue(dof.Dof, out var earlier) && !SameMotion(earlier.Dof, dof))
            {
                int node = dof.Dof / 2;
                string component = dof.Dof % 2 == 0 ? "ux" : "uy";
                throw UserInputException.At(bc.Where,
                    $"node {node} at (x, y) = ({mesh.Coordinates[2 * node]:G6}, {mesh.Coordinates[2 * node + 1]:G6}) is over-constrained: " +
                    $"set '{bc.Set}' prescribes {component} = {dof.Value:G6} ({dof.History}) but set '{earlier.From.Set}' at {earlier.From.Where} " +
                    $"prescribes {component} = {earlier.Dof.Value:G6} ({earlier.Dof.History}); expected one value per node and component: " +
                    "leave the component out of one of the two conditions");
            }

            byDof[dof.Dof] = (dof, bc);
        }
    }

    /// <summary>Two prescriptions of one component describe the same motion: equal values, and equal histories unless zero.</summary>
    private static bool SameMotion(PrescribedDof a, PrescribedDof b) =>
        a.Value == b.Value && (a.Value == 0 || a.History == b.History);

    /// <summary>
    /// Checks, before the first solve, that the prescribed components remove the three rigid-body modes of a
    /// plane body, u = (a − θ·y, b + θ·x): otherwise the stiffness matrix is singular and a solver would
    /// either fail or return an arbitrary motion. Each prescribed ux at (x, y) constrains (a, b, θ) by the
    /// row (1, 0, −y), each uy by (0, 1, x); the modes are removed when these rows have rank 3.
    /// </summary>
    /// <param name="c">The case, for the location of the boundary conditions.</param>
    /// <param name="model">The model built from it.</param>
    /// <exception cref="UserInputException">A rigid-body mode is free; the message names it.</exception>
    public static void CheckRigidBodyModesRestrained(CaseDefinition c, Model model)
    {
        var mesh = model.Mesh;
        var prescribed = model.Prescribed.Select(p => p.Dof);
        var xy = mesh.Coordinates;
        double x0 = 0, y0 = 0;
        for (int n = 0; n < mesh.NodeCount; n++)
        {
            x0 += xy[2 * n] / mesh.NodeCount;
            y0 += xy[2 * n + 1] / mesh.NodeCount;
        }

        double size = 0;
        for (int n = 0; n < mesh.NodeCount; n++)
        {
            size = Math.Max(size, Math.Max(Math.Abs(xy[2 * n] - x0), Math.Abs(xy[2 * n + 1] - y0)));
        }

        size = size > 0 ? size : 1;

        // Normal matrix G = Σ r rᵀ of the constraint rows, in coordinates centred and scaled to the body.
        var g = new double[3, 3];
        bool anyUx = false, anyUy = false;
        foreach (int dof in prescribed)
        {
            int node = dof / 2;
            double x = (xy[2 * node] - x0) / size, y = (xy[2 * node + 1] - y0) / size;
            double[] r = dof % 2 == 0 ? [1, 0, -y] : [0, 1, x];
            anyUx |= dof % 2 == 0;
            anyUy |= dof % 2 == 1;
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    g[i, j] += r[i] * r[j];
                }
            }
        }

        double det = (g[0, 0] * ((g[1, 1] * g[2, 2]) - (g[1, 2] * g[2, 1])))
            - (g[0, 1] * ((g[1, 0] * g[2, 2]) - (g[1, 2] * g[2, 0])))
            + (g[0, 2] * ((g[1, 0] * g[2, 1]) - (g[1, 1] * g[2, 0])));
        double trace = g[0, 0] + g[1, 1] + g[2, 2];
        if (trace > 0 && det > 1e-10 * trace * trace * trace)
        {
            return;
        }

        // Name the free modes: a translation is free when no component along it is prescribed; a rotation
        // is free when the constraints have rank < 3 once both translations are held, or when the one
        // direction that is held is held only along a single line (rank 1).
        var free = new List<string>();
        if (!anyUx)
        {
            free.Add("translation in x (no node has ux prescribed)");
        }

        if (!anyUy)
        {
            free.Add("translation in y (no node has uy prescribed)");
        }

        bool rotationHeld = anyUx != anyUy && (anyUx ? g[2, 2] * g[0, 0] - (g[0, 2] * g[0, 2]) : g[2, 2] * g[1, 1] - (g[1, 2] * g[1, 2])) > 1e-10 * trace * trace;
        if (!rotationHeld)
        {
            free.Add("rotation in the plane (every prescribed component acts along one line)");
        }

        var where = c.Displacements.Count > 0 ? c.Displacements[0].Where : c.Mesh.Where;
        throw UserInputException.At(where,
            $"the boundary conditions leave the model free to move as a rigid body: {string.Join(", ", free)}; the stiffness matrix would be singular. " +
            "Expected prescribed displacements that fix ux at one node or more, uy at one node or more, and one more component " +
            "away from their line (e.g. '- {set: bottom, uy: 0}' and '- {set: bottom_left, ux: 0}')");
    }

    /// <summary>The nodes of a named node set or edge, or a clear error at <paramref name="where"/>.</summary>
    public static int[] NodesOf(Mesh mesh, string set, SourceLocation where) =>
        mesh.FindNodes(set) ?? throw UserInputException.At(where,
            $"node set or edge '{set}' is not in mesh {mesh.Source}; expected one of {string.Join(", ", mesh.NodeSetNames)}");

    private static (double[] Constant, double[] Ramp) Loads(CaseDefinition c, Mesh mesh, IElementFormulation element, List<MaterialRegion> regions)
    {
        var constant = new double[2 * mesh.NodeCount];
        var ramp = new double[2 * mesh.NodeCount];
        if (c.EdgeLoads.Count > 0)
        {
            var edges = BoundaryEdges(mesh);
            foreach (var load in c.EdgeLoads)
            {
                var target = load.History == LoadHistory.Ramp ? ramp : constant;
                foreach (var nodes in ElementEdges(mesh, edges, load))
                {
                    EdgeLoadIntegrator.Add(mesh, nodes, load.Pressure, load.Tx, load.Ty, target);
                }
            }
        }

        foreach (var body in c.BodyForces)
        {
            var target = body.History == LoadHistory.Ramp ? ramp : constant;
            var inScope = regions.Where(r => body.Region is null || r.Name == body.Region).ToList();
            if (inScope.Count == 0)
            {
                throw UserInputException.At(body.Where, $"body force names region '{body.Region}', which has no material; expected one of {string.Join(", ", regions.Select(r => r.Name))}");
            }

            foreach (var region in inScope)
            {
                // f_a = ∫ N_a b dV (consistent nodal body force).
                for (int le = 0; le < region.Elements.Length; le++)
                {
                    var nodes = mesh.ElementNodes(region.Elements[le]);
                    for (int q = 0; q < region.PointsPerElement; q++)
                    {
                        var shape = element.ShapeValues(q);
                        double dv = region.Volumes[le * region.PointsPerElement + q];
                        for (int a = 0; a < nodes.Length; a++)
                        {
                            target[2 * nodes[a]] += shape[a] * body.Bx * dv;
                            target[2 * nodes[a] + 1] += shape[a] * body.By * dv;
                        }
                    }
                }
            }
        }

        return (constant, ramp);
    }

    /// <summary>Every element edge keyed by its sorted end nodes → the edge's nodes in element (counter-clockwise) order.</summary>
    private static Dictionary<(int, int), int[]> BoundaryEdges(Mesh mesh)
    {
        var map = new Dictionary<(int, int), int[]>();
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            var nodes = mesh.ElementNodes(e);
            foreach (var local in mesh.Shape.Edges)
            {
                var edge = new int[local.Length];
                for (int a = 0; a < local.Length; a++)
                {
                    edge[a] = nodes[local[a]];
                }

                map[(Math.Min(edge[0], edge[1]), Math.Max(edge[0], edge[1]))] = edge;
            }
        }

        return map;
    }

    private static IEnumerable<int[]> ElementEdges(Mesh mesh, Dictionary<(int, int), int[]> edges, EdgeLoad load)
    {
        if (!mesh.EdgeSets.TryGetValue(load.Edge, out var set))
        {
            throw UserInputException.At(load.Where, $"edge '{load.Edge}' is not in mesh {mesh.Source}; expected one of {string.Join(", ", mesh.EdgeSets.Keys.Order())}");
        }

        int m = mesh.Shape.EdgeNodeCount;
        for (int k = 0; k < set.Length; k += m)
        {
            var key = (Math.Min(set[k], set[k + 1]), Math.Max(set[k], set[k + 1]));
            yield return edges.TryGetValue(key, out var nodes) ? nodes
                : throw UserInputException.At(load.Where, $"edge '{load.Edge}' has a segment between nodes {set[k]} and {set[k + 1]} that is no element edge; expected edges on the mesh boundary");
        }
    }
}
