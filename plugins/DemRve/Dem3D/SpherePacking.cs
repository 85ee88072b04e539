namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// The state of a 3D periodic sphere assembly as a structure of arrays: particles, the deformable
/// periodic cell and the Verlet pair list with the contact history (tangential spring force) of every pair.
/// The 3D counterpart of <see cref="Engine.Packing"/>, with the same conventions.
/// </summary>
/// <remarks>
/// <para><b>Cell and positions.</b> The cell matrix h has the cell edge vectors as columns; a particle is
/// stored by its reduced coordinates s, its position being x = h s, so deforming the cell moves every
/// particle affinely. Between two pair-list builds reduced coordinates are not wrapped, so the integer image
/// shift stored with each pair stays valid: the branch vector of pair (i, j) is d = h (s_j + shift − s_i).</para>
/// <para><b>Velocities.</b> u is the fluctuating velocity relative to the affine field L x of the cell
/// deformation (YADE's homogeneous periodic deformation); the relative velocity at a contact adds L d.</para>
/// </remarks>
public sealed class SpherePacking
{
    /// <summary>Creates an empty packing for <paramref name="count"/> spheres.</summary>
    public SpherePacking(int count, int pairCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        Radius = new double[count];
        InvMass = new double[count];
        InvInertia = new double[count];
        Sx = new double[count];
        Sy = new double[count];
        Sz = new double[count];
        Ux = new double[count];
        Uy = new double[count];
        Uz = new double[count];
        Wx = new double[count];
        Wy = new double[count];
        Wz = new double[count];
        Fx = new double[count];
        Fy = new double[count];
        Fz = new double[count];
        Tx = new double[count];
        Ty = new double[count];
        Tz = new double[count];
        Travel = new double[count];
        EnsurePairCapacity(Math.Max(pairCapacity, 8 * count));
    }

    /// <summary>Number of spheres.</summary>
    public int Count { get; }

    /// <summary>Radii r (m).</summary>
    public double[] Radius { get; }

    /// <summary>1 / m with m = ρ 4π r³ / 3.</summary>
    public double[] InvMass { get; }

    /// <summary>1 / I with I = 2 m r² / 5 (solid sphere).</summary>
    public double[] InvInertia { get; }

    /// <summary>Reduced coordinate along the first cell vector.</summary>
    public double[] Sx { get; }

    /// <summary>Reduced coordinate along the second cell vector.</summary>
    public double[] Sy { get; }

    /// <summary>Reduced coordinate along the third cell vector.</summary>
    public double[] Sz { get; }

    /// <summary>Fluctuating velocity x (leapfrog half step).</summary>
    public double[] Ux { get; }

    /// <summary>Fluctuating velocity y.</summary>
    public double[] Uy { get; }

    /// <summary>Fluctuating velocity z.</summary>
    public double[] Uz { get; }

    /// <summary>Angular velocity x (leapfrog half step).</summary>
    public double[] Wx { get; }

    /// <summary>Angular velocity y.</summary>
    public double[] Wy { get; }

    /// <summary>Angular velocity z.</summary>
    public double[] Wz { get; }

    /// <summary>Resultant force x of the last force evaluation.</summary>
    public double[] Fx { get; }

    /// <summary>Resultant force y.</summary>
    public double[] Fy { get; }

    /// <summary>Resultant force z.</summary>
    public double[] Fz { get; }

    /// <summary>Resultant moment x of the last force evaluation.</summary>
    public double[] Tx { get; }

    /// <summary>Resultant moment y.</summary>
    public double[] Ty { get; }

    /// <summary>Resultant moment z.</summary>
    public double[] Tz { get; }

    /// <summary>Path length travelled by each sphere since the last pair-list build (bound of its displacement).</summary>
    public double[] Travel { get; }

    /// <summary>Cell matrix h (columns are the cell vectors).</summary>
    public Mat3 Cell { get; set; } = Mat3.Identity;

    /// <summary>Cell matrix when the pair list was built.</summary>
    public Mat3 CellAtBuild { get; set; } = Mat3.Identity;

    /// <summary>Reference cell: the consolidated cell at zero macroscopic strain.</summary>
    public Mat3 ReferenceCell { get; set; } = Mat3.Identity;

    /// <summary>Verlet skin: pairs closer than r_i + r_j + skin are listed (m).</summary>
    public double Skin { get; set; }

    /// <summary>Number of listed pairs.</summary>
    public int PairCount { get; set; }

    /// <summary>First sphere of each pair (i &lt; j; pairs sorted by (i, j)).</summary>
    public int[] PairI { get; private set; } = [];

    /// <summary>Second sphere of each pair.</summary>
    public int[] PairJ { get; private set; } = [];

    /// <summary>Image shift of j along the first cell vector.</summary>
    public int[] ShiftX { get; private set; } = [];

    /// <summary>Image shift of j along the second cell vector.</summary>
    public int[] ShiftY { get; private set; } = [];

    /// <summary>Image shift of j along the third cell vector.</summary>
    public int[] ShiftZ { get; private set; } = [];

    /// <summary>Normal stiffness k_n of the pair.</summary>
    public double[] Kn { get; private set; } = [];

    /// <summary>Tangential stiffness k_s of the pair.</summary>
    public double[] Ks { get; private set; } = [];

    /// <summary>Tangential spring force on j, x (the contact history; lies in the contact plane).</summary>
    public double[] FtX { get; private set; } = [];

    /// <summary>Tangential spring force on j, y.</summary>
    public double[] FtY { get; private set; } = [];

    /// <summary>Tangential spring force on j, z.</summary>
    public double[] FtZ { get; private set; } = [];

    /// <summary>Normal force f_n of the last force evaluation (0 when apart).</summary>
    public double[] Fn { get; private set; } = [];

    /// <summary>Contact state of the last force evaluation: 0 apart, 1 sticking, 2 sliding.</summary>
    public byte[] ContactState { get; private set; } = [];

    /// <summary>Volume of the cell |det h| (m³).</summary>
    public double Volume => Math.Abs(Cell.Determinant);

    /// <summary>Largest radius.</summary>
    public double MaxRadius => Count == 0 ? 0 : Radius.Max();

    /// <summary>Solid volume fraction Σ 4π r³/3 / V.</summary>
    public double SolidFraction => Radius.Sum(r => 4.0 / 3.0 * Math.PI * r * r * r) / Volume;

    /// <summary>Void ratio e = V_voids / V_solid.</summary>
    public double VoidRatio => 1.0 / SolidFraction - 1.0;

    /// <summary>Grows the pair arrays (keeping their content) to hold at least <paramref name="capacity"/> pairs.</summary>
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
        ShiftZ = Grow(ShiftZ, capacity);
        Kn = Grow(Kn, capacity);
        Ks = Grow(Ks, capacity);
        FtX = Grow(FtX, capacity);
        FtY = Grow(FtY, capacity);
        FtZ = Grow(FtZ, capacity);
        Fn = Grow(Fn, capacity);
        ContactState = Grow(ContactState, capacity);
    }

    /// <summary>
    /// A deep copy: spheres, velocities, forces, cells, skin and the pair list with its contact history, so that
    /// several tests can start from one consolidated state (a solver created on the copy rebuilds its pair list
    /// and keeps the history of every pair still listed).
    /// </summary>
    public SpherePacking Clone()
    {
        var c = new SpherePacking(Count, PairI.Length)
        {
            Cell = Cell,
            CellAtBuild = CellAtBuild,
            ReferenceCell = ReferenceCell,
            Skin = Skin,
            PairCount = PairCount,
        };
        double[][] from = [Radius, InvMass, InvInertia, Sx, Sy, Sz, Ux, Uy, Uz, Wx, Wy, Wz, Fx, Fy, Fz, Tx, Ty, Tz, Travel, Kn, Ks, FtX, FtY, FtZ, Fn];
        double[][] to = [c.Radius, c.InvMass, c.InvInertia, c.Sx, c.Sy, c.Sz, c.Ux, c.Uy, c.Uz, c.Wx, c.Wy, c.Wz, c.Fx, c.Fy, c.Fz, c.Tx, c.Ty, c.Tz, c.Travel, c.Kn, c.Ks, c.FtX, c.FtY, c.FtZ, c.Fn];
        for (int a = 0; a < from.Length; a++)
        {
            Array.Copy(from[a], to[a], from[a].Length);
        }

        int[][] fromInt = [PairI, PairJ, ShiftX, ShiftY, ShiftZ];
        int[][] toInt = [c.PairI, c.PairJ, c.ShiftX, c.ShiftY, c.ShiftZ];
        for (int a = 0; a < fromInt.Length; a++)
        {
            Array.Copy(fromInt[a], toInt[a], fromInt[a].Length);
        }

        Array.Copy(ContactState, c.ContactState, ContactState.Length);
        return c;
    }

    /// <summary>Sets mass and rotational inertia of every sphere from the density: m = ρ 4π r³/3, I = 2 m r²/5.</summary>
    public void SetMasses(double density)
    {
        for (int i = 0; i < Count; i++)
        {
            double r = Radius[i];
            double m = density * 4.0 / 3.0 * Math.PI * r * r * r;
            InvMass[i] = 1.0 / m;
            InvInertia[i] = 1.0 / (0.4 * m * r * r);
        }
    }

    /// <summary>Kinetic energy Σ ½ m u·u + ½ I ω·ω of the fluctuating motion (at the stored half-step velocities).</summary>
    public double KineticEnergy()
    {
        double e = 0;
        for (int i = 0; i < Count; i++)
        {
            e += 0.5 * ((Ux[i] * Ux[i] + Uy[i] * Uy[i] + Uz[i] * Uz[i]) / InvMass[i]
                + (Wx[i] * Wx[i] + Wy[i] * Wy[i] + Wz[i] * Wz[i]) / InvInertia[i]);
        }

        return e;
    }

    /// <summary>Physical position x = h s of sphere i.</summary>
    public (double X, double Y, double Z) Position(int i)
    {
        var h = Cell;
        double a = Sx[i], b = Sy[i], c = Sz[i];
        return (h.X11 * a + h.X12 * b + h.X13 * c, h.X21 * a + h.X22 * b + h.X23 * c, h.X31 * a + h.X32 * b + h.X33 * c);
    }

    /// <summary>Sets the physical position of sphere i (stored as reduced coordinates s = h⁻¹ x).</summary>
    public void SetPosition(int i, double x, double y, double z)
    {
        var g = Cell.Inverse();
        Sx[i] = g.X11 * x + g.X12 * y + g.X13 * z;
        Sy[i] = g.X21 * x + g.X22 * y + g.X23 * z;
        Sz[i] = g.X31 * x + g.X32 * y + g.X33 * z;
    }

    /// <summary>Branch vector d of pair k, from sphere i to the listed image of j.</summary>
    public (double X, double Y, double Z) Branch(int k)
    {
        var h = Cell;
        int i = PairI[k], j = PairJ[k];
        double a = Sx[j] + ShiftX[k] - Sx[i], b = Sy[j] + ShiftY[k] - Sy[i], c = Sz[j] + ShiftZ[k] - Sz[i];
        return (h.X11 * a + h.X12 * b + h.X13 * c, h.X21 * a + h.X22 * b + h.X23 * c, h.X31 * a + h.X32 * b + h.X33 * c);
    }

    private static T[] Grow<T>(T[] a, int capacity)
    {
        var b = new T[Math.Max(capacity, 2 * a.Length)];
        Array.Copy(a, b, a.Length);
        return b;
    }
}
