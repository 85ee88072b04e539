using FemHost.Cases;
using FemHost.Fem.Elements;

namespace FemHost.Fem.Meshes;

/// <summary>
/// Structured Q8 mesh of a rectangle: (2nx + 1) × (2ny + 1) grid points without the element centres.
/// Sets: edges "left", "right", "bottom", "top" (as node sets and edge sets), corner nodes
/// "bottom_left", "bottom_right", "top_left", "top_right", region "all".
/// </summary>
public static class StructuredMesh
{
    /// <summary>The one region of a rectangle.</summary>
    public const string RegionName = "all";

    /// <summary>Most nodes of a mesh: every equation number (2 per node) must fit an int.</summary>
    public const long MaxNodes = int.MaxValue / 2;

    /// <summary>Generates the mesh described by <paramref name="r"/>.</summary>
    public static Mesh Rectangle(RectangleMesh r, SourceLocation? where = null)
    {
        if (!(r.Width > 0 && r.Height > 0) || r.Nx < 1 || r.Ny < 1)
        {
            throw UserInputException.At(where ?? SourceLocation.None,
                $"rectangle mesh {r.Width} × {r.Height} with {r.Nx} × {r.Ny} elements is invalid; expected positive width and height and nx, ny ≥ 1");
        }

        if (MeshSize.Of(r).Nodes > MaxNodes || 8L * r.Nx * r.Ny > int.MaxValue)
        {
            throw UserInputException.At(where ?? SourceLocation.None,
                $"rectangle mesh with {r.Nx} × {r.Ny} elements is too large to number; expected at most {MaxNodes:N0} nodes and {int.MaxValue / 8:N0} elements");
        }

        int gx = 2 * r.Nx + 1, gy = 2 * r.Ny + 1;
        var id = new int[gx * gy];
        var xy = new List<double>(2 * gx * gy);
        int count = 0;
        for (int j = 0; j < gy; j++)
        {
            for (int i = 0; i < gx; i++)
            {
                if (i % 2 == 1 && j % 2 == 1)
                {
                    id[j * gx + i] = -1;
                    continue;
                }

                id[j * gx + i] = count++;
                xy.Add(r.X0 + r.Width * i / (gx - 1));
                xy.Add(r.Y0 + r.Height * j / (gy - 1));
            }
        }

        int Node(int i, int j) => id[j * gx + i];
        var conn = new int[8 * r.Nx * r.Ny];
        int k = 0;
        for (int ey = 0; ey < r.Ny; ey++)
        {
            for (int ex = 0; ex < r.Nx; ex++)
            {
                int i = 2 * ex, j = 2 * ey;
                int[] nodes =
                [
                    Node(i, j), Node(i + 2, j), Node(i + 2, j + 2), Node(i, j + 2),
                    Node(i + 1, j), Node(i + 2, j + 1), Node(i + 1, j + 2), Node(i, j + 1),
                ];
                nodes.CopyTo(conn, k);
                k += 8;
            }
        }

        // Edge sets as (end, end, mid) triples, oriented counter-clockwise around the rectangle.
        int[] Edges(Func<int, (int, int, int)> edge, int n) =>
            Enumerable.Range(0, n).SelectMany(t => { var (a, b, c) = edge(t); return new[] { a, b, c }; }).ToArray();
        var edgeSets = new Dictionary<string, int[]>
        {
            ["bottom"] = Edges(t => (Node(2 * t, 0), Node(2 * t + 2, 0), Node(2 * t + 1, 0)), r.Nx),
            ["right"] = Edges(t => (Node(gx - 1, 2 * t), Node(gx - 1, 2 * t + 2), Node(gx - 1, 2 * t + 1)), r.Ny),
            ["top"] = Edges(t => (Node(2 * t + 2, gy - 1), Node(2 * t, gy - 1), Node(2 * t + 1, gy - 1)), r.Nx),
            ["left"] = Edges(t => (Node(0, 2 * t + 2), Node(0, 2 * t), Node(0, 2 * t + 1)), r.Ny),
        };
        var nodeSets = edgeSets.ToDictionary(kv => kv.Key, kv => kv.Value.Distinct().Order().ToArray());
        nodeSets["bottom_left"] = [Node(0, 0)];
        nodeSets["bottom_right"] = [Node(gx - 1, 0)];
        nodeSets["top_left"] = [Node(0, gy - 1)];
        nodeSets["top_right"] = [Node(gx - 1, gy - 1)];
        var regions = new Dictionary<string, int[]> { [RegionName] = Enumerable.Range(0, r.Nx * r.Ny).ToArray() };
        return new Mesh($"rectangle {r.Width:G6} × {r.Height:G6}, {r.Nx} × {r.Ny} Q8", ShapeQ8.Instance, xy.ToArray(), conn, nodeSets, edgeSets, regions);
    }
}
