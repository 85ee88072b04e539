using System.Globalization;
using System.Text;
using FemHost.Experiments.Calibration;
using FemHost.Experiments.Reporting;
using FemHost.Experiments.Transfer;
using FemHost.MaterialData;

namespace FemHost.Experiments.Pretrain;

/// <summary>
/// Paper §3.2.1, Fig. 6: the calibrated DH model generates the synthetic family of drained triaxial sequences
/// (paper: 450 curves, σ3 stepped from 25 to 1000 kPa) with <c>dh-sequences</c>, the source data of the transfer
/// study. Writes <c>dh-triaxial-strain.csv</c> (+ sidecar), <c>family-q.png</c>, <c>family-ev.png</c> and <c>summary.md</c>.
/// </summary>
public sealed class PretrainExperiment : IExperiment
{
    /// <summary>File name of the synthetic dataset in the pretrain folder.</summary>
    public const string DatasetFile = "dh-triaxial-strain.csv";

    /// <summary>Most curves drawn in a figure (every k-th curve of the family).</summary>
    private const int PlottedCurves = 15;

    /// <inheritdoc/>
    public string Name => "pretrain";

    /// <inheritdoc/>
    public string Summary => "synthetic pre-training set: the calibrated DH model's family of triaxial sequences (paper §3.2.1, Fig. 6)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string calibration = ctx.RequireInput("calibrate", CalibratedDh.FileName);
        var parameters = CalibratedDh.ReadParameters(calibration);
        var sizes = TransferSizes.Of(ctx.Mode);
        string folder = ctx.FolderOf(Name);
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "--out", folder, "--mode", "strain", "--count", sizes.SyntheticCurves.ToString(CultureInfo.InvariantCulture),
            "--p0-min", Num(TransferSizes.MinPressure), "--p0-max", Num(TransferSizes.MaxPressure),
            "--axial-step", Num(sizes.AxialStep), "--eps-q-max", "0.25",
        };
        foreach (var name in CalibratedDh.FittedNames.Append("p_a"))
        {
            args.Add("--set");
            args.Add($"{name}={Num(parameters[name])}");
        }

        ctx.Timings.Time(Name, "dh-sequences", () => ctx.RunTool(ctx.DhSequences, args, folder, "dh-sequences"));
        var family = PathDatasetReader.Read(Path.Combine(folder, DatasetFile));
        var curves = family.Paths.Select(p => SyntheticCurve.FromPath(p, family.Info)).ToList();
        Plot(folder, curves);
        WriteSummary(folder, ctx, curves, parameters, $"dh-sequences {string.Join(' ', args)}", sizes);
    }

    private static void Plot(string folder, IReadOnlyList<SyntheticCurve> curves)
    {
        int every = Math.Max(1, curves.Count / PlottedCurves);
        var q = new Figure($"Synthetic DH sequences ({curves.Count} curves, every {every}th drawn)", "axial strain ε_a (%)", "q = σ_a − σ_r (kPa)");
        var ev = new Figure($"Synthetic DH sequences ({curves.Count} curves, every {every}th drawn)", "axial strain ε_a (%)", "ε_v (%, compression positive)");
        for (int k = 0, c = 0; k < curves.Count; k += every, c++)
        {
            var x = curves[k].AxialStrain.Select(e => 100 * e).ToArray();
            string? label = c % 3 == 0 ? $"σ3 = {curves[k].ConfiningPressure:F0} kPa" : null;
            q.Line(x, curves[k].DeviatoricStress, c, label, width: 1.5f);
            ev.Line(x, curves[k].VolumetricStrain.Select(e => 100 * e).ToArray(), c, label, width: 1.5f);
        }

        q.Save(Path.Combine(folder, "family-q.png"));
        ev.Save(Path.Combine(folder, "family-ev.png"));
    }

    private static void WriteSummary(string folder, ExperimentContext ctx, IReadOnlyList<SyntheticCurve> curves,
        IReadOnlyDictionary<string, double> parameters, string command, TransferSizes sizes)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Synthetic pre-training set ({ctx.Mode.ToString().ToLowerInvariant()} mode)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{curves.Count} drained triaxial sequences of the calibrated DH model, σ3 = {TransferSizes.MinPressure:F0}–{TransferSizes.MaxPressure:F0} kPa evenly spaced, until ε_q > 0.25 (paper §3.2.1).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Parameters (from `calibrate/{CalibratedDh.FileName}`): {string.Join(", ", CalibratedDh.FittedNames.Select(n => $"{n} = {TextFile.F(parameters[n])}"))}.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**Deviation from the paper:** strain control (`--mode strain`, axial step {TextFile.F(sizes.AxialStep)}, the DEM target's row spacing) instead of Algorithm 1's stress control (dp = 0.3, dq = 0.9 kPa). Both follow the same drained triaxial stress path; stress control stops where q/p reaches η_f, which with the calibrated, very small hardening constant A comes after a fraction of a percent of strain, while the DEM targets run to 12 % axial strain. Equal row spacing in source and target also lets the GRU's 20-row window mean the same strain range in both.");
        sb.AppendLine();
        int rows = curves.Sum(c => c.AxialStrain.Length);
        sb.AppendLine(CultureInfo.InvariantCulture, $"Rows: {rows} ({curves.Min(c => c.AxialStrain.Length)}–{curves.Max(c => c.AxialStrain.Length)} per curve); final q/p {TextFile.F(curves.Min(c => c.FinalStressRatio), "F3")}–{TextFile.F(curves.Max(c => c.FinalStressRatio), "F3")} (η_f = {TextFile.F(parameters["eta_f"], "F3")}); final ε_v {TextFile.F(100 * curves.Min(c => c.VolumetricStrain[^1]), "F2")} … {TextFile.F(100 * curves.Max(c => c.VolumetricStrain[^1]), "F2")} %.");
        sb.AppendLine();
        sb.AppendLine("Figures: `family-q.png` (q–ε_a), `family-ev.png` (ε_v–ε_a), as paper Fig. 6. Data: `dh-triaxial-strain.csv` (+ `.json`), extra columns x_confining, x_p, x_q, x_eps_v, x_eps_q, x_eps_q_p.");
        TextFile.Write(Path.Combine(folder, "summary.md"), sb.ToString());
    }

    /// <summary>One synthetic sequence in geotechnical signs, read from the dataset's extra columns.</summary>
    private sealed record SyntheticCurve(double ConfiningPressure, double[] AxialStrain, double[] DeviatoricStress, double[] VolumetricStrain, double FinalStressRatio)
    {
        public static SyntheticCurve FromPath(DatasetPath path, DatasetInfo info)
        {
            int Col(string name) => info.ExtraColumns.ToList().IndexOf(name) is var i and >= 0 ? i
                : throw new ExperimentException($"the DH dataset has no column 'x_{name}' (expected the dh-sequences extra columns)");
            int conf = Col("confining"), q = Col("q"), ev = Col("eps_v"), p = Col("p");
            var rows = path.Rows;
            return new SyntheticCurve(rows[0].Extras[conf], [.. rows.Select(r => -r.Strain[1])], [.. rows.Select(r => r.Extras[q])],
                [.. rows.Select(r => r.Extras[ev])], rows[^1].Extras[q] / rows[^1].Extras[p]);
        }
    }
}
