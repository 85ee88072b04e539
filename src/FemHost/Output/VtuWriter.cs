using System.Globalization;
using FemHost.Fem.Model;

namespace FemHost.Output;

/// <summary>
/// Writes one state of a model as a VTK XML unstructured grid (.vtu, ASCII) of quadratic quads
/// (VTK_QUADRATIC_QUAD = 23, whose node order is the host's Q8 order). Point data: the displacement
/// (3 components, z = 0) and every Gauss-point field extrapolated to the nodes (see
/// <see cref="NodalProjection"/>); cell data: the same fields averaged over each element, and the region index.
/// </summary>
public static class VtuWriter
{
    private const int VtkQuadraticQuad = 23;

    /// <summary>Writes the committed state of <paramref name="model"/> with displacement <paramref name="u"/>.</summary>
    public static void Write(string path, Model model, ReadOnlySpan<double> u, NodalProjection projection)
    {
        var mesh = model.Mesh;
        var fields = PointFields.Evaluate(model);
        var volumes = new double[mesh.ElementCount * model.PointsPerElement];
        foreach (var r in model.Regions)
        {
            for (int p = 0; p < r.Count; p++)
            {
                volumes[r.PointIds[p]] = r.Volumes[p];
            }
        }

        var displacement = u.ToArray();
        AtomicFile.WriteText(path, w =>
        {
            var c = CultureInfo.InvariantCulture;
            w.WriteLine("<?xml version=\"1.0\"?>");
            w.WriteLine("<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\">");
            w.WriteLine("<UnstructuredGrid>");
            w.WriteLine($"<Piece NumberOfPoints=\"{mesh.NodeCount}\" NumberOfCells=\"{mesh.ElementCount}\">");
            w.WriteLine("<Points><DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">");
            for (int i = 0; i < mesh.NodeCount; i++)
            {
                w.WriteLine(string.Create(c, $"{mesh.Coordinates[2 * i]:R} {mesh.Coordinates[2 * i + 1]:R} 0"));
            }

            w.WriteLine("</DataArray></Points>");
            w.WriteLine("<Cells>");
            Ints(w, "connectivity", mesh.Connectivity, mesh.Shape.NodeCount);
            Ints(w, "offsets", Enumerable.Range(1, mesh.ElementCount).Select(e => e * mesh.Shape.NodeCount).ToArray(), 16);
            w.WriteLine("<DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">");
            w.WriteLine(string.Join(' ', Enumerable.Repeat(VtkQuadraticQuad, mesh.ElementCount)));
            w.WriteLine("</DataArray>");
            w.WriteLine("</Cells>");
            w.WriteLine("<PointData Vectors=\"displacement\">");
            var u3 = new double[3 * mesh.NodeCount];
            for (int i = 0; i < mesh.NodeCount; i++)
            {
                u3[3 * i] = displacement[2 * i];
                u3[3 * i + 1] = displacement[2 * i + 1];
            }

            Doubles(w, "displacement", 3, u3);
            foreach (var (name, components, values) in fields.Fields)
            {
                Doubles(w, name, components, projection.ToNodes(values, components));
            }

            w.WriteLine("</PointData>");
            w.WriteLine("<CellData>");
            foreach (var (name, components, values) in fields.Fields)
            {
                Doubles(w, name, components, projection.ToCells(values, components, volumes));
            }

            Ints(w, "region", model.RegionOfElement, 16);
            w.WriteLine("</CellData>");
            w.WriteLine("</Piece>");
            w.WriteLine("</UnstructuredGrid>");
            w.WriteLine("</VTKFile>");
        });
    }

    private static void Ints(TextWriter w, string name, int[] values, int perLine)
    {
        w.WriteLine($"<DataArray type=\"Int32\" Name=\"{name}\" format=\"ascii\">");
        for (int i = 0; i < values.Length; i += perLine)
        {
            w.WriteLine(string.Join(' ', values.Skip(i).Take(perLine)));
        }

        w.WriteLine("</DataArray>");
    }

    private static void Doubles(TextWriter w, string name, int components, double[] values)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine($"<DataArray type=\"Float64\" Name=\"{name}\" NumberOfComponents=\"{components}\" format=\"ascii\">");
        for (int i = 0; i < values.Length; i += components)
        {
            for (int k = 0; k < components; k++)
            {
                w.Write(values[i + k].ToString("G10", c));
                w.Write(k + 1 < components ? " " : "\n");
            }
        }

        w.WriteLine("</DataArray>");
    }
}
