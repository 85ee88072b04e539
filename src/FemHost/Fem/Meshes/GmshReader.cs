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
        InputFile.Check(path, "the mesh file", "a Gmsh .msh 4.1 ASCII file", InputFile.MaxMeshBytes);
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
        private bool _entitiesRead;

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
            int n = Count(Fields(1, "the number of physical names")[0], "physical names");
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
            var counts = Fields(4, "the entity counts 'numPoints numCurves numSurfaces numVolumes'").Take(4).Select(c => Count(c, "entities")).ToArray();
            _entitiesRead = true;
            for (int dim = 0; dim < 4; dim++)
            {
                for (int i = 0; i < counts[dim]; i++)
                {
                    // Points: tag x y z nPhys phys...; others: tag minX minY minZ maxX maxY maxZ nPhys phys... nBound bound...
                    int at = dim == 0 ? 4 : 7;
                    var t = Fields(at + 1, dim == 0 ? "a point entity 'tag x y z numPhysicalTags ...'" : "an entity 'tag minX minY minZ maxX maxY maxZ numPhysicalTags ...'");
                    int np = Count(t[at], "physical tags");
                    if (t.Length < at + 1 + np)
                    {
                        throw Error($"the entity lists {np} physical tags but holds {t.Length - at - 1}; expected as many tags as it announces");
                    }

                    _entityGroups[(dim, Int(t[0]))] = t.Skip(at + 1).Take(np).Select(Int).Select(Math.Abs).ToArray();
                }
            }

            Expect("$EndEntities");
        }

        private void ReadNodes()
        {
            int headLine = _line + 1;
            var head = Fields(4, "the header 'numEntityBlocks numNodes minNodeTag maxNodeTag'");
            int blocks = Count(head[0], "node blocks");
            long total = Count(head[1], "nodes"), minTag = Tag(head[2]), maxTag = Tag(head[3]), read = 0;
            for (int b = 0; b < blocks; b++)
            {
                var t = Fields(4, "a node block header 'entityDim entityTag parametric numNodesInBlock'");
                bool parametric = Int(t[2]) != 0;
                int n = Count(t[3], "nodes");
                var tags = new long[n];
                for (int i = 0; i < n; i++)
                {
                    tags[i] = Tag(Fields(1, "a node tag")[0]);
                    if (tags[i] < minTag || tags[i] > maxTag)
                    {
                        throw Error($"node tag {tags[i]} lies outside [{minTag}, {maxTag}], the range the $Nodes header (line {headLine}) announces; expected tags within it");
                    }
                }

                for (int i = 0; i < n; i++)
                {
                    var c = Fields(parametric ? 4 : 3, "node coordinates 'x y z'");
                    if (!_nodeIndex.TryAdd(tags[i], _xy.Count / 2))
                    {
                        throw Error($"node tag {tags[i]} is defined twice (its coordinates would silently replace the first); expected each node tag once in $Nodes");
                    }

                    _xy.Add(Real(c[0]));
                    _xy.Add(Real(c[1]));
                }

                read += n;
            }

            if (read != total)
            {
                throw new UserInputException($"{path}:{headLine}: the $Nodes header announces {total} nodes but its blocks hold {read}; expected the counts Gmsh writes (is the file truncated or edited?)");
            }

            Expect("$EndNodes");
        }

        private void ReadElements()
        {
            int headLine = _line + 1;
            var head = Fields(4, "the header 'numEntityBlocks numElements minElementTag maxElementTag'");
            int blocks = Count(head[0], "element blocks");
            long total = Count(head[1], "elements"), read = 0;
            for (int b = 0; b < blocks; b++)
            {
                var t = Fields(4, "an element block header 'entityDim entityTag elementType numElementsInBlock'");
                int dim = Int(t[0]), entity = Int(t[1]), type = Int(t[2]), n = Count(t[3], "elements");
                int blockLine = _line;
                if (_entitiesRead && dim is >= 0 and <= 3 && !_entityGroups.ContainsKey((dim, entity)))
                {
                    throw new UserInputException($"{path}:{blockLine}: the element block refers to entity ({dim}, {entity}), which $Entities does not define, " +
                        $"so its elements would belong to no physical group; expected the tag of a {Dimension(dim)} listed in $Entities");
                }

                var names = Groups(dim, entity);
                int nodes = type switch { Quad8 => 8, Line3 => 3, Point => 1, _ => 0 };
                for (int i = 0; i < n; i++)
                {
                    var e = Fields(1 + nodes, nodes > 0 ? $"an element 'tag' and its {nodes} node tag(s)" : "an element");
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

                read += n;
            }

            if (read != total)
            {
                throw new UserInputException($"{path}:{headLine}: the $Elements header announces {total} elements but its blocks hold {read}; expected the counts Gmsh writes (is the file truncated or edited?)");
            }

            Expect("$EndElements");
        }

        private static string Dimension(int dim) => dim switch { 0 => "point", 1 => "curve", 2 => "surface", _ => "volume" };

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
            _nodeIndex.TryGetValue(Tag(tag), out int i) ? i
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

        /// <summary>The next line's fields, at least <paramref name="count"/> of them.</summary>
        private string[] Fields(int count, string expected)
        {
            var t = Tokens();
            return t.Length >= count ? t : throw Error($"the line holds {t.Length} field(s); expected {expected}");
        }

        /// <summary>A count announced in the file: not negative, and no larger than the lines left to hold it.</summary>
        private int Count(string s, string what)
        {
            int n = Int(s);
            return n >= 0 && n <= lines.Length - _line ? n
                : throw Error($"{n} {what} announced, but {(n < 0 ? "a count cannot be negative" : $"only {lines.Length - _line} lines follow")}; expected the count Gmsh writes");
        }

        private long Tag(string s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0 ? v
            : throw Error($"'{s}' is not a tag; expected a non-negative integer");

        private int Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw Error($"'{s}' is not an integer; expected an integer");

        private double Real(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw Error($"'{s}' is not a number; expected a real number such as 0.5 or 1e-3");

        private UserInputException Error(string what) => new($"{path}:{_line}: {what}");
    }
}
