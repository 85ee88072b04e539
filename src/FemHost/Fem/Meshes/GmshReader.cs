using System.Globalization;
using FemHost.Cases;
using FemHost.Fem.Elements;

namespace FemHost.Fem.Meshes;

/// <summary>
/// Reads a Gmsh 4.1 ASCII mesh (https://gmsh.info/doc/texinfo/gmsh.html#MSH-file-format) of 8-node
/// quadrangles (element type 16). Physical groups become named sets: a 2D group is a region (its
/// elements), a 1D group of 3-node lines (type 8) is an edge set and a node set, a 0D group is a node
/// set. The region "all" holds every element unless the file defines a group of that name.
/// Make such files with <c>gmsh -2 -order 2 -setnumber Mesh.SecondOrderIncomplete 1 -setnumber Mesh.RecombineAll 1 -format msh41</c>.
/// </summary>
public static class GmshReader
{
    private const int Line3 = 8;
    private const int Quad8 = 16;
    private const int Point = 15;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing or not a Gmsh 4.1 ASCII mesh of Q8 elements.</exception>
    public static Mesh Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"{path}: mesh file not found; expected a Gmsh .msh 4.1 ASCII file");
        }

        return new Parser(path, File.ReadAllLines(path)).Parse();
    }

    private sealed class Parser(string path, string[] lines)
    {
        private readonly Dictionary<(int Dim, int Tag), string> _physicalNames = [];
        private readonly Dictionary<(int Dim, int Tag), int[]> _entityGroups = [];
        private readonly Dictionary<long, int> _nodeIndex = [];
        private readonly List<double> _xy = [];
        private readonly List<int> _conn = [];
        private readonly Dictionary<string, List<int>> _regions = [];
        private readonly Dictionary<string, List<int>> _edges = [];
        private readonly Dictionary<string, List<int>> _points = [];
        private int _line;

        public Mesh Parse()
        {
            bool sawFormat = false, sawElements = false;
            while (_line < lines.Length)
            {
                string header = lines[_line++].Trim();
                switch (header)
                {
                    case "$MeshFormat":
                        ReadFormat();
                        sawFormat = true;
                        break;
                    case "$PhysicalNames":
                        ReadPhysicalNames();
                        break;
                    case "$Entities":
                        ReadEntities();
                        break;
                    case "$Nodes":
                        ReadNodes();
                        break;
                    case "$Elements":
                        ReadElements();
                        sawElements = true;
                        break;
                    default:
                        if (header.StartsWith('$') && !header.StartsWith("$End", StringComparison.Ordinal))
                        {
                            SkipSection(header);
                        }

                        break;
                }
            }

            if (!sawFormat || !sawElements || _conn.Count == 0)
            {
                throw Error("no $MeshFormat or no 8-node quadrangles found; expected a Gmsh 4.1 ASCII mesh with second-order incomplete quadrangles");
            }

            var regions = _regions.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            regions.TryAdd("all", Enumerable.Range(0, _conn.Count / 8).ToArray());
            var edgeSets = _edges.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            var nodeSets = _points.ToDictionary(kv => kv.Key, kv => kv.Value.Distinct().Order().ToArray());
            foreach (var (name, e) in edgeSets)
            {
                nodeSets.TryAdd(name, e.Distinct().Order().ToArray());
            }

            return new Mesh(path, ShapeQ8.Instance, _xy.ToArray(), _conn.ToArray(), nodeSets, edgeSets, regions);
        }

        private void ReadFormat()
        {
            var t = Tokens();
            if (t.Length < 3 || !t[0].StartsWith("4.1", StringComparison.Ordinal) || t[1] != "0")
            {
                throw Error($"format '{string.Join(' ', t)}' is not supported; expected version 4.1 ASCII (\"4.1 0 8\"); save with -format msh41 and without -bin");
            }

            Expect("$EndMeshFormat");
        }

        private void ReadPhysicalNames()
        {
            int n = Int(Tokens()[0]);
            for (int i = 0; i < n; i++)
            {
                string raw = lines[_line++].Trim();
                var t = raw.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                if (t.Length < 3)
                {
                    throw Error("expected 'dim tag \"name\"'");
                }

                _physicalNames[(Int(t[0]), Int(t[1]))] = t[2].Trim().Trim('"');
            }

            Expect("$EndPhysicalNames");
        }

        private void ReadEntities()
        {
            var counts = Tokens().Select(Int).ToArray();
            for (int dim = 0; dim < 4; dim++)
            {
                for (int i = 0; i < counts[dim]; i++)
                {
                    var t = Tokens();
                    // Points: tag x y z nPhys phys...; others: tag minX minY minZ maxX maxY maxZ nPhys phys... nBound bound...
                    int at = dim == 0 ? 4 : 7;
                    int np = Int(t[at]);
                    _entityGroups[(dim, Int(t[0]))] = t.Skip(at + 1).Take(np).Select(Int).Select(Math.Abs).ToArray();
                }
            }

            Expect("$EndEntities");
        }

        private void ReadNodes()
        {
            var head = Tokens();
            int blocks = Int(head[0]);
            for (int b = 0; b < blocks; b++)
            {
                var t = Tokens();
                bool parametric = Int(t[2]) != 0;
                int n = Int(t[3]);
                var tags = new long[n];
                for (int i = 0; i < n; i++)
                {
                    tags[i] = long.Parse(Tokens()[0], CultureInfo.InvariantCulture);
                }

                for (int i = 0; i < n; i++)
                {
                    var c = Tokens();
                    if (c.Length < 3 || (parametric && c.Length < 4))
                    {
                        throw Error("expected node coordinates 'x y z'");
                    }

                    _nodeIndex[tags[i]] = _xy.Count / 2;
                    _xy.Add(Real(c[0]));
                    _xy.Add(Real(c[1]));
                }
            }

            Expect("$EndNodes");
        }

        private void ReadElements()
        {
            int blocks = Int(Tokens()[0]);
            for (int b = 0; b < blocks; b++)
            {
                var t = Tokens();
                int dim = Int(t[0]), entity = Int(t[1]), type = Int(t[2]), n = Int(t[3]);
                var names = Groups(dim, entity);
                int blockLine = _line;
                for (int i = 0; i < n; i++)
                {
                    var e = Tokens();
                    switch (type)
                    {
                        case Quad8:
                            int id = _conn.Count / 8;
                            // Gmsh and this host share the Q8 node order (corners, then mid-sides 0-1, 1-2, 2-3, 3-0).
                            for (int a = 1; a <= 8; a++)
                            {
                                _conn.Add(Node(e[a]));
                            }

                            foreach (var name in names)
                            {
                                Add(_regions, name, id);
                            }

                            break;
                        case Line3:
                            // Gmsh lists the two end nodes, then the middle one: the host's edge order.
                            foreach (var name in names)
                            {
                                for (int a = 1; a <= 3; a++)
                                {
                                    Add(_edges, name, Node(e[a]));
                                }
                            }

                            break;
                        case Point:
                            foreach (var name in names)
                            {
                                Add(_points, name, Node(e[1]));
                            }

                            break;
                        default:
                            if (dim == 2 || (dim == 1 && names.Count > 0))
                            {
                                throw new UserInputException(
                                    $"{path}:{blockLine}: Gmsh element type {type} in entity ({dim}, {entity}) is not supported; expected 8-node quadrangles (type 16) " +
                                    "and 3-node lines (type 8): mesh with -order 2, Mesh.SecondOrderIncomplete = 1 and Mesh.RecombineAll = 1");
                            }

                            break;
                    }
                }
            }

            Expect("$EndElements");
        }

        private List<string> Groups(int dim, int entity)
        {
            var result = new List<string>();
            if (_entityGroups.TryGetValue((dim, entity), out var tags))
            {
                foreach (int tag in tags)
                {
                    result.Add(_physicalNames.TryGetValue((dim, tag), out var name) ? name : $"{dim}d_{tag}");
                }
            }

            return result;
        }

        private static void Add(Dictionary<string, List<int>> sets, string name, int value)
        {
            if (!sets.TryGetValue(name, out var list))
            {
                sets[name] = list = [];
            }

            list.Add(value);
        }

        private int Node(string tag) =>
            _nodeIndex.TryGetValue(long.Parse(tag, CultureInfo.InvariantCulture), out int i) ? i
            : throw Error($"element refers to node {tag}, which $Nodes does not define; expected the tag of a node listed in $Nodes");

        private void SkipSection(string header)
        {
            string end = "$End" + header[1..];
            while (_line < lines.Length && lines[_line].Trim() != end)
            {
                _line++;
            }

            _line++;
        }

        private void Expect(string end)
        {
            if (_line >= lines.Length || lines[_line].Trim() != end)
            {
                throw Error($"expected '{end}'");
            }

            _line++;
        }

        private string[] Tokens()
        {
            if (_line >= lines.Length)
            {
                throw Error("the file ends inside a section (truncated?); expected the rest of the section and its closing $End line, as Gmsh writes it");
            }

            return lines[_line++].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }

        private int Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw Error($"'{s}' is not an integer; expected an integer");

        private double Real(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw Error($"'{s}' is not a number; expected a real number such as 0.5 or 1e-3");

        private UserInputException Error(string what) => new($"{path}:{_line}: {what}");
    }
}
