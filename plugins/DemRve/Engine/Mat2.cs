namespace FemHost.Materials.DemRve.Engine;

/// <summary>A 2×2 matrix [[XX, XY], [YX, YY]] (row, column): cell matrices, strains, stresses.</summary>
public readonly record struct Mat2(double XX, double XY, double YX, double YY)
{
    /// <summary>The identity.</summary>
    public static Mat2 Identity => new(1, 0, 0, 1);

    /// <summary>Zero.</summary>
    public static Mat2 Zero => default;

    /// <summary>Determinant (the area of a cell whose columns are its edge vectors).</summary>
    public double Determinant => XX * YY - XY * YX;

    /// <summary>Trace.</summary>
    public double Trace => XX + YY;

    /// <summary>Inverse; throws for a singular matrix.</summary>
    public Mat2 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("singular 2×2 matrix");
        }

        double inv = 1.0 / det;
        return new Mat2(YY * inv, -XY * inv, -YX * inv, XX * inv);
    }

    /// <summary>Transpose.</summary>
    public Mat2 Transpose() => new(XX, YX, XY, YY);

    /// <summary>Symmetric part ½(A + Aᵀ).</summary>
    public Mat2 Symmetric() => new(XX, 0.5 * (XY + YX), 0.5 * (XY + YX), YY);

    /// <summary>Frobenius norm.</summary>
    public double Norm => Math.Sqrt(XX * XX + XY * XY + YX * YX + YY * YY);

    /// <summary>Largest absolute entry.</summary>
    public double MaxAbs => Math.Max(Math.Max(Math.Abs(XX), Math.Abs(XY)), Math.Max(Math.Abs(YX), Math.Abs(YY)));

    /// <summary>Matrix product.</summary>
    public static Mat2 operator *(Mat2 a, Mat2 b) => new(
        a.XX * b.XX + a.XY * b.YX, a.XX * b.XY + a.XY * b.YY,
        a.YX * b.XX + a.YY * b.YX, a.YX * b.XY + a.YY * b.YY);

    /// <summary>Scaling.</summary>
    public static Mat2 operator *(double s, Mat2 a) => new(s * a.XX, s * a.XY, s * a.YX, s * a.YY);

    /// <summary>Sum.</summary>
    public static Mat2 operator +(Mat2 a, Mat2 b) => new(a.XX + b.XX, a.XY + b.XY, a.YX + b.YX, a.YY + b.YY);

    /// <summary>Difference.</summary>
    public static Mat2 operator -(Mat2 a, Mat2 b) => new(a.XX - b.XX, a.XY - b.XY, a.YX - b.YX, a.YY - b.YY);
}
