namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// Builds the Verlet pair list of a <see cref="Packing"/> in O(N) with a cell (bin) list in reduced
/// coordinates, correct across periodic images and for any cell shape, and carries the contact history
/// (tangential spring, rolling moment) of every pair that stays listed.
/// </summary>
/// <remarks>
/// Bins are a regular grid in reduced coordinates whose physical widths (the distances between the
/// cell faces divided by the bin count) are at least the cut-off 2 r_max + skin; two particles closer
/// than the cut-off are then at most one bin apart in each reduced direction, whatever the shear of the
/// cell, so a 3×3 stencil finds every pair. Crossing a face of the cell gives the image shift. With fewer
/// than three bins in a direction (tiny test cells) every pair is tested with its minimum image.
/// The list stays valid while 2 max|travel| + ‖h h_b⁻¹ − I‖ (2 r_max + skin) &lt; skin (fluctuating
/// travel plus the worst affine change of a listed distance since the build at h_b); see
/// <see cref="NeedsRebuild"/>.
/// </remarks>
public sealed class NeighbourList
{
    private int[] _head = [];
    private int[] _next = [];
    private int[] _bufJ = new int[64];
    private int[] _bufSx = new int[64];
    private int[] _bufSy = new int[64];
    private Packing? _scratch;

    /// <summary>Number of builds done by this instance (diagnostics).</summary>
    public long Builds { get; private set; }

    /// <summary>
    /// Whether the pair list of <paramref name="p"/> may miss a contact by now, given the largest travel
    /// of a particle since the build and the largest radius.
    /// </summary>
    public static bool NeedsRebuild(Packing p, double maxTravel, double maxRadius)
    {
        ArgumentNullException.ThrowIfNull(p);
        double strain = (p.Cell * p.CellAtBuild.Inverse() - Mat2.Identity).Norm;
        return 2 * maxTravel + strain * (2 * maxRadius + p.Skin) >= p.Skin;
    }

    /// <summary>
    /// Rebuilds the pair list of <paramref name="p"/> for its current configuration: wraps reduced
    /// coordinates into [0, 1), lists every pair closer than r_i + r_j + skin, and keeps the history of
    /// pairs that were already listed.
    /// </summary>
    public void Build(Packing p, ContactLaw law)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(law);
        int n = p.Count;
        for (int i = 0; i < n; i++)
        {
            p.Sx[i] -= Math.Floor(p.Sx[i]);
            p.Sy[i] -= Math.Floor(p.Sy[i]);
            p.Travel[i] = 0;
        }

        var old = _scratch is { } s && s.Count == n ? s : _scratch = new Packing(n, p.PairCount);
        CopyPairs(p, old);
        p.PairCount = 0;
        var h = p.Cell;
        double area = Math.Abs(h.Determinant);
        double cutoff = 2 * p.MaxRadius + p.Skin;
        int nb1 = (int)Math.Floor(area / Math.Sqrt(h.XY * h.XY + h.YY * h.YY) / cutoff);
        int nb2 = (int)Math.Floor(area / Math.Sqrt(h.XX * h.XX + h.YX * h.YX) / cutoff);
        if (nb1 >= 3 && nb2 >= 3)
        {
            BuildWithBins(p, law, Math.Min(nb1, 1024), Math.Min(nb2, 1024));
        }
        else
        {
            BuildAllPairs(p, law);
        }

        MergeHistory(old, p);
        p.CellAtBuild = p.Cell;
        Builds++;
    }

    private void BuildWithBins(Packing p, ContactLaw law, int nb1, int nb2)
    {
        int n = p.Count;
        if (_head.Length < nb1 * nb2)
        {
            _head = new int[nb1 * nb2];
        }

        if (_next.Length < n)
        {
            _next = new int[n];
        }

        Array.Fill(_head, -1, 0, nb1 * nb2);
        for (int i = n - 1; i >= 0; i--)
        {
            int b = Bin(p.Sx[i], nb1) * nb2 + Bin(p.Sy[i], nb2);
            _next[i] = _head[b];
            _head[b] = i;
        }

        for (int i = 0; i < n; i++)
        {
            int bx = Bin(p.Sx[i], nb1), by = Bin(p.Sy[i], nb2);
            int found = 0;
            for (int dx = -1; dx <= 1; dx++)
            {
                int cx = bx + dx, sx = 0;
                if (cx < 0) { cx += nb1; sx = -1; } else if (cx >= nb1) { cx -= nb1; sx = 1; }
                for (int dy = -1; dy <= 1; dy++)
                {
                    int cy = by + dy, sy = 0;
                    if (cy < 0) { cy += nb2; sy = -1; } else if (cy >= nb2) { cy -= nb2; sy = 1; }
                    for (int j = _head[cx * nb2 + cy]; j >= 0; j = _next[j])
                    {
                        if (j > i && Near(p, i, j, sx, sy))
                        {
                            Push(ref found, j, sx, sy);
                        }
                    }
                }
            }

            AppendSorted(p, law, i, found);
        }
    }

    private void BuildAllPairs(Packing p, ContactLaw law)
    {
        int n = p.Count;
        for (int i = 0; i < n; i++)
        {
            int found = 0;
            for (int j = i + 1; j < n; j++)
            {
                int sx = -(int)Math.Round(p.Sx[j] - p.Sx[i]);
                int sy = -(int)Math.Round(p.Sy[j] - p.Sy[i]);
                if (Near(p, i, j, sx, sy))
                {
                    Push(ref found, j, sx, sy);
                }
            }

            AppendSorted(p, law, i, found);
        }
    }

    private static bool Near(Packing p, int i, int j, int sx, int sy)
    {
        var h = p.Cell;
        double ax = p.Sx[j] + sx - p.Sx[i], ay = p.Sy[j] + sy - p.Sy[i];
        double dx = h.XX * ax + h.XY * ay, dy = h.YX * ax + h.YY * ay;
        double reach = p.Radius[i] + p.Radius[j] + p.Skin;
        return dx * dx + dy * dy < reach * reach;
    }

    private void Push(ref int found, int j, int sx, int sy)
    {
        if (found == _bufJ.Length)
        {
            Array.Resize(ref _bufJ, 2 * found);
            Array.Resize(ref _bufSx, 2 * found);
            Array.Resize(ref _bufSy, 2 * found);
        }

        _bufJ[found] = j;
        _bufSx[found] = sx;
        _bufSy[found] = sy;
        found++;
    }

    /// <summary>Appends the partners of i in increasing j so that the list stays sorted by (i, j).</summary>
    private void AppendSorted(Packing p, ContactLaw law, int i, int found)
    {
        for (int a = 1; a < found; a++)
        {
            int j = _bufJ[a], sx = _bufSx[a], sy = _bufSy[a], b = a - 1;
            while (b >= 0 && _bufJ[b] > j)
            {
                _bufJ[b + 1] = _bufJ[b]; _bufSx[b + 1] = _bufSx[b]; _bufSy[b + 1] = _bufSy[b];
                b--;
            }

            _bufJ[b + 1] = j; _bufSx[b + 1] = sx; _bufSy[b + 1] = sy;
        }

        p.EnsurePairCapacity(p.PairCount + found);
        double ri = p.Radius[i];
        for (int a = 0; a < found; a++)
        {
            int k = p.PairCount++, j = _bufJ[a];
            double rj = p.Radius[j];
            double kn = law.NormalStiffness(ri, rj);
            double rbar = 2 * ri * rj / (ri + rj);
            p.PairI[k] = i; p.PairJ[k] = j; p.ShiftX[k] = _bufSx[a]; p.ShiftY[k] = _bufSy[a];
            p.Kn[k] = kn;
            p.Ks[k] = law.StiffnessRatio * kn;
            p.Kr[k] = law.HasRollingResistance ? law.RollingStiffnessFactor * law.StiffnessRatio * kn * rbar * rbar : 0;
            p.RollLever[k] = law.HasRollingResistance ? law.RollingFriction * rbar : 0;
            p.Ft[k] = 0; p.Mr[k] = 0; p.Fn[k] = 0; p.ContactState[k] = 0;
        }
    }

    /// <summary>Two-pointer merge over lists sorted by (i, j): pairs present in both keep their history.</summary>
    private static void MergeHistory(Packing old, Packing p)
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
                p.Ft[k] = old.Ft[a]; p.Mr[k] = old.Mr[a]; p.Fn[k] = old.Fn[a]; p.ContactState[k] = old.ContactState[a];
            }
        }
    }

    private static void CopyPairs(Packing src, Packing dst)
    {
        int n = src.PairCount;
        dst.EnsurePairCapacity(n);
        dst.PairCount = n;
        Array.Copy(src.PairI, dst.PairI, n);
        Array.Copy(src.PairJ, dst.PairJ, n);
        Array.Copy(src.Ft, dst.Ft, n);
        Array.Copy(src.Mr, dst.Mr, n);
        Array.Copy(src.Fn, dst.Fn, n);
        Array.Copy(src.ContactState, dst.ContactState, n);
    }

    private static int Bin(double s, int nb) => Math.Min((int)(s * nb), nb - 1);
}
