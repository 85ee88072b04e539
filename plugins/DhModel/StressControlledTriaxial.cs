namespace FemHost.Materials.DhModel;

/// <summary>
/// The paper's sequence generator (Algorithm 1, §3.2.1): a stress-controlled drained triaxial path in p–q
/// space, stepping dp and dq (paper: 0.3 and 0.9 kPa, i.e. constant confining pressure) and recording the
/// strain response until ε_q exceeds a limit (0.25) or a step count is reached (2500).
/// </summary>
/// <remarks>
/// Algorithm 1 integrates the incremental relations (1), (A-4)–(A-9) by forward Euler. Along a prescribed
/// stress path these relations have a closed-form integral, which we use so the sequence is exact at every
/// step (no drift from the yield surface, no dependence on the step size beyond sampling):
/// <list type="bullet">
/// <item>elastic: ε_v^e = ∫dp/K = (p^(1−n) − p0^(1−n))/((1−n)K0 p_a^(1−n)); ε_q^e = ∫dq/(3G), which for a straight
/// step with dq/dp = r is r/(3·G0/K0)·Δε_v^e (and dq/(3G(p)) when dp = 0);</item>
/// <item>plastic (loading, f = 0 kept by consistency): η(ε_q^p) = q/p, so ε_q^p = Aη/(η_f − η) (inverse of A-2),
/// and dε_v^p = (η_c − η) dε_q^p integrates to η_c Δκ − η_f [Δκ − A ln((A + κ1)/(A + κ0))].</item>
/// </list>
/// Plastic flow happens only while q/p exceeds the largest stress ratio reached so far (loading). When q/p
/// reaches η_f the specimen fails under stress control and the path ends.
/// </remarks>
public sealed class StressControlledTriaxial(DhConstants constants)
{
    /// <summary>Mean-stress increment per step (kPa); paper: 0.3.</summary>
    public double Dp { get; init; } = 0.3;

    /// <summary>Deviatoric-stress increment per step (kPa); paper: 0.9.</summary>
    public double Dq { get; init; } = 0.9;

    /// <summary>Largest number of steps; paper: 2500.</summary>
    public int MaxSteps { get; init; } = 2500;

    /// <summary>The path stops after the first step with ε_q above this value; paper: 0.25.</summary>
    public double MaxDeviatoricStrain { get; init; } = 0.25;

    /// <summary>The model constants.</summary>
    public DhConstants Constants { get; } = constants ?? throw new ArgumentNullException(nameof(constants));

    /// <summary>Runs one path from the isotropic state p = q0 = σ3 (q = 0, no prior plastic strain).</summary>
    public TriaxialPath Run(double confiningPressure)
    {
        if (!(confiningPressure > Constants.PMin))
        {
            throw new ArgumentOutOfRangeException(nameof(confiningPressure), confiningPressure, $"the confining pressure must exceed p_min = {Constants.PMin} kPa");
        }

        var c = Constants;
        var path = new TriaxialPath(confiningPressure);
        double oneMinusN = 1.0 - c.N;
        double k = c.BulkFactor;
        double ratio = c.G0 / c.K0;
        double p = confiningPressure, q = 0, ev = 0, eq = 0, kappa = 0;
        double pPow = Math.Pow(p, oneMinusN);
        path.Add(p, q, ev, eq, kappa);
        for (int step = 1; step <= MaxSteps; step++)
        {
            double p1 = p + Dp, q1 = q + Dq;
            if (!(p1 > c.PMin) || q1 < 0)
            {
                break;
            }

            double eta1 = q1 / p1;
            if (eta1 >= c.EtaF)
            {
                break; // stress control cannot go past the failure line
            }

            double p1Pow = Math.Pow(p1, oneMinusN);
            double dEve = (p1Pow - pPow) / (oneMinusN * k);
            double dEqe = Dp != 0 ? Dq / Dp / (3.0 * ratio) * dEve : Dq / (3.0 * c.ShearModulus(p));
            double kappa1 = Math.Max(kappa, c.PlasticShearStrainFor(eta1));
            double dk = kappa1 - kappa;
            double dEvp = dk > 0 ? c.EtaC * dk - c.EtaF * (dk - c.A * Math.Log((c.A + kappa1) / (c.A + kappa))) : 0.0;
            ev += dEve + dEvp;
            eq += dEqe + dk;
            (p, q, kappa, pPow) = (p1, q1, kappa1, p1Pow);
            path.Add(p, q, ev, eq, kappa);
            if (eq > MaxDeviatoricStrain)
            {
                break;
            }
        }

        return path;
    }
}
