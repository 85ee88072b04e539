using FemHost.Fem.Meshes;

namespace FemHost.Fem.Assembly;

/// <summary>
/// Greedy colouring of elements so that two elements of one colour share no node: the elements of a
/// colour write disjoint rows of the global matrix and vectors and can be assembled in parallel
/// without locks. Structured Q8 meshes need 4 colours; unstructured 2D meshes need a few more.
/// </summary>
public static class ElementColoring
{
    /// <summary>Element ids grouped by colour.</summary>
    public static int[][] Color(Mesh mesh)
    {
        var used = new ulong[mesh.NodeCount];
        var color = new int[mesh.ElementCount];
        int colors = 0;
        for (int e = 0; e < mesh.ElementCount; e++)
        {
            ulong taken = 0;
            foreach (int a in mesh.ElementNodes(e))
            {
                taken |= used[a];
            }

            int c = System.Numerics.BitOperations.TrailingZeroCount(~taken);
            if (c >= 64)
            {
                throw new InvalidOperationException($"element {e} touches elements of 64 colours; the mesh is too irregular for lock-free assembly");
            }

            color[e] = c;
            colors = Math.Max(colors, c + 1);
            foreach (int a in mesh.ElementNodes(e))
            {
                used[a] |= 1UL << c;
            }
        }

        var groups = new List<int>[colors];
        for (int c = 0; c < colors; c++)
        {
            groups[c] = [];
        }

        for (int e = 0; e < mesh.ElementCount; e++)
        {
            groups[color[e]].Add(e);
        }

        return groups.Select(g => g.ToArray()).ToArray();
    }
}
