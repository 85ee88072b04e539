using System.Globalization;
using System.Xml.Linq;

namespace FemHost.Experiments.Rendering;

/// <summary>
/// One state of a FemHost result read back from its ASCII <c>.vtu</c> (the host's VtuWriter: quadratic quads,
/// VTK type 23, whose node order is the host's Q8 order; point data are Gauss-point fields fitted to the nodes,
/// cell data their element averages). Only what a contour plot needs: node coordinates, the 8 nodes of each
/// element, and the point- and cell-data arrays by name.
/// </summary>
public sealed class VtuField
{
    private VtuField(double[] xy, int[] connectivity, Dictionary<string, (int Components, double[] Values)> pointData,
        Dictionary<string, (int Components, double[] Values)> cellData)
    {
        (Coordinates, Connectivity, PointData, CellData) = (xy, connectivity, pointData, cellData);
    }

    /// <summary>Node coordinates of the undeformed mesh, (x, y) per node.</summary>
    public double[] Coordinates { get; }

    /// <summary>Eight node indices per element (Q8 order: corners counter-clockwise, then mid-sides 0-1, 1-2, 2-3, 3-0).</summary>
    public int[] Connectivity { get; }

    /// <summary>Nodal arrays by name (components, node-major values).</summary>
    public IReadOnlyDictionary<string, (int Components, double[] Values)> PointData { get; }

    /// <summary>Element arrays by name (components, element-major values).</summary>
    public IReadOnlyDictionary<string, (int Components, double[] Values)> CellData { get; }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => Coordinates.Length / 2;

    /// <summary>Number of Q8 elements.</summary>
    public int ElementCount => Connectivity.Length / 8;

    /// <summary>Component <paramref name="component"/> of the nodal array <paramref name="name"/>.</summary>
    public double[] NodalScalar(string name, int component = 0)
    {
        if (!PointData.TryGetValue(name, out var array))
        {
            throw new InvalidDataException($"the .vtu has no point-data array '{name}'; it has {string.Join(", ", PointData.Keys)}");
        }

        if (component < 0 || component >= array.Components)
        {
            throw new ArgumentOutOfRangeException(nameof(component), $"'{name}' has {array.Components} component(s)");
        }

        return Enumerable.Range(0, NodeCount).Select(i => array.Values[i * array.Components + component]).ToArray();
    }

    /// <summary>Node coordinates moved by <paramref name="scale"/> × the point-data array <c>displacement</c> (the deformed mesh at scale 1).</summary>
    public double[] DeformedCoordinates(double scale = 1)
    {
        var xy = (double[])Coordinates.Clone();
        if (scale == 0)
        {
            return xy;
        }

        var (components, u) = PointData["displacement"];
        for (int i = 0; i < NodeCount; i++)
        {
            xy[2 * i] += scale * u[i * components];
            xy[2 * i + 1] += scale * u[i * components + 1];
        }

        return xy;
    }

    /// <summary>Reads a .vtu written by the host; a file of another kind is refused with a message naming it.</summary>
    public static VtuField Read(string path)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable VTK XML file: {e.Message}", e);
        }

        var piece = doc.Descendants("Piece").FirstOrDefault()
            ?? throw new InvalidDataException($"'{path}': no <Piece>; expected a VTK UnstructuredGrid written by femhost");
        var points = Numbers(Array(piece.Element("Points"), null, path, "Points"));
        var cells = piece.Element("Cells");
        var connectivity = Numbers(Array(cells, "connectivity", path, "Cells")).Select(v => (int)v).ToArray();
        var types = Numbers(Array(cells, "types", path, "Cells"));
        if (types.Any(t => t != 23))
        {
            throw new InvalidDataException($"'{path}': only quadratic quads (VTK type 23, femhost's Q8) can be rendered");
        }

        var xy = new double[points.Length / 3 * 2];
        for (int i = 0; i < points.Length / 3; i++)
        {
            xy[2 * i] = points[3 * i];
            xy[2 * i + 1] = points[3 * i + 1];
        }

        return new VtuField(xy, connectivity, DataArrays(piece.Element("PointData")), DataArrays(piece.Element("CellData")));
    }

    private static Dictionary<string, (int, double[])> DataArrays(XElement? section)
    {
        var arrays = new Dictionary<string, (int, double[])>();
        foreach (var a in section?.Elements("DataArray") ?? [])
        {
            int components = int.Parse((string?)a.Attribute("NumberOfComponents") ?? "1", CultureInfo.InvariantCulture);
            arrays[(string?)a.Attribute("Name") ?? ""] = (components, Numbers(a));
        }

        return arrays;
    }

    private static XElement Array(XElement? parent, string? name, string path, string section) =>
        parent?.Elements("DataArray").FirstOrDefault(a => name is null || (string?)a.Attribute("Name") == name)
        ?? throw new InvalidDataException($"'{path}': <{section}> has no DataArray{(name is null ? "" : $" '{name}'")}; expected a femhost .vtu");

    private static double[] Numbers(XElement a) =>
        a.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
