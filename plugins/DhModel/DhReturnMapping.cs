using FemHost.MaterialSdk;

namespace FemHost.Materials.DhModel;

/// <summary>Indices of the host-owned state variables of the DH model.</summary>
public static class DhState
{
    /// <summary>Plastic deviatoric strain ε_q^p (-), the hardening variable of .</summary>
    public const int PlasticShearStrain = 0;

    /// <summary>Mobilised stress ratio η(ε_q^p) (-), stored for output.</summary>
    public const int MobilisedEta = 1;

    /// <summary>Plastic volumetric strain ε_v^p (-), compression positive, stored for output.</summary>
    public const int PlasticVolumetricStrain = 2;

    /// <summary>Number of state variables.</summary>
    public const int Size = 3;

    /// <summary>Declarations for the SDK metadata.</summary>
    public static IReadOnlyList<StateVariableInfo> Variables { get; } =
    [
        new("eps_q_p", "-", "plastic deviatoric strain, the hardening variable (eq. A-2)"),
        new("eta", "-", "mobilised stress ratio eta = eta_f eps_q_p/(A + eps_q_p) (yield surface q = eta p)"),
        new("eps_v_p", "-", "plastic volumetric strain, compression positive (dilation negative)"),
    ];
}

/// <summary>
/// Strain-driven stress update of the DH model in tensor form (plane strain and 3D), by a fully implicit
/// (backward-Euler) return mapping with its exact consistent tangent.
/// </summary>
/// <remarks>
/// <para>Model (compression-positive p = −tr σ/3, s = σ + p1, q = √(3/2 s:s)): yield f = q − η(κ) p with
/// κ = ε_q^p and η(κ) from; non-associated flow dε^p = dλ ∂Φ/∂σ with Φ = q + η_c p ln(p/p0), where
/// p0 is the value that puts the current stress on Φ = 0 (A-8: Φ = const), so ∂Φ/∂q = 1 and
/// ∂Φ/∂p = η_c − q/p: the dilatancy is η_c − η (contraction below the zero-dilatancy line, dilation above).
/// Then dε_q^p = dλ and dε_v^p = dλ(η_c − η). Elasticity is the pressure-dependent hypoelastic law,
/// integrated exactly (<see cref="HypoelasticPressure"/>).</para>
/// <para>Why implicit return mapping rather than explicit substepping (Sloan et al. 2001): backward Euler is
/// unconditionally stable for any increment, lands exactly on the yield surface (no drift correction), and the
/// radial structure of the deviatoric return (s_{n+1} ∥ s_trial, as in J2 plasticity) reduces it to one
/// scalar equation g(Δλ) = q_trial(Ḡ) − 3ḠΔλ − η(κ_n + Δλ) p(e) = 0, with the elastic volumetric strain
/// e = Δε_v − Δλ(η_c − η(κ_n + Δλ)). A safeguarded Newton iteration solves it in a few steps without
/// allocation, and the implicit-function theorem gives the exact algorithmic tangent in closed form (no
/// dual numbers needed). Its first-order accuracy at large increments is bounded by
/// <see cref="DhConstants.MaxStrainIncrement"/>, above which the point asks for a smaller step.</para>
/// <para>Tension cut-off: a cohesionless soil carries no tension. If the mean stress would drop below
/// p_min (elastic extension, or contractive flow exhausting p) the point returns to the apex σ = −p_min·1,
/// all the deviatoric strain increment counting as plastic; the apex tangent is regularised to the
/// elastic stiffness at p_min so the global stiffness stays non-singular. A committed stress below p_min
/// (e.g. a zero initial stress) is read as the apex.</para>
/// </remarks>
public sealed class DhReturnMapping
{
    private const int MaxIterations = 60;
    private const double RelativeTolerance = 1e-13;
    private readonly DhConstants _c;
    private readonly HypoelasticPressure _elastic;
    private readonly double _k;

    /// <summary>Creates the integrator for one set of constants.</summary>
    public DhReturnMapping(DhConstants constants)
    {
        _c = constants ?? throw new ArgumentNullException(nameof(constants));
        if (constants.EtaC >= 3.0 || constants.EtaF >= 3.0)
        {
            throw new ArgumentException("eta_c and eta_f must be below 3 (at q/p = 3 the minor principal stress of a cohesionless soil vanishes in triaxial compression)", nameof(constants));
        }

        _elastic = new HypoelasticPressure(constants);
        _k = constants.BulkFactor;
    }

    /// <summary>The model constants.</summary>
    public DhConstants Constants => _c;

    /// <summary>
    /// Integrates one point over the strain increment <paramref name="dStrain"/> (Voigt, engineering shear,
    /// tension positive; n = 4 or 6) from the committed stress and state. Writes stress, state and the
    /// tangent of the requested kind (row-major n×n).
    /// </summary>
    public PointStatus Integrate(ReadOnlySpan<double> stressOld, ReadOnlySpan<double> stateOld, ReadOnlySpan<double> dStrain,
        Span<double> stress, Span<double> state, Span<double> tangent, TangentKind kind)
    {
        int n = dStrain.Length;
        Span<double> sN = stackalloc double[6];
        Span<double> dE = stackalloc double[6];
        Span<double> sTr = stackalloc double[6];

        if (!AllFinite(dStrain) || !AllFinite(stressOld) || !AllFinite(stateOld))
        {
            stress.Clear();
            state.Clear();
            tangent.Clear();
            return PointStatus.Failed("non-finite strain increment, stress or state given to the DH model");
        }

        double norm2 = 0;
        for (int i = 0; i < n; i++)
        {
            norm2 += i < 3 ? dStrain[i] * dStrain[i] : 0.5 * dStrain[i] * dStrain[i];
        }

        double kappaN = Math.Max(stateOld[DhState.PlasticShearStrain], 0.0);
        double evpN = stateOld[DhState.PlasticVolumetricStrain];
        double pN = -(stressOld[0] + stressOld[1] + stressOld[2]) / 3.0;
        bool apexStart = !(pN >= _c.PMin);
        if (apexStart)
        {
            pN = _c.PMin;
        }

        for (int i = 0; i < n; i++)
        {
            sN[i] = apexStart ? 0.0 : i < 3 ? stressOld[i] + pN : stressOld[i];
        }

        if (!(Math.Sqrt(norm2) <= _c.MaxStrainIncrement))
        {
            // Keep the outputs finite and meaningful (the committed state) while asking for a smaller step.
            stressOld.CopyTo(stress);
            stateOld.CopyTo(state);
            Elasticity.Isotropic(_c.BulkModulus(pN), _c.ShearModulus(pN), tangent, n);
            double ratio = 0.9 * _c.MaxStrainIncrement / Math.Sqrt(norm2);
            return PointStatus.SmallerStep(double.IsFinite(ratio) ? ratio : 0.1,
                $"strain increment norm {Math.Sqrt(norm2):G3} exceeds max_strain_increment {_c.MaxStrainIncrement:G3}");
        }

        // Compression-positive volumetric increment and deviatoric increment (tensor components).
        double dEv = -(dStrain[0] + dStrain[1] + dStrain[2]);
        for (int i = 0; i < n; i++)
        {
            dE[i] = i < 3 ? dStrain[i] + dEv / 3.0 : 0.5 * dStrain[i];
        }

        // Scalar products for q_trial(Ḡ)² = 3/2 (a + 4Ḡb + 4Ḡ²c) with a = s_n:s_n, b = s_n:Δe, c = Δe:Δe.
        double a = 0, b = 0, cc = 0;
        for (int i = 0; i < n; i++)
        {
            double w = i < 3 ? 1.0 : 2.0;
            a += w * sN[i] * sN[i];
            b += w * sN[i] * dE[i];
            cc += w * dE[i] * dE[i];
        }

        double kN = _k * Math.Pow(pN, _c.N);
        double etaN = _c.Eta(kappaN);

        // Elastic predictor.
        if (!_elastic.Evaluate(pN, kN, dEv, out double p, out double bulk, out double gBar, out double gBarSlope))
        {
            return Apex(pN, kN, dEv, kappaN, evpN, cc, stress, state, tangent, n);
        }

        double qTr = QTrial(a, b, cc, gBar);
        double fTr = qTr - etaN * p;
        if (fTr <= RelativeTolerance * p)
        {
            for (int i = 0; i < n; i++)
            {
                sTr[i] = sN[i] + 2.0 * gBar * dE[i];
                stress[i] = i < 3 ? sTr[i] - p : sTr[i];
            }

            state[DhState.PlasticShearStrain] = kappaN;
            state[DhState.MobilisedEta] = etaN;
            state[DhState.PlasticVolumetricStrain] = evpN;
            if (kind == TangentKind.Consistent)
            {
                ElasticConsistentTangent(dE, gBar, gBarSlope, bulk, tangent, n);
            }
            else
            {
                Elasticity.Isotropic(bulk, _c.ShearModulus(p), tangent, n);
            }

            return PointStatus.Ok;
        }

        // Plastic corrector: safeguarded Newton on g(Δλ) with bracket [lo, hi].
        double lo = 0, hi = double.PositiveInfinity, x = 0;
        double g = fTr, gSlope = 0, eta = etaN, etaSlope = _c.EtaSlope(kappaN), e = dEv, eLambda = 0;
        bool converged = false;
        for (int it = 0; it < MaxIterations; it++)
        {
            eta = _c.Eta(kappaN + x);
            etaSlope = _c.EtaSlope(kappaN + x);
            e = dEv - x * (_c.EtaC - eta);
            eLambda = -(_c.EtaC - eta) + x * etaSlope;
            bool valid = _elastic.Evaluate(pN, kN, e, out p, out bulk, out gBar, out gBarSlope);
            if (valid)
            {
                qTr = QTrial(a, b, cc, gBar);
                double dqdG = 3.0 * (b + 2.0 * gBar * cc) / qTr;
                g = qTr - 3.0 * gBar * x - eta * p;
                gSlope = (dqdG - 3.0 * x) * gBarSlope * eLambda - 3.0 * gBar - etaSlope * p - eta * bulk * eLambda;
                double scale = RelativeTolerance * (p + qTr);
                if (Math.Abs(g) <= scale)
                {
                    converged = true;
                    break;
                }

                if (g > 0)
                {
                    lo = x;
                }
                else
                {
                    hi = x;
                }
            }
            else
            {
                hi = x;
            }

            double next = valid && gSlope < 0 ? x - g / gSlope : double.NaN;
            if (!(next > lo && next < hi))
            {
                next = double.IsPositiveInfinity(hi) ? 2.0 * x + qTr / (3.0 * gBar) : 0.5 * (lo + hi);
            }

            if (double.IsFinite(hi) && hi - lo <= 1e-15 * hi)
            {
                break;
            }

            x = next;
        }

        if (!converged)
        {
            if (!double.IsPositiveInfinity(hi) && !_elastic.Evaluate(pN, kN, dEv - hi * (_c.EtaC - _c.Eta(kappaN + hi)), out _, out _, out _, out _))
            {
                // Contractive flow drives the mean stress to the cut-off: the soil reaches the apex.
                return Apex(pN, kN, dEv, kappaN, evpN, cc, stress, state, tangent, n);
            }

            stressOld.CopyTo(stress);
            stateOld.CopyTo(state);
            Elasticity.Isotropic(_c.BulkModulus(pN), _c.ShearModulus(pN), tangent, n);
            return PointStatus.SmallerStep(0.5, "DH return mapping did not converge");
        }

        // Converged: s_{n+1} = s_tr − 3ḠΔλ ŝ with ŝ = s_tr/q_tr (radial return), p_{n+1} = p(e).
        Span<double> sHat = stackalloc double[6];
        for (int i = 0; i < n; i++)
        {
            sTr[i] = sN[i] + 2.0 * gBar * dE[i];
            sHat[i] = sTr[i] / qTr;
            double s1 = sTr[i] - 3.0 * gBar * x * sHat[i];
            stress[i] = i < 3 ? s1 - p : s1;
        }

        state[DhState.PlasticShearStrain] = kappaN + x;
        state[DhState.MobilisedEta] = eta;
        state[DhState.PlasticVolumetricStrain] = evpN + (dEv - e);
        if (kind == TangentKind.Consistent)
        {
            PlasticConsistentTangent(dE, sHat, qTr, x, gBar, gBarSlope, bulk, eta, eLambda, gSlope, tangent, n);
        }
        else
        {
            Elasticity.Isotropic(bulk, _c.ShearModulus(p), tangent, n);
        }

        return PointStatus.Ok;
    }

    private static bool AllFinite(ReadOnlySpan<double> v)
    {
        foreach (double x in v)
        {
            if (!double.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    private static double QTrial(double a, double b, double c, double gBar) =>
        Math.Sqrt(Math.Max(1.5 * (a + 4.0 * gBar * b + 4.0 * gBar * gBar * c), 0.0));

    /// <summary>Tension cut-off: σ = −p_min 1; the whole deviatoric increment and the volumetric strain beyond the cut-off are plastic.</summary>
    private PointStatus Apex(double pN, double kN, double dEv, double kappaN, double evpN, double dEdE,
        Span<double> stress, Span<double> state, Span<double> tangent, int n)
    {
        double pMin = _c.PMin;
        for (int i = 0; i < n; i++)
        {
            stress[i] = i < 3 ? -pMin : 0.0;
        }

        double kappa = kappaN + Math.Sqrt(2.0 / 3.0 * dEdE);
        state[DhState.PlasticShearStrain] = kappa;
        state[DhState.MobilisedEta] = _c.Eta(kappa);
        state[DhState.PlasticVolumetricStrain] = evpN + dEv - _elastic.VolumetricStrainTo(pN, kN, pMin);
        Elasticity.Isotropic(_c.BulkModulus(pMin), _c.ShearModulus(pMin), tangent, n);
        return PointStatus.Ok;
    }

    /// <summary>
    /// ∂σ/∂Δε of the exact hypoelastic step: σ = s_n + 2Ḡ(e)Δe − p(e)1 with e = Δε_v, so
    /// D_ij = 2Ḡ ∂Δe_i/∂Δε_j + 2Ḡ' Δe_i ∂e/∂Δε_j − δ_{i&lt;3} K(p) ∂e/∂Δε_j (unsymmetric through Ḡ').
    /// </summary>
    private static void ElasticConsistentTangent(ReadOnlySpan<double> dE, double gBar, double gBarSlope, double bulk, Span<double> d, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dedj = j < 3 ? -1.0 : 0.0;
                double v = 2.0 * gBar * DevDerivative(i, j) + 2.0 * gBarSlope * dE[i] * dedj;
                if (i < 3)
                {
                    v -= bulk * dedj;
                }

                d[i * n + j] = v;
            }
        }
    }

    /// <summary>∂Δe_i/∂Δε_j: deviatoric projector in mixed tensor/engineering components.</summary>
    private static double DevDerivative(int i, int j) =>
        i < 3 && j < 3 ? (i == j ? 2.0 / 3.0 : -1.0 / 3.0) : i == j ? 0.5 : 0.0;

    /// <summary>
    /// Consistent tangent of the return mapping by the implicit-function theorem on g(Δλ, Δε) = 0:
    /// dΔλ_j = −g_ε,j/g_λ, then the chain rule through e, p(e), Ḡ(e), s_tr = s_n + 2ḠΔe and ŝ = s_tr/q_tr.
    /// With ρ = 1 − 3ḠΔλ/q_tr and the deviatoric projector P (ŝ:P_·j = ŝ_j since tr ŝ = 0):
    /// dq_tr,j = 3 ∂Ḡ_j (ŝ:Δe) + 3Ḡ ŝ_j and
    /// D_ij = 2ρḠ P_ij + 2ρ Δe_i ∂Ḡ_j + ŝ_i [3ḠΔλ/q_tr · dq_tr,j − 3(Δλ ∂Ḡ_j + Ḡ dΔλ_j)] − δ_{i&lt;3} K ∂e_j,
    /// a rank-two update of the scaled projector, assembled in O(n²) multiply-adds.
    /// </summary>
    private static void PlasticConsistentTangent(ReadOnlySpan<double> dE, ReadOnlySpan<double> sHat,
        double qTr, double dLambda, double gBar, double gBarSlope, double bulk, double eta, double eLambda, double gLambda,
        Span<double> d, int n)
    {
        double sHatDotDe = 0;
        for (int i = 0; i < n; i++)
        {
            sHatDotDe += (i < 3 ? 1.0 : 2.0) * sHat[i] * dE[i];
        }

        double dqdG = 3.0 * sHatDotDe; // ∂q_tr/∂Ḡ
        double rho = 1.0 - 3.0 * gBar * dLambda / qTr;
        Span<double> dG = stackalloc double[6];
        Span<double> de = stackalloc double[6];
        Span<double> cj = stackalloc double[6];
        for (int j = 0; j < n; j++)
        {
            double dedj = j < 3 ? -1.0 : 0.0;
            double gEps = (dqdG - 3.0 * dLambda) * gBarSlope * dedj - eta * bulk * dedj + 3.0 * gBar * sHat[j];
            double dLam = -gEps / gLambda;
            de[j] = dedj + eLambda * dLam;
            dG[j] = gBarSlope * de[j];
            double dq = dqdG * dG[j] + 3.0 * gBar * sHat[j];
            cj[j] = 3.0 * gBar * dLambda / qTr * dq - 3.0 * (dLambda * dG[j] + gBar * dLam);
        }

        double twoRhoG = 2.0 * rho * gBar;
        for (int i = 0; i < n; i++)
        {
            double a = 2.0 * rho * dE[i];
            for (int j = 0; j < n; j++)
            {
                double v = twoRhoG * DevDerivative(i, j) + a * dG[j] + sHat[i] * cj[j];
                d[i * n + j] = i < 3 ? v - bulk * de[j] : v;
            }
        }
    }
}
