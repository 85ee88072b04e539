using FemHost.MaterialSdk;

namespace FemHost.Materials.DhModel;

/// <summary>
/// Strain-controlled drained triaxial compression through the strain-driven (FEM) integration: the axial
/// strain is prescribed in increments and the radial stress held at the confining pressure by a local
/// Newton iteration on the radial strains, using the consistent tangent (mixed control, as in MTest).
/// Axial direction 2 (see <see cref="TriaxialPath.Tensors"/>).
/// </summary>
public sealed class StrainControlledTriaxial(DhConstants constants)
{
    private const int MaxIterations = 30;
    private readonly DhReturnMapping _mapping = new(constants);

    /// <summary>Axial (compressive) strain increment per step.</summary>
    public double AxialStrainIncrement { get; init; } = 2e-4;

    /// <summary>Largest number of steps.</summary>
    public int MaxSteps { get; init; } = 2500;

    /// <summary>The path stops after the first step with ε_q above this value.</summary>
    public double MaxDeviatoricStrain { get; init; } = 0.25;

    /// <summary>Runs a path at constant confining pressure with uniform axial strain steps.</summary>
    public TriaxialPath Run(double confiningPressure)
    {
        var point = new MixedControlPoint(_mapping, confiningPressure);
        var path = new TriaxialPath(confiningPressure);
        point.Record(path);
        for (int step = 1; step <= MaxSteps; step++)
        {
            if (!point.Step(AxialStrainIncrement))
            {
                break;
            }

            point.Record(path);
            if (path.DeviatoricStrain[^1] > MaxDeviatoricStrain)
            {
                break;
            }
        }

        return path;
    }

    /// <summary>Follows a given sequence of axial strains (compression positive), one step per entry.</summary>
    public TriaxialPath Follow(double confiningPressure, IEnumerable<double> axialStrains)
    {
        ArgumentNullException.ThrowIfNull(axialStrains);
        var point = new MixedControlPoint(_mapping, confiningPressure);
        var path = new TriaxialPath(confiningPressure);
        point.Record(path);
        double previous = 0;
        foreach (double ea in axialStrains)
        {
            if (!point.Step(ea - previous))
            {
                break;
            }

            previous = ea;
            point.Record(path);
        }

        return path;
    }

    /// <summary>One 3D material point under mixed control: ε22 prescribed, σ11 = σ33 = −σ3, shears zero.</summary>
    private sealed class MixedControlPoint
    {
        private readonly DhReturnMapping _mapping;
        private readonly double _sigma3;
        private readonly double[] _strain = new double[6], _stress = new double[6], _state = new double[DhState.Size];
        private readonly double[] _trialStress = new double[6], _trialState = new double[DhState.Size], _tangent = new double[36];
        private readonly double[] _dStrain = new double[6];
        private double _lastRadialRatio;

        public MixedControlPoint(DhReturnMapping mapping, double confiningPressure)
        {
            _mapping = mapping;
            _sigma3 = confiningPressure;
            _stress[0] = _stress[1] = _stress[2] = -confiningPressure;
        }

        /// <summary>
        /// Advances by an axial (compressive) strain increment; when the model asks for a smaller step the
        /// increment is split in halves (up to 2^10 parts), as a FEM host cuts a load step back. False if that fails.
        /// </summary>
        public bool Step(double axialIncrement, int depth = 0)
        {
            var outcome = TryStep(axialIncrement);
            if (outcome == PointOutcome.Ok)
            {
                return true;
            }

            return outcome == PointOutcome.SmallerStep && depth < 10
                && Step(0.5 * axialIncrement, depth + 1) && Step(0.5 * axialIncrement, depth + 1);
        }

        private PointOutcome TryStep(double axialIncrement)
        {
            Array.Clear(_dStrain);
            _dStrain[1] = -axialIncrement;
            // Start from the radial/axial ratio of the previous step (zero the first time).
            _dStrain[0] = _dStrain[2] = _lastRadialRatio * _dStrain[1];
            for (int it = 0; it < MaxIterations; it++)
            {
                var status = _mapping.Integrate(_stress, _state, _dStrain, _trialStress, _trialState, _tangent, TangentKind.Consistent);
                if (!status.IsOk)
                {
                    return status.Outcome;
                }

                double r0 = _trialStress[0] + _sigma3, r2 = _trialStress[2] + _sigma3;
                if (Math.Max(Math.Abs(r0), Math.Abs(r2)) <= 1e-10 * _sigma3)
                {
                    for (int i = 0; i < 6; i++)
                    {
                        _strain[i] += _dStrain[i];
                    }

                    _trialStress.CopyTo(_stress, 0);
                    _trialState.CopyTo(_state, 0);
                    _lastRadialRatio = _dStrain[0] / _dStrain[1];
                    return PointOutcome.Ok;
                }

                // 2×2 Newton update on (Δε11, Δε33) with J = [[D00, D02], [D20, D22]].
                double a = _tangent[0], b = _tangent[2], c = _tangent[12], d = _tangent[14];
                double det = a * d - b * c;
                if (!(Math.Abs(det) > 0))
                {
                    return PointOutcome.Failed;
                }

                _dStrain[0] -= (d * r0 - b * r2) / det;
                _dStrain[2] -= (-c * r0 + a * r2) / det;
            }

            return PointOutcome.SmallerStep;
        }

        public void Record(TriaxialPath path)
        {
            double p = DhInvariants.P(_stress);
            double q = -_stress[1] - -_stress[0];
            double ea = -_strain[1], er = -0.5 * (_strain[0] + _strain[2]);
            path.Add(p, q, ea + 2 * er, 2.0 / 3.0 * (ea - er), _state[DhState.PlasticShearStrain]);
        }
    }
}
