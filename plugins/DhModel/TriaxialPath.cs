namespace FemHost.Materials.DhModel;

/// <summary>
/// One drained triaxial path in the p–q / ε_v–ε_q description of the paper (§3.2.1), geotechnical signs
/// (compression positive). Axial direction a, radial r: p = (σ_a + 2σ_r)/3, q = σ_a − σ_r,
/// ε_v = ε_a + 2ε_r, ε_q = 2/3 (ε_a − ε_r). Row 0 is the isotropic initial state.
/// </summary>
public sealed class TriaxialPath
{
    private readonly List<double> _p = [], _q = [], _ev = [], _eq = [], _kappa = [];

    /// <summary>Creates an empty path at confining pressure σ3.</summary>
    public TriaxialPath(double confiningPressure) => ConfiningPressure = confiningPressure;

    /// <summary>Confining (radial) pressure σ3 in kPa, also the initial mean stress p0.</summary>
    public double ConfiningPressure { get; }

    /// <summary>Number of rows (steps + 1).</summary>
    public int Count => _p.Count;

    /// <summary>Mean stress p (kPa).</summary>
    public IReadOnlyList<double> P => _p;

    /// <summary>Deviatoric stress q (kPa).</summary>
    public IReadOnlyList<double> Q => _q;

    /// <summary>Volumetric strain ε_v (compression positive).</summary>
    public IReadOnlyList<double> VolumetricStrain => _ev;

    /// <summary>Deviatoric strain ε_q.</summary>
    public IReadOnlyList<double> DeviatoricStrain => _eq;

    /// <summary>Plastic deviatoric strain ε_q^p.</summary>
    public IReadOnlyList<double> PlasticShearStrain => _kappa;

    /// <summary>Axial strain ε_a = ε_v/3 + ε_q of row i.</summary>
    public double AxialStrain(int i) => _ev[i] / 3.0 + _eq[i];

    /// <summary>Radial strain ε_r = ε_v/3 − ε_q/2 of row i.</summary>
    public double RadialStrain(int i) => _ev[i] / 3.0 - _eq[i] / 2.0;

    /// <summary>Appends a row.</summary>
    public void Add(double p, double q, double ev, double eq, double kappa)
    {
        _p.Add(p);
        _q.Add(q);
        _ev.Add(ev);
        _eq.Add(eq);
        _kappa.Add(kappa);
    }

    /// <summary>
    /// Row i as SDK Voigt tensors (tension positive, 3D order 11, 22, 33, 12, 13, 23) with the axial direction
    /// along 2 (vertical, as in the biaxial BVP): ε22 = −ε_a, ε11 = ε33 = −ε_r; σ22 = −σ_a, σ11 = σ33 = −σ_r.
    /// </summary>
    public void Tensors(int i, Span<double> strain, Span<double> stress)
    {
        strain.Clear();
        stress.Clear();
        double ea = AxialStrain(i), er = RadialStrain(i);
        double sa = _p[i] + 2.0 * _q[i] / 3.0, sr = _p[i] - _q[i] / 3.0;
        // "+ 0.0" turns −0 into 0 so the initial row reads 0 rather than -0.
        strain[0] = strain[2] = -er + 0.0;
        strain[1] = -ea + 0.0;
        stress[0] = stress[2] = -sr + 0.0;
        stress[1] = -sa + 0.0;
    }
}
