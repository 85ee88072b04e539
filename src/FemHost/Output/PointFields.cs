using FemHost.Fem.Model;
using FemHost.MaterialSdk;

namespace FemHost.Output;

/// <summary>
/// Scalar and vector fields evaluated at every Gauss point (global point id order) from the committed
/// state: stress and strain (Voigt 11, 22, 33, 12; engineering γ12), the paper's strain measures
/// (Qu et al. 2023, eqs. 10–12, in-plane): ε_v = ε11 + ε22, ε_dev = ε − ½ ε_v I, ε_q = √(2 ε_dev:ε_dev),
/// the stress norm √(σ:σ) over the full 3×3 tensor (σ33 included), and every state variable by name
/// (0 at points whose material does not declare it).
/// </summary>
public sealed class PointFields
{
    private PointFields(List<(string Name, int Components, double[] Values)> fields) => Fields = fields;

    /// <summary>Name, number of components and values (point-major) of each field.</summary>
    public IReadOnlyList<(string Name, int Components, double[] Values)> Fields { get; }

    /// <summary>Evaluates the fields of <paramref name="model"/>'s committed state.</summary>
    public static PointFields Evaluate(Model model)
    {
        int points = model.Mesh.ElementCount * model.PointsPerElement;
        int n = model.Element.StrainSize;
        var stress = new double[points * n];
        var strain = new double[points * n];
        var epsV = new double[points];
        var epsQ = new double[points];
        var norm = new double[points];
        var stateNames = model.Regions.SelectMany(r => r.Model.Metadata.StateVariables.Select(v => v.Name)).Distinct().ToList();
        var states = stateNames.Select(_ => new double[points]).ToList();
        foreach (var region in model.Regions)
        {
            var names = region.Model.Metadata.StateVariables.Select(v => v.Name).ToList();
            int m = names.Count;
            for (int p = 0; p < region.Count; p++)
            {
                int g = region.PointIds[p];
                Array.Copy(region.Stress, p * n, stress, g * n, n);
                Array.Copy(region.Strain, p * n, strain, g * n, n);
                var e = region.Strain.AsSpan(p * n, n);
                var s = region.Stress.AsSpan(p * n, n);
                double ev = e[Voigt.XX] + e[Voigt.YY];
                double d11 = e[Voigt.XX] - 0.5 * ev, d22 = e[Voigt.YY] - 0.5 * ev, d12 = 0.5 * e[Voigt.XY];
                epsV[g] = ev;
                epsQ[g] = Math.Sqrt(2 * (d11 * d11 + d22 * d22 + 2 * d12 * d12));
                double ss = 0;
                for (int i = 0; i < n; i++)
                {
                    ss += (Voigt.IsShear(i) ? 2 : 1) * s[i] * s[i];
                }

                norm[g] = Math.Sqrt(ss);
                for (int k = 0; k < m; k++)
                {
                    states[stateNames.IndexOf(names[k])][g] = region.State[p * m + k];
                }
            }
        }

        var fields = new List<(string, int, double[])>
        {
            ("stress", n, stress), ("strain", n, strain), ("eps_v", 1, epsV), ("eps_q", 1, epsQ), ("stress_norm", 1, norm),
        };
        fields.AddRange(stateNames.Select((name, k) => ("state_" + name, 1, states[k])));
        return new PointFields(fields);
    }
}
