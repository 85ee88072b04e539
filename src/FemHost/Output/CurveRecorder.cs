using System.Globalization;
using FemHost.Cases;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.MaterialSdk;

namespace FemHost.Output;

/// <summary>
/// Records the case's global curves at every completed step and writes them as CSV (columns step,
/// lambda, then one per curve). reaction_x/y: the sum over the set of R = F_int − F_ext, the force the
/// supports exert on the body; displacement_x/y: the mean displacement of the set's nodes;
/// volumetric_strain: the specimen's mean volumetric strain ∫ tr ε dV / V (tension positive).
/// </summary>
public sealed class CurveRecorder
{
    private readonly IReadOnlyList<CurveDefinition> _curves;
    private readonly int[][] _sets;
    private readonly List<double[]> _rows = [];

    /// <summary>Resolves the curves' sets against the model's mesh (unknown sets are case errors).</summary>
    public CurveRecorder(Model model, IReadOnlyList<CurveDefinition> curves)
    {
        _curves = curves;
        _sets = curves.Select(c => c.Kind == "volumetric_strain" ? [] : ModelBuilder.NodesOf(model.Mesh, c.Set ?? "", c.Where)).ToArray();
        foreach (var c in curves)
        {
            if (c.Kind is not ("reaction_x" or "reaction_y" or "displacement_x" or "displacement_y" or "volumetric_strain"))
            {
                throw UserInputException.At(c.Where, $"curve kind '{c.Kind}' is unknown; expected reaction_x, reaction_y, displacement_x, displacement_y or volumetric_strain");
            }
        }
    }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Columns => ["step", "lambda", .. _curves.Select(c => c.Name)];

    /// <summary>Recorded rows (one per completed step).</summary>
    public IReadOnlyList<double[]> Rows => _rows;

    /// <summary>Samples the curves from the solver's converged state.</summary>
    public void Record(int step, double lambda, NewtonSolver newton)
    {
        var model = newton.Model;
        var reactions = new double[model.DofCount];
        newton.Reactions(reactions);
        var row = new double[2 + _curves.Count];
        (row[0], row[1]) = (step, lambda);
        for (int k = 0; k < _curves.Count; k++)
        {
            var set = _sets[k];
            row[2 + k] = _curves[k].Kind switch
            {
                "reaction_x" => set.Sum(n => reactions[2 * n]),
                "reaction_y" => set.Sum(n => reactions[2 * n + 1]),
                "displacement_x" => set.Average(n => newton.Displacement[2 * n]),
                "displacement_y" => set.Average(n => newton.Displacement[2 * n + 1]),
                _ => VolumetricStrain(model),
            };
        }

        _rows.Add(row);
    }

    /// <summary>Replaces the rows by those of a checkpoint (a resumed run).</summary>
    public void Restore(IEnumerable<double[]> rows)
    {
        _rows.Clear();
        _rows.AddRange(rows.Select(r => (double[])r.Clone()));
    }

    /// <summary>Writes the CSV atomically.</summary>
    public void Write(string path) => AtomicFile.WriteText(path, w =>
    {
        w.WriteLine(string.Join(',', Columns));
        foreach (var row in _rows)
        {
            w.WriteLine(string.Join(',', row.Select(v => v.ToString("G12", CultureInfo.InvariantCulture))));
        }
    });

    private static double VolumetricStrain(Model model)
    {
        double ev = 0, v = 0;
        int n = model.Element.StrainSize;
        foreach (var r in model.Regions)
        {
            for (int p = 0; p < r.Count; p++)
            {
                ev += Voigt.Trace(r.Strain.AsSpan(p * n, n)) * r.Volumes[p];
                v += r.Volumes[p];
            }
        }

        return ev / v;
    }
}
