namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>Micro-to-macro averages of a sphere packing: the Voigt contact stiffness and the coordination number.</summary>
public static class SphereHomogenisation
{
    /// <summary>
    /// The Voigt (affine) contact stiffness, the 3D form of Qu et al. (2023) eq. 7:
    /// C_ijkl = (1/V) Σ_c (k_n n_i d_j n_k d_l + k_s (δ_ik − n_i n_k) d_j d_l), as a 3×3×3×3 array
    /// (index [((i·3 + j)·3 + k)·3 + l]) in Pa, so that dσ_ij = C_ijkl dε_kl for an affine strain increment
    /// with the spheres held from rotating. A sliding contact contributes no tangential stiffness.
    /// </summary>
    public static void VoigtStiffness(SpherePacking p, Span<double> c)
    {
        ArgumentNullException.ThrowIfNull(p);
        c[..81].Clear();
        Span<double> n = stackalloc double[3];
        Span<double> d = stackalloc double[3];
        for (int k = 0; k < p.PairCount; k++)
        {
            if (p.ContactState[k] == 0 || !Touching(p, k, out double dx, out double dy, out double dz))
            {
                continue;
            }

            double dist = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            n[0] = dx / dist; n[1] = dy / dist; n[2] = dz / dist;
            d[0] = dx; d[1] = dy; d[2] = dz;
            double kn = p.Kn[k], ks = p.ContactState[k] == 1 ? p.Ks[k] : 0.0;
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    for (int a = 0; a < 3; a++)
                    {
                        for (int b = 0; b < 3; b++)
                        {
                            double projector = (i == a ? 1.0 : 0.0) - n[i] * n[a];
                            c[(((i * 3) + j) * 3 + a) * 3 + b] += (kn * n[i] * n[a] + ks * projector) * d[j] * d[b];
                        }
                    }
                }
            }
        }

        double invV = 1.0 / p.Volume;
        for (int q = 0; q < 81; q++)
        {
            c[q] *= invV;
        }
    }

    /// <summary>Coordination number Z = 2 N_c / N (touching pairs N_c, spheres N).</summary>
    public static double CoordinationNumber(SpherePacking p)
    {
        ArgumentNullException.ThrowIfNull(p);
        int contacts = 0;
        for (int k = 0; k < p.PairCount; k++)
        {
            if (Touching(p, k, out _, out _, out _))
            {
                contacts++;
            }
        }

        return p.Count == 0 ? 0 : 2.0 * contacts / p.Count;
    }

    /// <summary>Branch vector d of pair k and whether the spheres overlap.</summary>
    public static bool Touching(SpherePacking p, int k, out double dx, out double dy, out double dz)
    {
        ArgumentNullException.ThrowIfNull(p);
        (dx, dy, dz) = p.Branch(k);
        double rsum = p.Radius[p.PairI[k]] + p.Radius[p.PairJ[k]];
        return dx * dx + dy * dy + dz * dz < rsum * rsum;
    }
}
