using FemHost.Fem.Elements;

namespace FemHost.Fem.Meshes;

/// <summary>
/// An unstructured 2D mesh of one element shape: node coordinates, connectivity and the named sets
/// a case refers to. Node and element ids are 0-based and dense.
/// </summary>
public sealed class Mesh
{
    /// <summary>Creates a mesh and checks its connectivity.</summary>
    public Mesh(string source, IElementShape shape, double[] coordinates, int[] connectivity,
        IReadOnlyDictionary<string, int[]> nodeSets, IReadOnlyDictionary<string, int[]> edgeSets,
        IReadOnlyDictionary<string, int[]> regions)
    {
        if (coordinates.Length % 2 != 0 || connectivity.Length % shape.NodeCount != 0)
        {
            throw new ArgumentException("coordinates must hold (x, y) pairs and connectivity whole elements");
        }

        (Source, Shape, Coordinates, Connectivity) = (source, shape, coordinates, connectivity);
        (NodeSets, EdgeSets, Regions) = (nodeSets, edgeSets, regions);
        foreach (int node in connectivity)
        {
            if ((uint)node >= (uint)NodeCount)
            {
                throw new ArgumentException($"{source}: connectivity refers to node {node}, but the mesh has {NodeCount} nodes");
            }
        }
    }

    /// <summary>Where the mesh came from (file path or generator description), for messages.</summary>
    public string Source { get; }

    /// <summary>Element shape (node count and order).</summary>
    public IElementShape Shape { get; }

    /// <summary>Node coordinates x0, y0, x1, y1, ...</summary>
    public double[] Coordinates { get; }

    /// <summary>Element connectivity, <see cref="IElementShape.NodeCount"/> node ids per element.</summary>
    public int[] Connectivity { get; }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => Coordinates.Length / 2;

    /// <summary>Number of elements.</summary>
    public int ElementCount => Connectivity.Length / Shape.NodeCount;

    /// <summary>Named node sets (sorted node ids).</summary>
    public IReadOnlyDictionary<string, int[]> NodeSets { get; }

    /// <summary>
    /// Named edge sets: element edges as node tuples (end, end, interior...) with
    /// <see cref="IElementShape.EdgeNodeCount"/> nodes each, flattened.
    /// </summary>
    public IReadOnlyDictionary<string, int[]> EdgeSets { get; }

    /// <summary>Named regions (element ids).</summary>
    public IReadOnlyDictionary<string, int[]> Regions { get; }

    /// <summary>Node ids of element <paramref name="e"/>.</summary>
    public ReadOnlySpan<int> ElementNodes(int e) => Connectivity.AsSpan(e * Shape.NodeCount, Shape.NodeCount);

    /// <summary>Copies the coordinates of element <paramref name="e"/>'s nodes into <paramref name="xy"/> (x0, y0, x1, ...).</summary>
    public void ElementCoordinates(int e, Span<double> xy)
    {
        var nodes = ElementNodes(e);
        for (int a = 0; a < nodes.Length; a++)
        {
            xy[2 * a] = Coordinates[2 * nodes[a]];
            xy[2 * a + 1] = Coordinates[2 * nodes[a] + 1];
        }
    }

    /// <summary>
    /// The nodes of a named node set or edge set (edge sets also act as node sets), or null.
    /// </summary>
    public int[]? FindNodes(string name) =>
        NodeSets.TryGetValue(name, out var n) ? n
        : EdgeSets.TryGetValue(name, out var e) ? e.Distinct().Order().ToArray()
        : null;

    /// <summary>Names of every node set and edge set, for "expected one of" messages.</summary>
    public IEnumerable<string> NodeSetNames => NodeSets.Keys.Concat(EdgeSets.Keys).Distinct().Order();
}
