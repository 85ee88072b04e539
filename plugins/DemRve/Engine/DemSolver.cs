namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// Explicit time integration of a periodic disk packing: linear spring contacts with Coulomb friction
/// (and optional rolling resistance), Cundall's local non-viscous damping, leapfrog (velocity Verlet)
/// integration and an imposed cell deformation. One instance works on one packing; the hot loop
/// allocates nothing.
/// </summary>
/// <remarks>
/// One step (Cundall and Strack 1979; Itasca PFC cycle):
/// (1) contact forces at the current configuration from the half-step velocities u^{n−½}:
/// f_n = k_n δ (δ the overlap), f_t ← f_t − k_s v_t Δt capped at μ f_n (tangential history carried by
/// the pair), optional rolling moment M_r ← M_r − k_r Δω Δt capped at η r̄ f_n;
/// (2) local damping F ← F − α |F| sign(u) per component (PFC; α = 0 gives the undamped, energy
/// conserving scheme);
/// (3) u^{n+½} = u^{n−½} + F Δt / m, ω likewise, s ← s + h⁻¹ u^{n+½} Δt;
/// (4) cell h ← h + Δh (affine motion of every particle through its reduced coordinates).
/// The Love–Weber stress σ = (1/V) Σ_c f^c ⊗ d^c of the configuration of step (1) is summed in the same
/// loop (force on i from j, branch vector d from i to j: tension positive).
/// </remarks>
public sealed class DemSolver
{
    private readonly NeighbourList _neighbours = new();
    private readonly double _maxRadius;
    private double _maxTravel;

    /// <summary>Creates a solver for <paramref name="packing"/> with a time step Δt = safety · √(m_min / k_n,max).</summary>
    public DemSolver(Packing packing, ContactLaw law, double timeStepSafety = 0.3)
    {
        Packing = packing ?? throw new ArgumentNullException(nameof(packing));
        Law = law ?? throw new ArgumentNullException(nameof(law));
        _maxRadius = packing.MaxRadius;
        TimeStep = timeStepSafety * CriticalTimeStep(packing, law);
        Rebuild();
    }

    /// <summary>The packing being integrated (modified in place).</summary>
    public Packing Packing { get; }

    /// <summary>Contact law (friction may be changed during preparation).</summary>
    public ContactLaw Law { get; set; }

    /// <summary>Time step Δt (s).</summary>
    public double TimeStep { get; set; }

    /// <summary>Steps taken by this solver.</summary>
    public long Steps { get; private set; }

    /// <summary>Pair-list builds done by this solver.</summary>
    public long Builds => _neighbours.Builds;

    /// <summary>Love–Weber stress of the last step's configuration (Pa, tension positive, not symmetrised).</summary>
    public Mat2 Stress { get; private set; }

    /// <summary>Number of touching pairs at the last step.</summary>
    public int ContactCount { get; private set; }

    /// <summary>
    /// Unbalanced force ratio of the last measured step: mean |resultant force| over particles divided
    /// by mean |contact force| over contacts (0 when there are no contacts).
    /// </summary>
    public double UnbalancedForceRatio { get; private set; }

    /// <summary>
    /// Critical time step √(m_min / k_n,max) of one disk on one spring; the safety factor accounts for
    /// several contacts per disk (PFC uses the same estimate).
    /// </summary>
    public static double CriticalTimeStep(Packing p, ContactLaw law)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(law);
        double minMass = double.PositiveInfinity;
        for (int i = 0; i < p.Count; i++)
        {
            minMass = Math.Min(minMass, 1.0 / p.InvMass[i]);
        }

        // k_n = 2E min(r_i, r_j)/(r_i + r_j) ≤ E; the rotational mode m/(2 k_s) is slower since k_s ≤ k_n.
        double kmax = law.YoungsModulus * Math.Max(1.0, law.StiffnessRatio);
        return Math.Sqrt(minMass / kmax);
    }

    /// <summary>Rebuilds the pair list now (e.g. after the packing was restored from another copy).</summary>
    public void Rebuild()
    {
        _neighbours.Build(Packing, Law);
        _maxTravel = 0;
    }

    /// <summary>Resets the travel bookkeeping after the packing was overwritten by a copy.</summary>
    public void Restored()
    {
        _maxTravel = 0;
        for (int i = 0; i < Packing.Count; i++)
        {
            _maxTravel = Math.Max(_maxTravel, Packing.Travel[i]);
        }
    }

    /// <summary>
    /// One DEM step with the cell deformed by <paramref name="cellIncrement"/> (Δh) over the step.
    /// When <paramref name="measure"/> is set the unbalanced force ratio is computed as well.
    /// </summary>
    public void Step(Mat2 cellIncrement, bool measure = false)
    {
        var p = Packing;
        double dt = TimeStep;
        var h = p.Cell;
        // Affine velocity gradient of this step: L = (Δh / Δt) h⁻¹.
        var l = (1.0 / dt) * cellIncrement * h.Inverse();
        ComputeForces(h, l, dt, measure, out double contactForceSum);
        double resultantSum = Integrate(dt, h.Inverse(), measure);
        p.Cell = h + cellIncrement;
        if (measure)
        {
            UnbalancedForceRatio = ContactCount == 0 ? 0 : resultantSum / p.Count / (contactForceSum / ContactCount);
        }

        Steps++;
        if (NeighbourList.NeedsRebuild(p, _maxTravel, _maxRadius))
        {
            Rebuild();
        }
    }

    private void ComputeForces(Mat2 h, Mat2 l, double dt, bool measure, out double contactForceSum)
    {
        var p = Packing;
        int n = p.Count;
        double[] fx = p.Fx, fy = p.Fy, tq = p.Torque;
        Array.Clear(fx, 0, n);
        Array.Clear(fy, 0, n);
        Array.Clear(tq, 0, n);
        double[] sxa = p.Sx, sya = p.Sy, ux = p.Ux, uy = p.Uy, w = p.Omega, rad = p.Radius;
        int[] pi = p.PairI, pj = p.PairJ, shx = p.ShiftX, shy = p.ShiftY;
        double[] kna = p.Kn, ksa = p.Ks, kra = p.Kr, lever = p.RollLever, fta = p.Ft, mra = p.Mr, fna = p.Fn;
        byte[] state = p.ContactState;
        double mu = Law.Friction;
        bool rolling = Law.HasRollingResistance;
        double h00 = h.XX, h01 = h.XY, h10 = h.YX, h11 = h.YY;
        double l00 = l.XX, l01 = l.XY, l10 = l.YX, l11 = l.YY;
        double s00 = 0, s01 = 0, s10 = 0, s11 = 0, fsum = 0;
        int contacts = 0;
        int count = p.PairCount;
        for (int k = 0; k < count; k++)
        {
            int i = pi[k], j = pj[k];
            double ax = sxa[j] + shx[k] - sxa[i], ay = sya[j] + shy[k] - sya[i];
            double dx = h00 * ax + h01 * ay, dy = h10 * ax + h11 * ay;
            double ri = rad[i], rj = rad[j], rsum = ri + rj;
            double d2 = dx * dx + dy * dy;
            if (d2 >= rsum * rsum)
            {
                fta[k] = 0; mra[k] = 0; fna[k] = 0; state[k] = 0;
                continue;
            }

            double dist = Math.Sqrt(d2), inv = 1.0 / dist;
            double nx = dx * inv, ny = dy * inv;
            double fn = kna[k] * (rsum - dist);

            // Relative velocity of j with respect to i at the contact, affine part L d included.
            double vx = ux[j] - ux[i] + l00 * dx + l01 * dy;
            double vy = uy[j] - uy[i] + l10 * dx + l11 * dy;
            double vt = -vx * ny + vy * nx - (w[i] * ri + w[j] * rj);
            double ft = fta[k] - ksa[k] * vt * dt;
            double limit = mu * fn;
            byte st = 1;
            // At the Coulomb limit the contact slides (a frictionless contact always does).
            if (ft >= limit) { ft = limit; st = 2; } else if (ft <= -limit) { ft = -limit; st = 2; }

            fta[k] = ft; fna[k] = fn; state[k] = st;
            double fxj = fn * nx - ft * ny, fyj = fn * ny + ft * nx;
            fx[j] += fxj; fy[j] += fyj; fx[i] -= fxj; fy[i] -= fyj;
            tq[i] -= ri * ft; tq[j] -= rj * ft;
            if (rolling)
            {
                double mr = mra[k] - kra[k] * (w[j] - w[i]) * dt;
                double mlim = lever[k] * fn;
                mr = Math.Clamp(mr, -mlim, mlim);
                mra[k] = mr;
                tq[j] += mr; tq[i] -= mr;
            }

            // Love–Weber sum: force on i from j (−f) times the branch vector d from i to j.
            s00 -= fxj * dx; s01 -= fxj * dy; s10 -= fyj * dx; s11 -= fyj * dy;
            contacts++;
            if (measure)
            {
                fsum += Math.Sqrt(fn * fn + ft * ft);
            }
        }

        double invArea = 1.0 / Math.Abs(h.Determinant);
        Stress = new Mat2(s00 * invArea, s01 * invArea, s10 * invArea, s11 * invArea);
        ContactCount = contacts;
        contactForceSum = fsum;
    }

    private double Integrate(double dt, Mat2 g, bool measure)
    {
        var p = Packing;
        int n = p.Count;
        double[] fx = p.Fx, fy = p.Fy, tq = p.Torque, ux = p.Ux, uy = p.Uy, w = p.Omega;
        double[] sx = p.Sx, sy = p.Sy, im = p.InvMass, ii = p.InvInertia, travel = p.Travel;
        double alpha = Law.LocalDamping;
        double g00 = g.XX * dt, g01 = g.XY * dt, g10 = g.YX * dt, g11 = g.YY * dt;
        double resultant = 0, maxTravel = _maxTravel;
        for (int i = 0; i < n; i++)
        {
            double ax = fx[i], ay = fy[i], at = tq[i];
            if (measure)
            {
                resultant += Math.Sqrt(ax * ax + ay * ay);
            }

            // Cundall's local damping: a force opposing the velocity, proportional to the resultant.
            double vx = ux[i], vy = uy[i], om = w[i];
            ax -= alpha * Math.Abs(ax) * Math.Sign(vx);
            ay -= alpha * Math.Abs(ay) * Math.Sign(vy);
            at -= alpha * Math.Abs(at) * Math.Sign(om);
            vx += ax * im[i] * dt;
            vy += ay * im[i] * dt;
            ux[i] = vx; uy[i] = vy;
            w[i] = om + at * ii[i] * dt;
            sx[i] += g00 * vx + g01 * vy;
            sy[i] += g10 * vx + g11 * vy;
            double tr = travel[i] + (Math.Abs(vx) + Math.Abs(vy)) * dt;
            travel[i] = tr;
            if (tr > maxTravel)
            {
                maxTravel = tr;
            }
        }

        _maxTravel = maxTravel;
        return resultant;
    }
}
