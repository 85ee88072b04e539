namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// Verlet pair list of a <see cref="SpherePacking"/>, built in O(N) with a cell (bin) list in reduced
/// coordinates, correct across periodic images and for any cell shape; pairs that stay listed keep their
/// contact history. The 3D counterpart of <see cref="Engine.NeighbourList"/>.
/// </summary>
/// <remarks>
/// Bins form a regular grid in reduced coordinates whose physical widths (the distance between opposite
/// cell faces, V / |h_b × h_c|, divided by the bin count) are at least the cut-off 2 r_max + skin; two
/// spheres closer than the cut-off are then at most one bin apart in each reduced direction whatever the
/// shear of the cell, so a 3×3×3 stencil finds every pair, and crossing a cell face gives the image shift.
/// With fewer than three bins in a direction every pair is tested instead, against the one image that the
/// face-distance bound |Δs_a| w_a ≤ |Δx| leaves possible; a cell thinner than twice the cut-off is refused,
/// since a sphere could then touch two images of another.
/// The list stays valid while 2 max|travel| + ‖h h_b⁻¹ − I‖ (2 r_max + skin) &lt; skin.
/// </remarks>
public sealed class SphereNeighbourList
{
    private int[] _head = [];
    private int[] _next = [];
    private int[] _bufJ = new int[64];
    private int[] _bufS = new int[3 * 64];
    private SpherePacking? _scratch;

    /// <summary>Number of builds done by this instance.</summary>
    public long Builds { get; private set; }

    /// <summary>Whether the pair list may miss a contact by now, given the largest travel since the build.</summary>
    public static bool NeedsRebuild(SpherePacking p, double maxTravel, double maxRadius)
    {
        ArgumentNullException.ThrowIfNull(p);
        double strain = (p.Cell * p.CellAtBuild.Inverse() - Mat3.Identity).Norm;
        return 2 * maxTravel + strain * (2 * maxRadius + p.Skin) >= p.Skin;
    }

    /// <summary>
    /// Rebuilds the pair list for the current configuration: wraps reduced coordinates into [0, 1), lists
    /// every pair closer than r_i + r_j + skin, and keeps the history of pairs already listed.
    /// </summary>
    public void Build(SpherePacking p, SphereContactLaw law)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(law);
        int n = p.Count;
        for (int i = 0; i < n; i++)
        {
            p.Sx[i] -= Math.Floor(p.Sx[i]);
            p.Sy[i] -= Math.Floor(p.Sy[i]);
            p.Sz[i] -= Math.Floor(p.Sz[i]);
            p.Travel[i] = 0;
        }

        var old = _scratch is { } s && s.Count == n ? s : _scratch = new SpherePacking(n, p.PairCount);
        CopyPairs(p, old);
        p.PairCount = 0;
        var h = p.Cell;
        double cutoff = 2 * p.MaxRadius + p.Skin;
        var (w1, w2, w3) = FaceDistances(h);
        int nb1 = (int)Math.Floor(w1 / cutoff), nb2 = (int)Math.Floor(w2 / cutoff), nb3 = (int)Math.Floor(w3 / cutoff);
        if (nb1 >= 3 && nb2 >= 3 && nb3 >= 3)
        {
            BuildWithBins(p, law, Math.Min(nb1, 256), Math.Min(nb2, 256), Math.Min(nb3, 256));
        }
        else
        {
            if (Math.Min(w1, Math.Min(w2, w3)) < 2 * cutoff)
            {
                throw new InvalidOperationException(
                    $"the periodic cell (face distances {w1:G3}, {w2:G3}, {w3:G3} m) is thinner than twice the contact cut-off {cutoff:G3} m");
            }

            BuildAllPairs(p, law);
        }

        MergeHistory(old, p);
        p.CellAtBuild = p.Cell;
        Builds++;
    }

    /// <summary>Distances between opposite faces of the cell: V / |h_b × h_c| for each cell vector h_a.</summary>
    public static (double W1, double W2, double W3) FaceDistances(Mat3 h)
    {
        double v = Math.Abs(h.Determinant);
        static double Cross(double ax, double ay, double az, double bx, double by, double bz)
        {
            double cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
            return Math.Sqrt(cx * cx + cy * cy + cz * cz);
        }

        return (
            v / Cross(h.X12, h.X22, h.X32, h.X13, h.X23, h.X33),
            v / Cross(h.X13, h.X23, h.X33, h.X11, h.X21, h.X31),
            v / Cross(h.X11, h.X21, h.X31, h.X12, h.X22, h.X32));
    }

    private void BuildWithBins(SpherePacking p, SphereContactLaw law, int nb1, int nb2, int nb3)
    {
        int n = p.Count, bins = nb1 * nb2 * nb3;
        if (_head.Length < bins)
        {
            _head = new int[bins];
        }

        if (_next.Length < n)
        {
            _next = new int[n];
        }

        Array.Fill(_head, -1, 0, bins);
        for (int i = n - 1; i >= 0; i--)
        {
            int b = (Bin(p.Sx[i], nb1) * nb2 + Bin(p.Sy[i], nb2)) * nb3 + Bin(p.Sz[i], nb3);
            _next[i] = _head[b];
            _head[b] = i;
        }

        for (int i = 0; i < n; i++)
        {
            int bx = Bin(p.Sx[i], nb1), by = Bin(p.Sy[i], nb2), bz = Bin(p.Sz[i], nb3);
            int found = 0;
            for (int dx = -1; dx <= 1; dx++)
            {
                int cx = Wrap(bx + dx, nb1, out int sx);
                for (int dy = -1; dy <= 1; dy++)
                {
                    int cy = Wrap(by + dy, nb2, out int sy);
                    for (int dz = -1; dz <= 1; dz++)
                    {
                        int cz = Wrap(bz + dz, nb3, out int sz);
                        for (int j = _head[(cx * nb2 + cy) * nb3 + cz]; j >= 0; j = _next[j])
                        {
                            if (j > i && Near(p, i, j, sx, sy, sz))
                            {
                                Push(ref found, j, sx, sy, sz);
                            }
                        }
                    }
                }
            }

            AppendSorted(p, law, i, found);
        }
    }

    private void BuildAllPairs(SpherePacking p, SphereContactLaw law)
    {
        int n = p.Count;
        var (w1, w2, w3) = FaceDistances(p.Cell);
        for (int i = 0; i < n; i++)
        {
            int found = 0;
            for (int j = i + 1; j < n; j++)
            {
                // The separation of two points along the normal of the faces of cell vector a is Δs_a times the
                // face distance w_a, a lower bound of their distance; as w_a ≥ 2 · cut-off, only the image nearest
                // in Δs_a can be within reach, and only if |Δs_a| w_a is.
                double reach = p.Radius[i] + p.Radius[j] + p.Skin;
                double a = p.Sx[j] - p.Sx[i], b = p.Sy[j] - p.Sy[i], c = p.Sz[j] - p.Sz[i];
                int sx = -(int)Math.Round(a), sy = -(int)Math.Round(b), sz = -(int)Math.Round(c);
                if (Math.Abs(a + sx) * w1 < reach && Math.Abs(b + sy) * w2 < reach && Math.Abs(c + sz) * w3 < reach
                    && Near(p, i, j, sx, sy, sz))
                {
                    Push(ref found, j, sx, sy, sz);
                }
            }

            AppendSorted(p, law, i, found);
        }
    }

    private static int Wrap(int c, int nb, out int shift)
    {
        if (c < 0)
        {
            shift = -1;
            return c + nb;
        }

        if (c >= nb)
        {
            shift = 1;
            return c - nb;
        }

        shift = 0;
        return c;
    }

    private static bool Near(SpherePacking p, int i, int j, int sx, int sy, int sz)
    {
        var h = p.Cell;
        double a = p.Sx[j] + sx - p.Sx[i], b = p.Sy[j] + sy - p.Sy[i], c = p.Sz[j] + sz - p.Sz[i];
        double dx = h.X11 * a + h.X12 * b + h.X13 * c;
        double dy = h.X21 * a + h.X22 * b + h.X23 * c;
        double dz = h.X31 * a + h.X32 * b + h.X33 * c;
        double reach = p.Radius[i] + p.Radius[j] + p.Skin;
        return dx * dx + dy * dy + dz * dz < reach * reach;
    }

    private void Push(ref int found, int j, int sx, int sy, int sz)
    {
        if (found == _bufJ.Length)
        {
            Array.Resize(ref _bufJ, 2 * found);
            Array.Resize(ref _bufS, 6 * found);
        }

        _bufJ[found] = j;
        _bufS[3 * found] = sx;
        _bufS[3 * found + 1] = sy;
        _bufS[3 * found + 2] = sz;
        found++;
    }

    /// <summary>Appends the partners of i in increasing j so that the list stays sorted by (i, j).</summary>
    private void AppendSorted(SpherePacking p, SphereContactLaw law, int i, int found)
    {
        for (int a = 1; a < found; a++)
        {
            int j = _bufJ[a], sx = _bufS[3 * a], sy = _bufS[3 * a + 1], sz = _bufS[3 * a + 2], b = a - 1;
            while (b >= 0 && _bufJ[b] > j)
            {
                _bufJ[b + 1] = _bufJ[b];
                _bufS[3 * b + 3] = _bufS[3 * b];
                _bufS[3 * b + 4] = _bufS[3 * b + 1];
                _bufS[3 * b + 5] = _bufS[3 * b + 2];
                b--;
            }

            _bufJ[b + 1] = j;
            _bufS[3 * b + 3] = sx;
            _bufS[3 * b + 4] = sy;
            _bufS[3 * b + 5] = sz;
        }

        p.EnsurePairCapacity(p.PairCount + found);
        double ri = p.Radius[i];
        for (int a = 0; a < found; a++)
        {
            int k = p.PairCount++, j = _bufJ[a];
            double kn = law.NormalStiffness(ri, p.Radius[j]);
            p.PairI[k] = i;
            p.PairJ[k] = j;
            p.ShiftX[k] = _bufS[3 * a];
            p.ShiftY[k] = _bufS[3 * a + 1];
            p.ShiftZ[k] = _bufS[3 * a + 2];
            p.Kn[k] = kn;
            p.Ks[k] = law.StiffnessRatio * kn;
            p.FtX[k] = 0;
            p.FtY[k] = 0;
            p.FtZ[k] = 0;
            p.Fn[k] = 0;
            p.ContactState[k] = 0;
        }
    }

    /// <summary>Two-pointer merge over lists sorted by (i, j): pairs present in both keep their history.</summary>
    private static void MergeHistory(SpherePacking old, SpherePacking p)
    {
        int a = 0;
        for (int k = 0; k < p.PairCount && a < old.PairCount; k++)
        {
            long key = ((long)p.PairI[k] << 32) | (uint)p.PairJ[k];
            while (a < old.PairCount && (((long)old.PairI[a] << 32) | (uint)old.PairJ[a]) < key)
            {
                a++;
            }

            if (a < old.PairCount && old.PairI[a] == p.PairI[k] && old.PairJ[a] == p.PairJ[k])
            {
                p.FtX[k] = old.FtX[a];
                p.FtY[k] = old.FtY[a];
                p.FtZ[k] = old.FtZ[a];
                p.Fn[k] = old.Fn[a];
                p.ContactState[k] = old.ContactState[a];
            }
        }
    }

    private static void CopyPairs(SpherePacking src, SpherePacking dst)
    {
        int n = src.PairCount;
        dst.EnsurePairCapacity(n);
        dst.PairCount = n;
        Array.Copy(src.PairI, dst.PairI, n);
        Array.Copy(src.PairJ, dst.PairJ, n);
        Array.Copy(src.FtX, dst.FtX, n);
        Array.Copy(src.FtY, dst.FtY, n);
        Array.Copy(src.FtZ, dst.FtZ, n);
        Array.Copy(src.Fn, dst.Fn, n);
        Array.Copy(src.ContactState, dst.ContactState, n);
    }

    private static int Bin(double s, int nb) => Math.Min((int)(s * nb), nb - 1);
}
