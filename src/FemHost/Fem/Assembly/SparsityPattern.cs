using FemHost.Fem.Meshes;
using FemHost.LinearAlgebra;

namespace FemHost.Fem.Assembly;

/// <summary>
/// The CSR pattern of the global stiffness of a mesh, built once: equation (node i, component c)
/// couples with both components of every node sharing an element with node i. Rows are sorted, so
/// the assembler can merge an element's sorted equations into a row in one pass.
/// </summary>
public static class SparsityPattern
{
    /// <summary>
    /// Builds an empty matrix over the pattern of <paramref name="mesh"/> with two equations per node;
    /// <paramref name="upperTriangle"/> keeps only j ≥ i (symmetric storage).
    /// </summary>
    public static CsrMatrix Build(Mesh mesh, bool upperTriangle)
    {
        int nodes = mesh.NodeCount, nen = mesh.Shape.NodeCount;

        // Node → elements (CSR), then each node's sorted neighbour list.
        var start = new int[nodes + 1];
        foreach (int a in mesh.Connectivity)
        {
            start[a + 1]++;
        }

        for (int i = 0; i < nodes; i++)
        {
            start[i + 1] += start[i];
        }

        var fill = start[..^1].ToArray();
        var elems = new int[mesh.Connectivity.Length];
        for (int k = 0; k < mesh.Connectivity.Length; k++)
        {
            elems[fill[mesh.Connectivity[k]]++] = k / nen;
        }

        var neighbourStart = new int[nodes + 1];
        var neighbourLists = new int[nodes][];
        Parallel.For(0, nodes, () => new List<int>(64), (i, _, buffer) =>
        {
            buffer.Clear();
            for (int k = start[i]; k < start[i + 1]; k++)
            {
                foreach (int j in mesh.ElementNodes(elems[k]))
                {
                    if (!upperTriangle || j >= i)
                    {
                        buffer.Add(j);
                    }
                }
            }

            buffer.Sort();
            int unique = 0;
            for (int k = 0; k < buffer.Count; k++)
            {
                if (unique == 0 || buffer[k] != buffer[unique - 1])
                {
                    buffer[unique++] = buffer[k];
                }
            }

            neighbourLists[i] = buffer.GetRange(0, unique).ToArray();
            return buffer;
        }, _ => { });

        // Row 2i + c: columns 2j, 2j + 1 of every neighbour j (in the upper triangle, row 2i + 1 drops column 2i).
        int n = 2 * nodes;
        var rowPointers = new int[n + 1];
        for (int i = 0; i < nodes; i++)
        {
            int len = 2 * neighbourLists[i].Length;
            rowPointers[2 * i + 1] = len;
            rowPointers[2 * i + 2] = upperTriangle ? len - 1 : len;
        }

        for (int r = 0; r < n; r++)
        {
            rowPointers[r + 1] += rowPointers[r];
        }

        var columns = new int[rowPointers[n]];
        Parallel.For(0, nodes, i =>
        {
            int k0 = rowPointers[2 * i], k1 = rowPointers[2 * i + 1];
            foreach (int j in neighbourLists[i])
            {
                columns[k0++] = 2 * j;
                columns[k0++] = 2 * j + 1;
                if (!upperTriangle || j != i)
                {
                    columns[k1++] = 2 * j;
                }

                columns[k1++] = 2 * j + 1;
            }
        });

        return new CsrMatrix(n, rowPointers, columns, upperTriangle);
    }
}
