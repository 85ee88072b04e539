namespace FemHost.Materials.DemRve.Engine;

/// <summary>Micro-to-macro averages of a packing: contact tangent (paper eq. 7), fabric, coordination.</summary>
public static class Homogenisation
{
    /// <summary>
    /// The Voigt-homogenised contact stiffness of Qu et al. (2023) eq. 7,
    /// C_ijkl = (1/V) Σ_c (k_n n_i d_j n_k d_l + k_s t_i d_j t_k d_l), as a 2×2×2×2 array
    /// (index [((i·2 + j)·2 + k)·2 + l]), in Pa. Every touching pair contributes its normal stiffness;
    /// a sliding contact (|f_t| = μ f_n) contributes no tangential stiffness (k_s = 0), since a further
    /// tangential displacement in the sliding direction adds no force.
    /// </summary>
    public static void ContactTangent(Packing p, Span<double> c)
    {
        ArgumentNullException.ThrowIfNull(p);
        c[..16].Clear();
        var h = p.Cell;
        for (int k = 0; k < p.PairCount; k++)
        {
            if (p.ContactState[k] == 0 || !Touching(p, k, out double dx, out double dy))
            {
                continue;
            }

            double dist = Math.Sqrt(dx * dx + dy * dy);
            double nx = dx / dist, ny = dy / dist, tx = -ny, ty = nx;
            double kn = p.Kn[k], ks = p.ContactState[k] == 1 ? p.Ks[k] : 0.0;
            Span<double> n = [nx, ny];
            Span<double> t = [tx, ty];
            Span<double> d = [dx, dy];
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    for (int a = 0; a < 2; a++)
                    {
                        for (int b = 0; b < 2; b++)
                        {
                            c[(((i * 2) + j) * 2 + a) * 2 + b] += kn * n[i] * d[j] * n[a] * d[b] + ks * t[i] * d[j] * t[a] * d[b];
                        }
                    }
                }
            }
        }

        double invV = 1.0 / Math.Abs(h.Determinant);
        for (int q = 0; q < 16; q++)
        {
            c[q] *= invV;
        }
    }

    /// <summary>
    /// Maps a 2D fourth-order tangent C_ijkl to the 4×4 plane-strain Voigt matrix of the SDK (rows and
    /// columns 11, 22, 33, 12; engineering shear strain; D_ij = ∂σ_i/∂ε_j), scaled by
    /// <paramref name="scale"/>. σ12 is the symmetric part ½(σ_12 + σ_21); a shear strain γ puts
    /// ε_12 = ε_21 = γ/2. The out-of-plane row is <paramref name="outOfPlaneFactor"/> × (row 11 + row 22)
    /// (σ33 = factor · (σ11 + σ22)); the ε33 column is zero (no out-of-plane response in 2D).
    /// </summary>
    public static void ToPlaneStrainVoigt(ReadOnlySpan<double> c, double outOfPlaneFactor, double scale, Span<double> d)
    {
        d[..16].Clear();
        ReadOnlySpan<int> rows = [0, 1, 3];
        ReadOnlySpan<(int I, int J)> comp = [(0, 0), (1, 1), (0, 1)];
        for (int r = 0; r < 3; r++)
        {
            for (int s = 0; s < 3; s++)
            {
                var (i, j) = comp[r];
                var (k, l) = comp[s];
                // Symmetrise over (i, j) for the stress, σ12 = ½(σ_12 + σ_21), and over (k, l) for the
                // strain, ∂σ/∂γ = ½(C_ij12 + C_ij21); for normal columns (k = l) this is C_ijkk.
                double v = C(c, i, j, k, l) + C(c, j, i, k, l) + C(c, i, j, l, k) + C(c, j, i, l, k);
                d[rows[r] * 4 + rows[s]] = 0.25 * scale * v;
            }
        }

        for (int s = 0; s < 4; s++)
        {
            d[2 * 4 + s] = outOfPlaneFactor * (d[s] + d[4 + s]);
        }
    }

    /// <summary>
    /// Fabric tensor F = (1/N_c) Σ_c n⊗n over touching pairs (trace 1; isotropic packing: F = ½ I), and
    /// the number of contacts N_c.
    /// </summary>
    public static Mat2 Fabric(Packing p, out int contacts)
    {
        ArgumentNullException.ThrowIfNull(p);
        double f00 = 0, f01 = 0, f11 = 0;
        contacts = 0;
        for (int k = 0; k < p.PairCount; k++)
        {
            if (p.ContactState[k] == 0 || !Touching(p, k, out double dx, out double dy))
            {
                continue;
            }

            double d2 = dx * dx + dy * dy;
            f00 += dx * dx / d2; f01 += dx * dy / d2; f11 += dy * dy / d2;
            contacts++;
        }

        return contacts == 0 ? Mat2.Zero : new Mat2(f00 / contacts, f01 / contacts, f01 / contacts, f11 / contacts);
    }

    /// <summary>Fraction of touching contacts that slide (|f_t| = μ f_n).</summary>
    public static double SlidingFraction(Packing p)
    {
        ArgumentNullException.ThrowIfNull(p);
        int touching = 0, sliding = 0;
        for (int k = 0; k < p.PairCount; k++)
        {
            touching += p.ContactState[k] != 0 ? 1 : 0;
            sliding += p.ContactState[k] == 2 ? 1 : 0;
        }

        return touching == 0 ? 0 : (double)sliding / touching;
    }

    /// <summary>Branch vector d of pair k (from i to the image of j) and whether the disks overlap.</summary>
    public static bool Touching(Packing p, int k, out double dx, out double dy)
    {
        ArgumentNullException.ThrowIfNull(p);
        var h = p.Cell;
        int i = p.PairI[k], j = p.PairJ[k];
        double ax = p.Sx[j] + p.ShiftX[k] - p.Sx[i], ay = p.Sy[j] + p.ShiftY[k] - p.Sy[i];
        dx = h.XX * ax + h.XY * ay;
        dy = h.YX * ax + h.YY * ay;
        double rsum = p.Radius[i] + p.Radius[j];
        return dx * dx + dy * dy < rsum * rsum;
    }

    private static double C(ReadOnlySpan<double> c, int i, int j, int k, int l) => c[(((i * 2) + j) * 2 + k) * 2 + l];
}
