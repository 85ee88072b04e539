using FemHost.Cases;

namespace FemHost.Fem.Elements;

/// <summary>
/// An element whose isoparametric map is not one-to-one: det J ≤ 0 somewhere (inverted node order,
/// a re-entrant corner, or a mid-side node outside the middle half of its edge).
/// </summary>
public sealed class ElementGeometryException(int element, double xi, double eta, double detJ, double x, double y)
    : UserInputException(
        $"element {element} is inverted or too distorted: det J = {detJ:G4} at (ξ, η) = ({xi:G3}, {eta:G3}), near (x, y) = ({x:G6}, {y:G6}); " +
        "expected det J > 0 everywhere: list the corner nodes counter-clockwise and keep each mid-side node near the middle of its edge")
{
    /// <summary>0-based element id.</summary>
    public int Element { get; } = element;

    /// <summary>The offending Jacobian determinant.</summary>
    public double DetJ { get; } = detJ;
}
