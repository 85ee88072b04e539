namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// Explicit time integration of a periodic sphere packing: linear spring contacts with Coulomb friction,
/// rolling-free spheres, Cundall's local non-viscous damping, leapfrog integration and an imposed cell
/// deformation. The 3D counterpart of <see cref="Engine.DemSolver"/>; one instance works on one packing and
/// the hot loop allocates nothing.
/// </summary>
/// <remarks>
/// One step (Cundall and Strack 1979):
/// (1) contact forces at the current configuration from the half-step velocities u^{n−½}, ω^{n−½}: with n the
/// unit normal from i to j and δ = r_i + r_j − |d| the overlap, f_n = k_n δ (force on j along +n); the
/// tangential spring force on j is carried by the pair, first rotated into the current contact plane
/// (projected, its magnitude kept, as LIGGGHTS' hooke/history), then incremented by −k_s v_t Δt with
/// v_t the tangential part of the relative velocity of j's contact point,
/// v = u_j − u_i + L d − (r_i ω_i + r_j ω_j) × n, and capped at μ f_n (Coulomb);
/// moments on both spheres −r n × f_t (no rolling resistance);
/// (2) local damping F ← F − α |F| sign(u) per component (α = 0: undamped, energy-conserving scheme);
/// (3) u^{n+½} = u^{n−½} + F Δt / m, ω likewise with I = 2 m r²/5, s ← s + h⁻¹ u^{n+½} Δt;
/// (4) cell h ← h + Δh.
/// The Love–Weber stress σ = (1/V) Σ_c f^c ⊗ d^c (force on i from j, branch d from i to j; tension
/// positive) and the elastic energy Σ (f_n²/2k_n + |f_t|²/2k_s) of the configuration of step (1) are summed
/// in the same loop.
/// </remarks>
public sealed class SphereDemSolver
{
    private readonly SphereNeighbourList _neighbours = new();
    private const int BodyStride = 10;
    private const int AccStride = 6;
    private readonly double _maxRadius;
    private double _maxTravel;
    private double[] _body = [];
    private double[] _acc = [];

    /// <summary>Creates a solver with a time step Δt = safety · <see cref="CriticalTimeStep"/>.</summary>
    public SphereDemSolver(SpherePacking packing, SphereContactLaw law, double timeStepSafety = 0.3)
    {
        Packing = packing ?? throw new ArgumentNullException(nameof(packing));
        Law = law ?? throw new ArgumentNullException(nameof(law));
        if (packing.Skin <= 0)
        {
            throw new ArgumentException("the packing needs a positive Verlet skin", nameof(packing));
        }

        _maxRadius = packing.MaxRadius;
        TimeStep = timeStepSafety * CriticalTimeStep(packing, law);
        Rebuild();
    }

    /// <summary>The packing being integrated (modified in place).</summary>
    public SpherePacking Packing { get; }

    /// <summary>Contact law (friction may be changed during preparation).</summary>
    public SphereContactLaw Law { get; set; }

    /// <summary>Time step Δt (s).</summary>
    public double TimeStep { get; set; }

    /// <summary>Steps taken by this solver.</summary>
    public long Steps { get; private set; }

    /// <summary>Pair-list builds done by this solver.</summary>
    public long Builds => _neighbours.Builds;

    /// <summary>Love–Weber stress of the last step's configuration (Pa, tension positive, not symmetrised).</summary>
    public Mat3 Stress { get; private set; }

    /// <summary>Elastic energy Σ (f_n²/2k_n + |f_t|²/2k_s) stored in the contacts of the last step's configuration (J).</summary>
    public double ElasticEnergy { get; private set; }

    /// <summary>Number of touching pairs at the last step.</summary>
    public int ContactCount { get; private set; }

    /// <summary>
    /// Unbalanced force ratio of the last measured step: mean |resultant force| over spheres divided by the
    /// mean |contact force| over contacts (0 without contacts).
    /// </summary>
    public double UnbalancedForceRatio { get; private set; }

    /// <summary>
    /// Critical time step √(m / k) of the stiffest single-spring oscillator: a sphere of radius r pressed by
    /// any neighbour has k_n = 2E r r_j/(r + r_j) &lt; 2E r, and m/k ∝ r² is smallest for the smallest sphere;
    /// its rotational mode (k_s r² against I = 2 m r²/5) is faster than the translational one when k_s/k_n &gt; 0.4.
    /// </summary>
    public static double CriticalTimeStep(SpherePacking p, SphereContactLaw law)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(law);
        double rMin = p.Radius.Min();
        double mMin = law.Density * 4.0 / 3.0 * Math.PI * rMin * rMin * rMin;
        double k = 2 * law.YoungsModulus * rMin * Math.Max(1.0, 2.5 * law.StiffnessRatio);
        return Math.Sqrt(mMin / k);
    }

    /// <summary>Rebuilds the pair list now.</summary>
    public void Rebuild()
    {
        _neighbours.Build(Packing, Law);
        _maxTravel = 0;
    }

    /// <summary>One DEM step with the cell deformed by <paramref name="cellIncrement"/> (Δh) over the step.</summary>
    public void Step(Mat3 cellIncrement, bool measure = false)
    {
        var p = Packing;
        double dt = TimeStep;
        var h = p.Cell;
        var g = h.Inverse();
        // Affine velocity gradient of this step: L = (Δh / Δt) h⁻¹.
        var l = (1.0 / dt) * cellIncrement * g;
        ComputeForces(h, l, dt, measure, out double contactForceSum);
        double resultantSum = Integrate(dt, g, measure);
        p.Cell = h + cellIncrement;
        if (measure)
        {
            UnbalancedForceRatio = ContactCount == 0 ? 0 : resultantSum / p.Count / (contactForceSum / ContactCount);
        }

        Steps++;
        if (SphereNeighbourList.NeedsRebuild(p, _maxTravel, _maxRadius))
        {
            Rebuild();
        }
    }

    private void ComputeForces(Mat3 h, Mat3 l, double dt, bool measure, out double contactForceSum)
    {
        var p = Packing;
        int n = p.Count;
        GatherBodies();
        double[] body = _body, acc = _acc;
        Array.Clear(acc, 0, n * AccStride);
        int[] pi = p.PairI, pj = p.PairJ, shx = p.ShiftX, shy = p.ShiftY, shz = p.ShiftZ;
        double[] kna = p.Kn, ksa = p.Ks, ftxa = p.FtX, ftya = p.FtY, ftza = p.FtZ, fna = p.Fn;
        byte[] state = p.ContactState;
        double mu = Law.Friction;
        double h11 = h.X11, h12 = h.X12, h13 = h.X13, h21 = h.X21, h22 = h.X22, h23 = h.X23, h31 = h.X31, h32 = h.X32, h33 = h.X33;
        double l11 = l.X11, l12 = l.X12, l13 = l.X13, l21 = l.X21, l22 = l.X22, l23 = l.X23, l31 = l.X31, l32 = l.X32, l33 = l.X33;
        double s11 = 0, s12 = 0, s13 = 0, s21 = 0, s22 = 0, s23 = 0, s31 = 0, s32 = 0, s33 = 0, fsum = 0, energy = 0;
        int contacts = 0;
        int count = p.PairCount;
        for (int k = 0; k < count; k++)
        {
            int bi = pi[k] * BodyStride, bj = pj[k] * BodyStride;
            double a = body[bj] + shx[k] - body[bi], b = body[bj + 1] + shy[k] - body[bi + 1], c = body[bj + 2] + shz[k] - body[bi + 2];
            double dx = h11 * a + h12 * b + h13 * c, dy = h21 * a + h22 * b + h23 * c, dz = h31 * a + h32 * b + h33 * c;
            double ri = body[bi + 9], rj = body[bj + 9], rsum = ri + rj;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 >= rsum * rsum)
            {
                // A pair of state 0 holds no history already (every write of the history sets the state with it).
                if (state[k] != 0)
                {
                    ftxa[k] = 0; ftya[k] = 0; ftza[k] = 0; fna[k] = 0; state[k] = 0;
                }

                continue;
            }

            double dist = Math.Sqrt(d2), inv = 1.0 / dist;
            double nx = dx * inv, ny = dy * inv, nz = dz * inv;
            double kn = kna[k], ks = ksa[k];
            double fn = kn * (rsum - dist);

            // Rotate the carried tangential force into the current contact plane, keeping its magnitude.
            double ftx = ftxa[k], fty = ftya[k], ftz = ftza[k];
            double old2 = ftx * ftx + fty * fty + ftz * ftz;
            if (old2 > 0)
            {
                double fdotn = ftx * nx + fty * ny + ftz * nz;
                ftx -= fdotn * nx; fty -= fdotn * ny; ftz -= fdotn * nz;
                double new2 = ftx * ftx + fty * fty + ftz * ftz;
                if (new2 > 0)
                {
                    double scale = Math.Sqrt(old2 / new2);
                    ftx *= scale; fty *= scale; ftz *= scale;
                }
            }

            // Relative velocity of j's contact point with respect to i's, affine part L d included.
            double rwx = ri * body[bi + 6] + rj * body[bj + 6], rwy = ri * body[bi + 7] + rj * body[bj + 7], rwz = ri * body[bi + 8] + rj * body[bj + 8];
            double vx = body[bj + 3] - body[bi + 3] + l11 * dx + l12 * dy + l13 * dz - (rwy * nz - rwz * ny);
            double vy = body[bj + 4] - body[bi + 4] + l21 * dx + l22 * dy + l23 * dz - (rwz * nx - rwx * nz);
            double vz = body[bj + 5] - body[bi + 5] + l31 * dx + l32 * dy + l33 * dz - (rwx * ny - rwy * nx);
            double vn = vx * nx + vy * ny + vz * nz;
            ftx -= ks * (vx - vn * nx) * dt;
            fty -= ks * (vy - vn * ny) * dt;
            ftz -= ks * (vz - vn * nz) * dt;
            double ft2 = ftx * ftx + fty * fty + ftz * ftz;
            double limit = mu * fn;
            byte st = 1;
            // At the Coulomb limit the contact slides (a frictionless contact always does).
            if (ft2 >= limit * limit)
            {
                double scale = ft2 > 0 ? limit / Math.Sqrt(ft2) : 0.0;
                ftx *= scale; fty *= scale; ftz *= scale;
                ft2 = limit * limit;
                st = 2;
            }

            ftxa[k] = ftx; ftya[k] = fty; ftza[k] = ftz; fna[k] = fn; state[k] = st;
            double fxj = fn * nx + ftx, fyj = fn * ny + fty, fzj = fn * nz + ftz;

            // Moments −r n × f_t on both spheres (i: arm +r_i n, force −f_t; j: arm −r_j n, force +f_t).
            double mx = ny * ftz - nz * fty, my = nz * ftx - nx * ftz, mz = nx * fty - ny * ftx;
            int ai = pi[k] * AccStride, aj = pj[k] * AccStride;
            acc[ai] -= fxj; acc[ai + 1] -= fyj; acc[ai + 2] -= fzj;
            acc[ai + 3] -= ri * mx; acc[ai + 4] -= ri * my; acc[ai + 5] -= ri * mz;
            acc[aj] += fxj; acc[aj + 1] += fyj; acc[aj + 2] += fzj;
            acc[aj + 3] -= rj * mx; acc[aj + 4] -= rj * my; acc[aj + 5] -= rj * mz;

            // Love–Weber sum: force on i from j (−f) times the branch vector d from i to j.
            s11 -= fxj * dx; s12 -= fxj * dy; s13 -= fxj * dz;
            s21 -= fyj * dx; s22 -= fyj * dy; s23 -= fyj * dz;
            s31 -= fzj * dx; s32 -= fzj * dy; s33 -= fzj * dz;
            energy += 0.5 * fn * fn / kn + (ks > 0 ? 0.5 * ft2 / ks : 0.0);
            contacts++;
            if (measure)
            {
                fsum += Math.Sqrt(fn * fn + ft2);
            }
        }

        ScatterResultants();
        double invV = 1.0 / Math.Abs(h.Determinant);
        Stress = invV * new Mat3(s11, s12, s13, s21, s22, s23, s31, s32, s33);
        ElasticEnergy = energy;
        ContactCount = contacts;
        contactForceSum = fsum;
    }

    /// <summary>
    /// Copies what the pair loop reads of each sphere (s, u, ω, r) into one interleaved block, so that a pair
    /// touches two cache lines per sphere instead of ten separate arrays; O(N) against the O(pairs) loop.
    /// </summary>
    private void GatherBodies()
    {
        var p = Packing;
        int n = p.Count;
        if (_body.Length < n * BodyStride)
        {
            _body = new double[n * BodyStride];
            _acc = new double[n * AccStride];
        }

        double[] body = _body, sx = p.Sx, sy = p.Sy, sz = p.Sz, ux = p.Ux, uy = p.Uy, uz = p.Uz, wx = p.Wx, wy = p.Wy, wz = p.Wz, r = p.Radius;
        for (int i = 0, o = 0; i < n; i++, o += BodyStride)
        {
            body[o] = sx[i]; body[o + 1] = sy[i]; body[o + 2] = sz[i];
            body[o + 3] = ux[i]; body[o + 4] = uy[i]; body[o + 5] = uz[i];
            body[o + 6] = wx[i]; body[o + 7] = wy[i]; body[o + 8] = wz[i];
            body[o + 9] = r[i];
        }
    }

    /// <summary>Copies the interleaved force and moment sums back into the packing's resultant arrays.</summary>
    private void ScatterResultants()
    {
        var p = Packing;
        int n = p.Count;
        double[] acc = _acc, fx = p.Fx, fy = p.Fy, fz = p.Fz, tx = p.Tx, ty = p.Ty, tz = p.Tz;
        for (int i = 0, o = 0; i < n; i++, o += AccStride)
        {
            fx[i] = acc[o]; fy[i] = acc[o + 1]; fz[i] = acc[o + 2];
            tx[i] = acc[o + 3]; ty[i] = acc[o + 4]; tz[i] = acc[o + 5];
        }
    }

    private double Integrate(double dt, Mat3 g, bool measure)
    {
        var p = Packing;
        int n = p.Count;
        double[] fx = p.Fx, fy = p.Fy, fz = p.Fz, tx = p.Tx, ty = p.Ty, tz = p.Tz;
        double[] ux = p.Ux, uy = p.Uy, uz = p.Uz, wx = p.Wx, wy = p.Wy, wz = p.Wz;
        double[] sx = p.Sx, sy = p.Sy, sz = p.Sz, im = p.InvMass, ii = p.InvInertia, travel = p.Travel;
        double alpha = Law.LocalDamping;
        double g11 = g.X11 * dt, g12 = g.X12 * dt, g13 = g.X13 * dt;
        double g21 = g.X21 * dt, g22 = g.X22 * dt, g23 = g.X23 * dt;
        double g31 = g.X31 * dt, g32 = g.X32 * dt, g33 = g.X33 * dt;
        double resultant = 0, maxTravel = _maxTravel;
        for (int i = 0; i < n; i++)
        {
            double ax = fx[i], ay = fy[i], az = fz[i];
            if (measure)
            {
                resultant += Math.Sqrt(ax * ax + ay * ay + az * az);
            }

            double vx = ux[i], vy = uy[i], vz = uz[i];
            double ox = wx[i], oy = wy[i], oz = wz[i];
            double bx = tx[i], by = ty[i], bz = tz[i];
            if (alpha > 0)
            {
                // Cundall's local damping: a force opposing the velocity, proportional to the resultant.
                ax = Damped(ax, vx, alpha);
                ay = Damped(ay, vy, alpha);
                az = Damped(az, vz, alpha);
                bx = Damped(bx, ox, alpha);
                by = Damped(by, oy, alpha);
                bz = Damped(bz, oz, alpha);
            }

            double sm = im[i] * dt, si = ii[i] * dt;
            vx += ax * sm; vy += ay * sm; vz += az * sm;
            ux[i] = vx; uy[i] = vy; uz[i] = vz;
            wx[i] = ox + bx * si; wy[i] = oy + by * si; wz[i] = oz + bz * si;
            sx[i] += g11 * vx + g12 * vy + g13 * vz;
            sy[i] += g21 * vx + g22 * vy + g23 * vz;
            sz[i] += g31 * vx + g32 * vy + g33 * vz;
            double tr = travel[i] + (Math.Abs(vx) + Math.Abs(vy) + Math.Abs(vz)) * dt;
            travel[i] = tr;
            if (tr > maxTravel)
            {
                maxTravel = tr;
            }
        }

        _maxTravel = maxTravel;
        return resultant;
    }

    /// <summary>
    /// F − α |F| sign(v) (Cundall's local damping of one component), written with comparisons: Math.Sign
    /// checks for NaN and is not inlined, which cost a tenth of the step.
    /// </summary>
    private static double Damped(double force, double velocity, double alpha) =>
        velocity > 0 ? force - alpha * Math.Abs(force) : velocity < 0 ? force + alpha * Math.Abs(force) : force;
}
