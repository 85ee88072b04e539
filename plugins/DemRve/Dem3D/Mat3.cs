namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>A 3×3 matrix, row-major entries Xij (row i, column j): cell matrices, velocity gradients, stresses.</summary>
public readonly record struct Mat3(
    double X11, double X12, double X13,
    double X21, double X22, double X23,
    double X31, double X32, double X33)
{
    /// <summary>The identity.</summary>
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>Zero.</summary>
    public static Mat3 Zero => default;

    /// <summary>Diagonal matrix diag(a, b, c).</summary>
    public static Mat3 Diagonal(double a, double b, double c) => new(a, 0, 0, 0, b, 0, 0, 0, c);

    /// <summary>Entry (i, j), zero-based.</summary>
    public double this[int i, int j] => (i * 3 + j) switch
    {
        0 => X11,
        1 => X12,
        2 => X13,
        3 => X21,
        4 => X22,
        5 => X23,
        6 => X31,
        7 => X32,
        8 => X33,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    /// <summary>Determinant (the volume of a cell whose columns are its edge vectors).</summary>
    public double Determinant =>
        X11 * (X22 * X33 - X23 * X32) - X12 * (X21 * X33 - X23 * X31) + X13 * (X21 * X32 - X22 * X31);

    /// <summary>Trace.</summary>
    public double Trace => X11 + X22 + X33;

    /// <summary>Frobenius norm.</summary>
    public double Norm => Math.Sqrt(
        X11 * X11 + X12 * X12 + X13 * X13 + X21 * X21 + X22 * X22 + X23 * X23 + X31 * X31 + X32 * X32 + X33 * X33);

    /// <summary>Inverse by the adjugate; throws for a singular matrix.</summary>
    public Mat3 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("singular 3×3 matrix");
        }

        double s = 1.0 / det;
        return new Mat3(
            (X22 * X33 - X23 * X32) * s, (X13 * X32 - X12 * X33) * s, (X12 * X23 - X13 * X22) * s,
            (X23 * X31 - X21 * X33) * s, (X11 * X33 - X13 * X31) * s, (X13 * X21 - X11 * X23) * s,
            (X21 * X32 - X22 * X31) * s, (X12 * X31 - X11 * X32) * s, (X11 * X22 - X12 * X21) * s);
    }

    /// <summary>Transpose.</summary>
    public Mat3 Transpose() => new(X11, X21, X31, X12, X22, X32, X13, X23, X33);

    /// <summary>Symmetric part ½(A + Aᵀ).</summary>
    public Mat3 Symmetric() => 0.5 * (this + Transpose());

    /// <summary>Matrix product.</summary>
    public static Mat3 operator *(Mat3 a, Mat3 b) => new(
        a.X11 * b.X11 + a.X12 * b.X21 + a.X13 * b.X31, a.X11 * b.X12 + a.X12 * b.X22 + a.X13 * b.X32, a.X11 * b.X13 + a.X12 * b.X23 + a.X13 * b.X33,
        a.X21 * b.X11 + a.X22 * b.X21 + a.X23 * b.X31, a.X21 * b.X12 + a.X22 * b.X22 + a.X23 * b.X32, a.X21 * b.X13 + a.X22 * b.X23 + a.X23 * b.X33,
        a.X31 * b.X11 + a.X32 * b.X21 + a.X33 * b.X31, a.X31 * b.X12 + a.X32 * b.X22 + a.X33 * b.X32, a.X31 * b.X13 + a.X32 * b.X23 + a.X33 * b.X33);

    /// <summary>Scaling.</summary>
    public static Mat3 operator *(double s, Mat3 a) => new(
        s * a.X11, s * a.X12, s * a.X13, s * a.X21, s * a.X22, s * a.X23, s * a.X31, s * a.X32, s * a.X33);

    /// <summary>Sum.</summary>
    public static Mat3 operator +(Mat3 a, Mat3 b) => new(
        a.X11 + b.X11, a.X12 + b.X12, a.X13 + b.X13, a.X21 + b.X21, a.X22 + b.X22, a.X23 + b.X23, a.X31 + b.X31, a.X32 + b.X32, a.X33 + b.X33);

    /// <summary>Difference.</summary>
    public static Mat3 operator -(Mat3 a, Mat3 b) => a + (-1.0 * b);
}
