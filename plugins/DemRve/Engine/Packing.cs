namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// The complete state of a 2D periodic disk assembly, laid out as a structure of arrays: particles,
/// the deformable periodic cell and the Verlet pair list with the contact history of every pair.
/// Copying one packing into another (<see cref="CopyFrom"/>) is how a material point restores its
/// committed state; it is bit for bit and allocation-free once the capacities match.
/// </summary>
/// <remarks>
/// <para><b>Cell and positions.</b> The cell matrix h has the cell edge vectors as columns; a particle
/// is stored by its reduced (fractional) coordinates s, its position being x = h s. Deforming the cell
/// (h ← h + Δh) therefore moves every particle affinely at no cost. Between two neighbour-list builds
/// the reduced coordinates are not wrapped back into [0, 1), so the integer image shift stored with each
/// pair stays valid; the branch vector of pair (i, j) is d = h (s_j + shift − s_i).</para>
/// <para><b>Velocities.</b> u is the fluctuating velocity (relative to the affine field L x of the
/// cell deformation), as in periodic DEM codes such as YADE (homogeneous deformation by positions); the
/// relative velocity at a contact adds the affine part L d.</para>
/// <para>Units: SI per unit out-of-plane thickness (m, kg/m, N/m, Pa).</para>
/// </remarks>
public sealed class Packing
{
    /// <summary>Binary format version of <see cref="Write"/>.</summary>
    public const int FormatVersion = 1;

    private const int Magic = 0x4D454446; // "FDEM"

    /// <summary>Creates an empty packing for <paramref name="count"/> particles.</summary>
    public Packing(int count, int pairCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        Radius = new double[count];
        InvMass = new double[count];
        InvInertia = new double[count];
        Sx = new double[count];
        Sy = new double[count];
        Ux = new double[count];
        Uy = new double[count];
        Omega = new double[count];
        Fx = new double[count];
        Fy = new double[count];
        Torque = new double[count];
        Travel = new double[count];
        EnsurePairCapacity(Math.Max(pairCapacity, 4 * count));
    }

    /// <summary>Number of particles.</summary>
    public int Count { get; }

    /// <summary>Radii r (m).</summary>
    public double[] Radius { get; }

    /// <summary>1 / m (m per unit thickness, after mass scaling).</summary>
    public double[] InvMass { get; }

    /// <summary>1 / I with I = m r² / 2 (disk).</summary>
    public double[] InvInertia { get; }

    /// <summary>Reduced coordinates (first cell vector).</summary>
    public double[] Sx { get; }

    /// <summary>Reduced coordinates (second cell vector).</summary>
    public double[] Sy { get; }

    /// <summary>Fluctuating velocity x (leapfrog half step).</summary>
    public double[] Ux { get; }

    /// <summary>Fluctuating velocity y (leapfrog half step).</summary>
    public double[] Uy { get; }

    /// <summary>Angular velocity ω (counter-clockwise).</summary>
    public double[] Omega { get; }

    /// <summary>Resultant force x of the last force evaluation.</summary>
    public double[] Fx { get; }

    /// <summary>Resultant force y of the last force evaluation.</summary>
    public double[] Fy { get; }

    /// <summary>Resultant moment of the last force evaluation.</summary>
    public double[] Torque { get; }

    /// <summary>Path length travelled by each particle since the last neighbour-list build (upper bound of its displacement).</summary>
    public double[] Travel { get; }

    /// <summary>Cell matrix h (columns are the cell vectors).</summary>
    public Mat2 Cell { get; set; } = Mat2.Identity;

    /// <summary>Cell matrix when the pair list was built.</summary>
    public Mat2 CellAtBuild { get; set; } = Mat2.Identity;

    /// <summary>Reference cell: the consolidated cell at zero macroscopic strain.</summary>
    public Mat2 ReferenceCell { get; set; } = Mat2.Identity;

    /// <summary>Verlet skin: pairs closer than r_i + r_j + skin are listed (m).</summary>
    public double Skin { get; set; }

    /// <summary>Number of listed pairs.</summary>
    public int PairCount { get; set; }

    /// <summary>First particle of each pair (i &lt; j; pairs sorted by (i, j)).</summary>
    public int[] PairI { get; private set; } = [];

    /// <summary>Second particle of each pair.</summary>
    public int[] PairJ { get; private set; } = [];

    /// <summary>Image shift of j along the first cell vector.</summary>
    public int[] ShiftX { get; private set; } = [];

    /// <summary>Image shift of j along the second cell vector.</summary>
    public int[] ShiftY { get; private set; } = [];

    /// <summary>Normal stiffness k_n of the pair.</summary>
    public double[] Kn { get; private set; } = [];

    /// <summary>Tangential stiffness k_s of the pair.</summary>
    public double[] Ks { get; private set; } = [];

    /// <summary>Rolling stiffness k_r of the pair.</summary>
    public double[] Kr { get; private set; } = [];

    /// <summary>Rolling lever η r̄ of the pair (|M_r| ≤ η r̄ f_n).</summary>
    public double[] RollLever { get; private set; } = [];

    /// <summary>Tangential spring force f_t on j along t = (−n_y, n_x), the contact history.</summary>
    public double[] Ft { get; private set; } = [];

    /// <summary>Rolling moment on j, the rolling history.</summary>
    public double[] Mr { get; private set; } = [];

    /// <summary>Normal force f_n of the last force evaluation (0 when apart).</summary>
    public double[] Fn { get; private set; } = [];

    /// <summary>Contact state of the last force evaluation: 0 apart, 1 sticking, 2 sliding.</summary>
    public byte[] ContactState { get; private set; } = [];

    /// <summary>Area of the cell |det h| (m² per unit thickness = volume V of the RVE).</summary>
    public double Area => Math.Abs(Cell.Determinant);

    /// <summary>Largest radius.</summary>
    public double MaxRadius => Count == 0 ? 0 : Radius.Max();

    /// <summary>Solid area fraction Σ π r² / V.</summary>
    public double SolidFraction
    {
        get
        {
            double a = 0;
            foreach (var r in Radius)
            {
                a += Math.PI * r * r;
            }

            return a / Area;
        }
    }

    /// <summary>Grows the pair arrays (keeping their content) so that they hold at least <paramref name="capacity"/> pairs.</summary>
    public void EnsurePairCapacity(int capacity)
    {
        if (PairI.Length >= capacity)
        {
            return;
        }

        PairI = Grow(PairI, capacity);
        PairJ = Grow(PairJ, capacity);
        ShiftX = Grow(ShiftX, capacity);
        ShiftY = Grow(ShiftY, capacity);
        Kn = Grow(Kn, capacity);
        Ks = Grow(Ks, capacity);
        Kr = Grow(Kr, capacity);
        RollLever = Grow(RollLever, capacity);
        Ft = Grow(Ft, capacity);
        Mr = Grow(Mr, capacity);
        Fn = Grow(Fn, capacity);
        ContactState = Grow(ContactState, capacity);
    }

    /// <summary>Sets mass and rotational inertia of every disk from the density: m = s ρ π r², I = m r²/2.</summary>
    public void SetMasses(double density, double massScale = 1.0)
    {
        for (int i = 0; i < Count; i++)
        {
            double m = massScale * density * Math.PI * Radius[i] * Radius[i];
            InvMass[i] = 1.0 / m;
            InvInertia[i] = 2.0 / (m * Radius[i] * Radius[i]);
        }
    }

    /// <summary>Kinetic energy ½ m u² + ½ I ω² of the fluctuating motion (half-step velocities).</summary>
    public double KineticEnergy()
    {
        double e = 0;
        for (int i = 0; i < Count; i++)
        {
            e += 0.5 * ((Ux[i] * Ux[i] + Uy[i] * Uy[i]) / InvMass[i] + Omega[i] * Omega[i] / InvInertia[i]);
        }

        return e;
    }

    /// <summary>Physical position x = h s of particle i.</summary>
    public (double X, double Y) Position(int i)
    {
        var h = Cell;
        return (h.XX * Sx[i] + h.XY * Sy[i], h.YX * Sx[i] + h.YY * Sy[i]);
    }

    /// <summary>Sets the physical position of particle i (stored as reduced coordinates s = h⁻¹ x).</summary>
    public void SetPosition(int i, double x, double y)
    {
        var g = Cell.Inverse();
        Sx[i] = g.XX * x + g.XY * y;
        Sy[i] = g.YX * x + g.YY * y;
    }

    /// <summary>Makes this packing an exact copy of <paramref name="other"/> (same particle count).</summary>
    public void CopyFrom(Packing other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count != Count)
        {
            throw new ArgumentException($"cannot copy a packing of {other.Count} particles into one of {Count}", nameof(other));
        }

        foreach (var (dst, src) in ParticleArrays(this).Zip(ParticleArrays(other)))
        {
            Array.Copy(src, dst, Count);
        }

        (Cell, CellAtBuild, ReferenceCell, Skin) = (other.Cell, other.CellAtBuild, other.ReferenceCell, other.Skin);
        EnsurePairCapacity(other.PairCount);
        int n = PairCount = other.PairCount;
        Array.Copy(other.PairI, PairI, n);
        Array.Copy(other.PairJ, PairJ, n);
        Array.Copy(other.ShiftX, ShiftX, n);
        Array.Copy(other.ShiftY, ShiftY, n);
        Array.Copy(other.Kn, Kn, n);
        Array.Copy(other.Ks, Ks, n);
        Array.Copy(other.Kr, Kr, n);
        Array.Copy(other.RollLever, RollLever, n);
        Array.Copy(other.Ft, Ft, n);
        Array.Copy(other.Mr, Mr, n);
        Array.Copy(other.Fn, Fn, n);
        Array.Copy(other.ContactState, ContactState, n);
    }

    /// <summary>A new packing equal to this one.</summary>
    public Packing Clone()
    {
        var p = new Packing(Count, PairCount);
        p.CopyFrom(this);
        return p;
    }

    /// <summary>Writes the whole state (binary, little endian, versioned).</summary>
    public void Write(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Count);
        foreach (var a in ParticleArrays(this))
        {
            WriteArray(w, a, Count);
        }

        foreach (var m in new[] { Cell, CellAtBuild, ReferenceCell })
        {
            w.Write(m.XX); w.Write(m.XY); w.Write(m.YX); w.Write(m.YY);
        }

        w.Write(Skin);
        int n = PairCount;
        w.Write(n);
        for (int k = 0; k < n; k++)
        {
            w.Write(PairI[k]); w.Write(PairJ[k]); w.Write(ShiftX[k]); w.Write(ShiftY[k]);
            w.Write(Kn[k]); w.Write(Ks[k]); w.Write(Kr[k]); w.Write(RollLever[k]);
            w.Write(Ft[k]); w.Write(Mr[k]); w.Write(Fn[k]); w.Write(ContactState[k]);
        }
    }

    /// <summary>Reads a packing written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> on a bad stream.</summary>
    public static Packing Read(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.ReadInt32() != Magic)
        {
            throw new InvalidDataException("not a DemRve packing (bad magic number)");
        }

        int version = r.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"DemRve packing format version {version} is not supported (expected {FormatVersion})");
        }

        int count = r.ReadInt32();
        if (count < 0 || count > 10_000_000)
        {
            throw new InvalidDataException($"DemRve packing has an invalid particle count {count}");
        }

        var p = new Packing(count);
        foreach (var a in ParticleArrays(p))
        {
            for (int i = 0; i < count; i++)
            {
                a[i] = r.ReadDouble();
            }
        }

        Mat2 ReadMat() => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        p.Cell = ReadMat();
        p.CellAtBuild = ReadMat();
        p.ReferenceCell = ReadMat();
        p.Skin = r.ReadDouble();
        int n = r.ReadInt32();
        if (n < 0 || n > 100 * Math.Max(count, 1))
        {
            throw new InvalidDataException($"DemRve packing has an invalid pair count {n}");
        }

        p.EnsurePairCapacity(n);
        p.PairCount = n;
        for (int k = 0; k < n; k++)
        {
            p.PairI[k] = r.ReadInt32(); p.PairJ[k] = r.ReadInt32(); p.ShiftX[k] = r.ReadInt32(); p.ShiftY[k] = r.ReadInt32();
            p.Kn[k] = r.ReadDouble(); p.Ks[k] = r.ReadDouble(); p.Kr[k] = r.ReadDouble(); p.RollLever[k] = r.ReadDouble();
            p.Ft[k] = r.ReadDouble(); p.Mr[k] = r.ReadDouble(); p.Fn[k] = r.ReadDouble(); p.ContactState[k] = r.ReadByte();
        }

        return p;
    }

    /// <summary>Whether two packings hold bit-identical states.</summary>
    public bool StateEquals(Packing other)
    {
        ArgumentNullException.ThrowIfNull(other);
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        using (var wa = new BinaryWriter(a, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Write(wa);
        }

        using (var wb = new BinaryWriter(b, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            other.Write(wb);
        }

        return a.ToArray().AsSpan().SequenceEqual(b.ToArray());
    }

    private static double[][] ParticleArrays(Packing p) =>
        [p.Radius, p.InvMass, p.InvInertia, p.Sx, p.Sy, p.Ux, p.Uy, p.Omega, p.Fx, p.Fy, p.Torque, p.Travel];

    private static void WriteArray(BinaryWriter w, double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            w.Write(a[i]);
        }
    }

    private static T[] Grow<T>(T[] a, int capacity)
    {
        var b = new T[Math.Max(capacity, 2 * a.Length)];
        Array.Copy(a, b, a.Length);
        return b;
    }
}
