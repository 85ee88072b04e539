using FemHost.Cases;

namespace FemHost.Fem.Elements;

/// <summary>
/// An element whose isoparametric map is not one-to-one: det J ≤ 0 somewhere (inverted node order,
/// a re-entrant corner, or a mid-side node outside the middle half of its edge).
/// </summary>
/// <param name="where">Where the mesh came from (case-file location and mesh source), prefixed to the message; null for none.</param>
public sealed class ElementGeometryException(int element, double xi, double eta, double detJ, double x, double y, string? where = null)
    : UserInputException((where is null ? "" : where + ": ") +
        $"element {element} is inverted or too distorted: det J = {detJ:G4} at (ξ, η) = ({xi:G3}, {eta:G3}), near (x, y) = ({x:G6}, {y:G6}); " +
        "expected det J > 0 everywhere: list the corner nodes counter-clockwise and keep each mid-side node near the middle of its edge")
{
    /// <summary>0-based element id.</summary>
    public int Element { get; } = element;

    /// <summary>The offending Jacobian determinant.</summary>
    public double DetJ { get; } = detJ;

    /// <summary>The same finding located at <paramref name="where"/> (e.g. the case file's mesh entry and the mesh file).</summary>
    public ElementGeometryException At(string where) => new(Element, xi, eta, DetJ, x, y, where);
}
