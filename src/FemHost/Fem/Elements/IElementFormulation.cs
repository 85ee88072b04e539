using FemHost.MaterialSdk;

namespace FemHost.Fem.Elements;

/// <summary>
/// Kinematics of a displacement element: from the nodal coordinates of one element it gives, at each
/// quadrature point, the strain–displacement matrix B (ε = B u_e in SDK Voigt order with engineering
/// shear), the volume weight dV = w det J (times the thickness or 2πr) and the point coordinates.
/// Plane strain, axisymmetry or another element shape are each one implementation.
/// </summary>
public interface IElementFormulation
{
    /// <summary>Shape functions of the element.</summary>
    IElementShape Shape { get; }

    /// <summary>Modelling hypothesis handed to the material (fixes the Voigt size).</summary>
    ModellingHypothesis Hypothesis { get; }

    /// <summary>Quadrature rule.</summary>
    GaussRule Rule { get; }

    /// <summary>Voigt size n of the strain vector.</summary>
    int StrainSize { get; }

    /// <summary>Degrees of freedom per node (2: u_x, u_y).</summary>
    int DofsPerNode { get; }

    /// <summary>Degrees of freedom per element.</summary>
    int ElementDofs { get; }

    /// <summary>
    /// Evaluates quadrature point <paramref name="q"/> of element <paramref name="element"/> with nodal
    /// coordinates <paramref name="nodeXy"/> (x0, y0, x1, y1, ...): writes B (StrainSize × ElementDofs,
    /// row-major) and the point coordinates, returns dV.
    /// </summary>
    /// <exception cref="ElementGeometryException">det J ≤ 0 at the point (inverted or badly distorted element).</exception>
    double Evaluate(int element, ReadOnlySpan<double> nodeXy, int q, Span<double> b, Span<double> x);

    /// <summary>Shape function values N_a at quadrature point <paramref name="q"/>.</summary>
    ReadOnlySpan<double> ShapeValues(int q);

    /// <summary>
    /// Checks det J at every node and quadrature point of an element and throws
    /// <see cref="ElementGeometryException"/> for the first non-positive value.
    /// </summary>
    void CheckGeometry(int element, ReadOnlySpan<double> nodeXy);
}
