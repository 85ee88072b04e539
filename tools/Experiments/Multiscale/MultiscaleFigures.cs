using FemHost.Experiments.Rendering;
using FemHost.MaterialData;
using ScottPlot;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// The figures of the comparison, as PNG: macroscopic responses (paper Fig. 19), contours of the accumulated
/// deviatoric strain at several axial strains (Fig. 17) and of the stress norm √(σ:σ) at the end (Fig. 18),
/// and Gauss-point principal stress–strain paths (Fig. 20). Runs are drawn in the order given, the first being
/// the reference (FD-HMM with M2).
/// </summary>
public static class MultiscaleFigures
{
    private static readonly Color[] Palette = [Colors.Black, Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4];

    /// <summary>Fig. 19: top reaction force and volumetric strain against axial strain, side by side.</summary>
    public static void Responses(string pngPath, IReadOnlyList<FemRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var force = new Plot();
        var volume = new Plot();
        for (int k = 0; k < runs.Count; k++)
        {
            var run = runs[k];
            double[] strain = run.AxialStrain.Select(e => 100 * e).ToArray();
            var f = force.Add.Scatter(strain, run.TopForce, Palette[k % Palette.Length]);
            f.LegendText = run.Label;
            f.LinePattern = k == 0 ? LinePattern.Solid : LinePattern.Dashed;
            var v = volume.Add.Scatter(strain, run.VolumetricStrain.Select(e => 100 * e).ToArray(), Palette[k % Palette.Length]);
            v.LegendText = run.Label;
            v.LinePattern = k == 0 ? LinePattern.Solid : LinePattern.Dashed;
        }

        force.Title("Top reaction force");
        force.XLabel("axial strain ε_a (%)");
        force.YLabel("force (kN/m, compression)");
        force.ShowLegend(Alignment.LowerRight);
        volume.Title("Volumetric strain (dilation +)");
        volume.XLabel("axial strain ε_a (%)");
        volume.YLabel("ε_v (%)");
        volume.ShowLegend(Alignment.UpperLeft);
        PanelGrid.Save(pngPath, [force.GetImageBytes(640, 460, ImageFormat.Png), volume.GetImageBytes(640, 460, ImageFormat.Png)], 2);
    }

    /// <summary>
    /// Fig. 17 (field <c>eps_q</c>, one column per axial strain, one colour range per column) or Fig. 18 (field
    /// <c>stress_norm</c> at the last strain): one row per run that reached the first strain, on the deformed mesh.
    /// </summary>
    public static void Contours(string pngPath, IReadOnlyList<FemRun> runs, string field, string label, IReadOnlyList<double> axialStrains)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(axialStrains);
        // A run that stopped before the first of the strains has no row.
        runs = [.. runs.Where(r => r.AxialStrain[^1] + 1e-9 >= axialStrains[0])];
        var fields = runs.Select(r => axialStrains.Select(e => r.AxialStrain[^1] + 1e-9 >= e ? VtuField.Read(r.FieldAt(e)) : null).ToList()).ToList();
        var panels = new List<byte[]?>();
        var ranges = axialStrains.Select((_, j) =>
        {
            var values = fields.Select(row => row[j]).Where(v => v is not null).SelectMany(v => NodalField(v!, field)).ToList();
            return values.Count == 0 ? (0.0, 1.0) : (values.Min(), values.Max());
        }).ToList();
        for (int i = 0; i < runs.Count; i++)
        {
            for (int j = 0; j < axialStrains.Count; j++)
            {
                var vtu = fields[i][j];
                if (vtu is null)
                {
                    panels.Add(null);
                    continue;
                }

                var style = new ContourStyle($"{runs[i].Label}, {100 * axialStrains[j]:0.#} %", label, ranges[j], Columns: 160);
                var (plot, _) = ContourPlot.Create(vtu, NodalField(vtu, field), style);
                panels.Add(plot.GetImageBytes(400, 560, ImageFormat.Png));
            }
        }

        PanelGrid.Save(pngPath, panels, axialStrains.Count);
    }

    /// <summary>
    /// The nodal values of a contour field. The invariants <c>eps_q</c> (paper eq. 12) and <c>stress_norm</c> (√(σ:σ))
    /// are computed from the nodal strain and stress tensors, not read as nodal scalars: the host extrapolates each
    /// Gauss-point field to the nodes, and an extrapolated norm overshoots below zero where neighbouring points differ
    /// strongly (a collapsed RVE next to a loaded one: −300 kPa in the full M2 run), an invariant of the extrapolated
    /// tensor cannot.
    /// </summary>
    public static double[] NodalField(VtuField vtu, string field)
    {
        ArgumentNullException.ThrowIfNull(vtu);
        return field switch
        {
            "stress_norm" => Invariant(vtu, "stress", StressNorm),
            "eps_q" => Invariant(vtu, "strain", DeviatoricStrain),
            _ => vtu.NodalScalar(field),
        };
    }

    /// <summary>√(σ:σ) of a Voigt stress (xx, yy, zz, xy): σ11² + σ22² + σ33² + 2σ12².</summary>
    public static double StressNorm(ReadOnlySpan<double> s) => Math.Sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2] + 2 * s[3] * s[3]);

    /// <summary>
    /// ε_q = √(2 ε_dev : ε_dev) with the 2D deviator ε_dev = ε − ½ tr(ε) I (paper eqs. 11–12) of a Voigt strain
    /// (xx, yy, zz, γxy), as the host's Gauss-point field.
    /// </summary>
    public static double DeviatoricStrain(ReadOnlySpan<double> e)
    {
        double ev = e[0] + e[1], d11 = e[0] - 0.5 * ev, d22 = e[1] - 0.5 * ev, d12 = 0.5 * e[3];
        return Math.Sqrt(2 * (d11 * d11 + d22 * d22 + 2 * d12 * d12));
    }

    private delegate double TensorInvariant(ReadOnlySpan<double> voigt);

    private static double[] Invariant(VtuField vtu, string tensor, TensorInvariant invariant)
    {
        if (!vtu.PointData.TryGetValue(tensor, out var array) || array.Components != 4)
        {
            throw new InvalidDataException($"the .vtu has no 4-component point-data array '{tensor}' (xx, yy, zz, xy) to compute an invariant from");
        }

        return [.. Enumerable.Range(0, vtu.NodeCount).Select(i => invariant(array.Values.AsSpan(4 * i, 4)))];
    }

    /// <summary>
    /// Fig. 20: at each traced Gauss point, the major (most compressive) principal stress against the major principal
    /// strain, both compression positive, of every run's point log (every converged increment).
    /// </summary>
    public static void PrincipalPaths(string pngPath, IReadOnlyList<FemRun> runs, IReadOnlyList<int> points)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(points);
        var logs = runs.Select(r => File.Exists(r.PointLog) ? PathDatasetReader.Read(r.PointLog) : null).ToList();
        var panels = new List<byte[]?>();
        foreach (int id in points)
        {
            var plot = new Plot();
            for (int k = 0; k < runs.Count; k++)
            {
                var path = logs[k]?.Paths.FirstOrDefault(p => p.Id == id);
                if (path is null)
                {
                    continue;
                }

                var strain = path.Rows.Select(r => 100 * MajorCompression(r.Strain[0], r.Strain[1], 0.5 * r.Strain[3])).ToArray();
                var stress = path.Rows.Select(r => MajorCompression(r.Stress[0], r.Stress[1], r.Stress[3])).ToArray();
                var line = plot.Add.Scatter(strain, stress, Palette[k % Palette.Length]);
                line.LegendText = runs[k].Label;
                line.LinePattern = k == 0 ? LinePattern.Solid : LinePattern.Dashed;
                line.MarkerSize = 3;
            }

            plot.Title($"Gauss point {id}");
            plot.XLabel("major principal strain (%, compression +)");
            plot.YLabel("major principal stress (kPa, compression +)");
            plot.ShowLegend(Alignment.LowerRight);
            panels.Add(plot.GetImageBytes(520, 420, ImageFormat.Png));
        }

        PanelGrid.Save(pngPath, panels, Math.Min(points.Count, 2));
    }

    /// <summary>
    /// The most compressive in-plane principal value of the symmetric tensor [[a11, a12], [a12, a22]] (tensor shear
    /// a12), returned compression positive: −(½(a11 + a22) − √(¼(a11 − a22)² + a12²)).
    /// </summary>
    public static double MajorCompression(double a11, double a22, double a12) =>
        -(0.5 * (a11 + a22) - Math.Sqrt(0.25 * (a11 - a22) * (a11 - a22) + a12 * a12));
}
