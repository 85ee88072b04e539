namespace FemHost.LinearAlgebra;

/// <summary>
/// Undirected graph of a square sparse matrix: vertex i is equation i, and i–j is an edge when
/// a_ij ≠ 0 or a_ji ≠ 0 (the pattern of A + Aᵀ without the diagonal). Adjacency lists are sorted.
/// It is what fill-reducing orderings and the symbolic factorisation work on.
/// </summary>
internal sealed class AdjacencyGraph
{
    private AdjacencyGraph(int[] offsets, int[] neighbours)
    {
        (Offsets, Neighbours) = (offsets, neighbours);
    }

    /// <summary>Number of vertices.</summary>
    public int VertexCount => Offsets.Length - 1;

    /// <summary>Start of each vertex's list in <see cref="Neighbours"/>, length VertexCount + 1.</summary>
    public int[] Offsets { get; }

    /// <summary>Concatenated sorted adjacency lists.</summary>
    public int[] Neighbours { get; }

    /// <summary>Degree of vertex <paramref name="v"/>.</summary>
    public int Degree(int v) => Offsets[v + 1] - Offsets[v];

    /// <summary>Neighbours of vertex <paramref name="v"/>.</summary>
    public ReadOnlySpan<int> Adjacent(int v) => Neighbours.AsSpan(Offsets[v], Offsets[v + 1] - Offsets[v]);

    /// <summary>The graph of A + Aᵀ (for upper-triangle storage this is the full symmetric pattern).</summary>
    public static AdjacencyGraph FromMatrix(CsrMatrix a)
    {
        int n = a.Size;
        int[] rp = a.RowPointers, ci = a.ColumnIndices;
        var count = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int k = rp[i]; k < rp[i + 1]; k++)
            {
                int j = ci[k];
                if (j != i)
                {
                    count[i]++;
                    count[j]++;
                }
            }
        }

        // Scatter both (i, j) and (j, i); duplicates arise only for unsymmetric storage where both
        // a_ij and a_ji are stored, and are removed after sorting each list.
        var start = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            start[i + 1] = start[i] + count[i];
        }

        var next = (int[])start.Clone();
        var adj = new int[start[n]];
        for (int i = 0; i < n; i++)
        {
            for (int k = rp[i]; k < rp[i + 1]; k++)
            {
                int j = ci[k];
                if (j != i)
                {
                    adj[next[i]++] = j;
                    adj[next[j]++] = i;
                }
            }
        }

        var offsets = new int[n + 1];
        int w = 0;
        for (int i = 0; i < n; i++)
        {
            var list = adj.AsSpan(start[i], start[i + 1] - start[i]);
            list.Sort();
            offsets[i] = w;
            int last = -1;
            foreach (int j in list)
            {
                if (j != last)
                {
                    adj[w++] = j;
                    last = j;
                }
            }
        }

        offsets[n] = w;
        return new AdjacencyGraph(offsets, w == adj.Length ? adj : adj[..w]);
    }

    /// <summary>Builds a graph from explicit sorted, duplicate-free adjacency lists.</summary>
    public static AdjacencyGraph FromLists(int[] offsets, int[] neighbours) => new(offsets, neighbours);
}
