using FemHost.Cases;

namespace FemHost.Fem.Meshes;

/// <summary>
/// The sizes of a mesh that decide a run's memory: nodes, non-zeros of the upper triangle of K (2×2 blocks
/// for every pair of nodes sharing an element) and elements per region. A structured rectangle's sizes follow
/// in closed form from nx and ny, so the memory guard can refuse an oversized rectangle before a single
/// array of it is allocated (and before its node numbers could overflow).
/// </summary>
/// <param name="Nodes">Number of nodes.</param>
/// <param name="MatrixNonZeros">Non-zeros of the upper triangle of K, diagonal included.</param>
/// <param name="RegionElements">Elements of each region.</param>
public sealed record MeshSize(long Nodes, long MatrixNonZeros, IReadOnlyDictionary<string, long> RegionElements)
{
    /// <summary>Sizes counted on a built mesh.</summary>
    public static MeshSize Of(Mesh mesh) =>
        new(mesh.NodeCount, MemoryBudget.MatrixNonZeros(mesh), mesh.Regions.ToDictionary(kv => kv.Key, kv => (long)kv.Value.Length, StringComparer.Ordinal));

    /// <summary>
    /// Sizes of <see cref="StructuredMesh.Rectangle"/> for <paramref name="r"/>, in closed form. The (2nx + 1) × (2ny + 1)
    /// grid without the nx·ny element centres holds N = (2nx + 1)(2ny + 1) − nx·ny nodes. A node is coupled to
    /// every node of the block of a × b elements around it, U(a, b) = (2a + 1)(2b + 1) − ab nodes (itself
    /// included): a vertex node has a, b = 2 inside and 1 on the boundary, a mid-side node one element along
    /// its edge and one or two across. With P the sum of the couplings, nnz(upper K) = (4P + 2N) / 2.
    /// </summary>
    public static MeshSize Of(RectangleMesh r)
    {
        long nx = r.Nx, ny = r.Ny;
        static long U(long a, long b) => ((2 * a) + 1) * ((2 * b) + 1) - (a * b);

        // Vertex lines with one or two elements beside them: the two boundary lines, the nx − 1 inner ones.
        long[] linesX = [0, 2, nx - 1], linesY = [0, 2, ny - 1];
        long pairs = 0;
        for (int a = 1; a <= 2; a++)
        {
            for (int b = 1; b <= 2; b++)
            {
                pairs += linesX[a] * linesY[b] * U(a, b);      // vertex nodes
            }

            pairs += nx * linesY[a] * U(1, a);                   // mid-side nodes of horizontal edges
            pairs += ny * linesX[a] * U(a, 1);                   // mid-side nodes of vertical edges
        }

        long nodes = ((2 * nx) + 1) * ((2 * ny) + 1) - (nx * ny);
        return new MeshSize(nodes, (2 * pairs) + nodes, new Dictionary<string, long>(StringComparer.Ordinal) { [StructuredMesh.RegionName] = nx * ny });
    }
}
