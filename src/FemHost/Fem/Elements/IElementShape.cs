namespace FemHost.Fem.Elements;

/// <summary>
/// Shape functions of a reference element (the "finite element" of Ciarlet without the kinematics).
/// A new element family (Q4, T6, ...) is one new implementation of this interface; the element
/// kinematics (<see cref="IElementFormulation"/>) and the assembly do not change.
/// </summary>
public interface IElementShape
{
    /// <summary>Name, e.g. "Q8".</summary>
    string Name { get; }

    /// <summary>Number of nodes.</summary>
    int NodeCount { get; }

    /// <summary>Number of nodes on one edge (3 for quadratic edges).</summary>
    int EdgeNodeCount { get; }

    /// <summary>Local node numbers of each edge, counter-clockwise; an edge lists its end nodes first, then interior nodes.</summary>
    IReadOnlyList<int[]> Edges { get; }

    /// <summary>Reference coordinates (ξ, η) of each node.</summary>
    IReadOnlyList<(double Xi, double Eta)> NodeCoordinates { get; }

    /// <summary>Evaluates N_a(ξ, η) and ∂N_a/∂ξ, ∂N_a/∂η (each span has <see cref="NodeCount"/> entries).</summary>
    void Evaluate(double xi, double eta, Span<double> n, Span<double> dndxi, Span<double> dndeta);

    /// <summary>
    /// Shape functions of one edge in the edge coordinate s ∈ [−1, 1], in the order of <see cref="Edges"/>
    /// (end nodes, then interior nodes), with their derivatives.
    /// </summary>
    void EvaluateEdge(double s, Span<double> n, Span<double> dnds);

    /// <summary>The quadrature rule of the element for a requested order (points per direction).</summary>
    GaussRule Rule(int order);

    /// <summary>
    /// Polynomial basis (its size is at most the number of Gauss points) used to extrapolate Gauss-point
    /// values to nodes by least squares; writes the basis at (ξ, η) into <paramref name="basis"/> and returns its size.
    /// </summary>
    int ExtrapolationBasis(int order, double xi, double eta, Span<double> basis);
}
