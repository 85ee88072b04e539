using System.Globalization;
using System.Text;
using FemHost.Experiments.Reporting;
using FemHost.MaterialData;
using FemHost.Materials.DhModel;

namespace FemHost.Experiments.Calibration;

/// <summary>
/// Paper §3.1, Fig. 5: drained biaxial tests of the DEM RVE (virtual laboratory, material M1) at several confining
/// pressures, then a least-squares fit of the DH constants to their q–ε_a and ε_v–ε_a curves
/// (<see cref="DhCalibration"/>). Writes <c>dem-lab.csv</c>, <c>calibrated-dh.json</c>, <c>curves.csv</c>, the
/// figures <c>calibration-q.png</c> and <c>calibration-ev.png</c>, and <c>summary.md</c>.
/// </summary>
public sealed class CalibrateExperiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "calibrate";

    /// <inheritdoc/>
    public string Summary => "DEM virtual lab (drained biaxial, M1) and least-squares fit of the DH constants (paper §3.1, Fig. 5)";

    /// <summary>Lab sizes of a mode.</summary>
    internal static (int Particles, double[] Pressures, int Records) Sizes(ExperimentMode mode) => mode == ExperimentMode.Quick
        ? (200, [50, 100, 200, 400], 60)
        : (500, [50, 100, 200, 400], 100);

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string folder = ctx.FolderOf(Name);
        var (particles, pressures, records) = Sizes(ctx.Mode);
        string lab = Path.Combine(folder, "dem-lab.csv");
        var labArgs = new List<string>
        {
            "lab", "biaxial", "--preset", "M1", "--particles", particles.ToString(CultureInfo.InvariantCulture),
            "--pressures", string.Join(',', pressures.Select(p => p.ToString(CultureInfo.InvariantCulture))),
            "--strain", "0.12", "--records", records.ToString(CultureInfo.InvariantCulture), "--out", lab,
        };
        ctx.Timings.Time(Name, "dem-lab", () => ctx.RunTool(ctx.DemLab, labArgs, folder, "dem-lab"));

        // Bulk modulus from an isotropic compression test (paper §3.1), through the host's point driver.
        string driver = Path.Combine(folder, "dem-isotropic.yaml");
        string isoCsv = Path.Combine(folder, "dem-isotropic.csv");
        TextFile.Write(driver, IsotropicCompression.DriverYaml(particles, Path.GetFileName(isoCsv)));
        ctx.Timings.Time(Name, "dem-isotropic", () => ctx.RunTool(ctx.FemHost, ["point", driver, "--output", isoCsv], folder, "dem-isotropic"));
        var (pIso, evIso) = IsotropicCompression.ReadPointCsv(isoCsv);
        var paper = new DhConstants();
        var bulk = IsotropicCompression.Fit(pIso, evIso, paper.Pa);

        var curves = LabCurve.FromDataset(PathDatasetReader.Read(lab));
        var template = paper with { K0 = bulk.K0, N = bulk.N };
        var fit = ctx.Timings.Time(Name, "fit", () => DhCalibration.Fit(curves, template, fixBulk: true));
        CalibratedDh.Write(Path.Combine(folder, CalibratedDh.FileName), fit, curves, lab);
        var paperFit = DhCalibration.Misfit(paper, curves);
        WriteCurves(folder, curves, fit.Constants);
        PlotBulk(folder, bulk, fit.Constants);
        WriteSummary(folder, ctx, curves, fit, paper, paperFit, particles, $"demrve-bench {string.Join(' ', labArgs)}", bulk);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  calibrated: K0={fit.Constants.K0:G4} G0={fit.Constants.G0:G4} n={fit.Constants.N:G3} A={fit.Constants.A:G3} eta_c={fit.Constants.EtaC:G3} eta_f={fit.Constants.EtaF:G3}; RMS q/sigma3 {fit.RmsStressRatio:G3}, RMS eps_v {fit.RmsVolumetricStrain:G3}"));
    }

    private static void WriteCurves(string folder, IReadOnlyList<LabCurve> curves, DhConstants fitted)
    {
        var rows = new List<double[]>();
        var q = new Figure("DH (lines) vs DEM (markers): deviatoric stress", "axial strain ε_a (%)", "q = σ_a − σ_r (kPa)");
        var ev = new Figure("DH (lines) vs DEM (markers): volumetric strain", "axial strain ε_a (%)", "ε_v (%, compression positive)");
        for (int k = 0; k < curves.Count; k++)
        {
            var c = curves[k];
            var (qDh, evDh) = DhTriaxialResponse.At(fitted, c);
            for (int i = 0; i < c.Count; i++)
            {
                rows.Add([c.ConfiningPressure, c.AxialStrain[i], c.DeviatoricStress[i], qDh[i], c.VolumetricStrain[i], evDh[i]]);
            }

            var ea = c.AxialStrain.Select(e => 100 * e).ToArray();
            string label = $"σ3 = {c.ConfiningPressure:F0} kPa";
            q.Markers(ea, c.DeviatoricStress, k, label).Line(ea, qDh, k);
            ev.Markers(ea, c.VolumetricStrain.Select(e => 100 * e).ToArray(), k, label).Line(ea, evDh.Select(e => 100 * e).ToArray(), k);
        }

        TextFile.WriteCsv(Path.Combine(folder, "curves.csv"), ["sigma3_kPa", "eps_a", "q_dem_kPa", "q_dh_kPa", "eps_v_dem", "eps_v_dh"], rows);
        q.Save(Path.Combine(folder, "calibration-q.png"));
        ev.Save(Path.Combine(folder, "calibration-ev.png"));
    }

    private static void PlotBulk(string folder, BulkFit bulk, DhConstants fitted)
    {
        var p = bulk.Points.Select(t => t.P).ToArray();
        new Figure("Bulk modulus of the DEM RVE under isotropic compression", "mean stress p (kPa)", "K = Δp/Δε_v (MPa)")
            .Markers(p, [.. bulk.Points.Select(t => t.K / 1e3)], 0, "DEM (femhost point)")
            .Line(p, [.. p.Select(x => fitted.BulkModulus(x) / 1e3)], 1, $"K = K0 p_a (p/p_a)^n, K0 = {bulk.K0:G4}, n = {bulk.N:G3}")
            .Save(Path.Combine(folder, "bulk-modulus.png"));
    }

    private static void WriteSummary(string folder, ExperimentContext ctx, IReadOnlyList<LabCurve> curves, CalibrationResult fit,
        DhConstants paper, (double Q, double V) paperFit, int particles, string labCommand, BulkFit bulk)
    {
        var c = fit.Constants;
        var (k, g, nu) = CalibratedDh.ElasticAt(c, c.Pa);
        var (kp, gp, nup) = CalibratedDh.ElasticAt(paper, paper.Pa);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Calibration of the DH model to the DEM virtual lab ({ctx.Mode.ToString().ToLowerInvariant()} mode)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"DEM: drained biaxial compression of a {particles}-disk M1 RVE (dense), constant lateral stress σ3 = {string.Join(", ", curves.Select(x => TextFile.F(x.ConfiningPressure, "F0")))} kPa, to 12 % axial strain (`{labCommand}`).");
        sb.AppendLine("DH: drained triaxial compression at the same σ3, driven through the plug-in's return mapping at the lab's axial strains (substeps ≤ 5e-4).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Bulk modulus (paper §3.1: isotropic compression test): the same RVE consolidated to 25 kPa and loaded isotropically to 1000 kPa in 39 steps (`femhost point dem-isotropic.yaml`); ln(Δp/Δε_v) vs ln(p/p_a) over {bulk.Points.Count} steps gives K0 = {TextFile.F(bulk.K0)}, n = {TextFile.F(bulk.N, "F3")} (K from {TextFile.F(bulk.Points.Min(t => t.K) / 1e3, "F1")} to {TextFile.F(bulk.Points.Max(t => t.K) / 1e3, "F1")} MPa; 2D bulk modulus of the disk packing, p = (σ11 + σ22)/2, ε_v = ε11 + ε22). Figure: `bulk-modulus.png`.");
        sb.AppendLine("Fit: bounded Levenberg–Marquardt (MathNet) of G0, A, η_c, η_f (K0 and n fixed from the isotropic test) on the residuals (q_DH − q_DEM)/σ3 and (ε_v,DH − ε_v,DEM)/s_v at every recorded row, p_a = 101.4 kPa; start from the paper's graphical procedure (§3.1).");
        sb.AppendLine();
        sb.AppendLine("| parameter | paper / default | initial guess | calibrated |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        var dp = paper.ToDictionary();
        var di = fit.Initial.ToDictionary();
        var dc = c.ToDictionary();
        foreach (var name in CalibratedDh.FittedNames)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {TextFile.F((double)dp[name])} | {TextFile.F((double)di[name])} | {TextFile.F((double)dc[name])} |");
        }

        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Elastic constants at p = p_a = {TextFile.F(c.Pa)} kPa: calibrated K = {TextFile.F(k / 1e3, "F1")} MPa, G = {TextFile.F(g / 1e3, "F1")} MPa, ν = {TextFile.F(nu, "F3")}; paper constants in our form: K = {TextFile.F(kp / 1e3, "F2")} MPa, G = {TextFile.F(gp / 1e3, "F2")} MPa, ν = {TextFile.F(nup, "F2")} (docs/dh-model.md).");
        sb.AppendLine();
        sb.AppendLine("| fit measure | paper / default constants | calibrated |");
        sb.AppendLine("| --- | ---: | ---: |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| RMS (q_DH − q_DEM)/σ3 | {TextFile.F(paperFit.Q, "F3")} | {TextFile.F(fit.RmsStressRatio, "F3")} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| RMS ε_v,DH − ε_v,DEM (%) | {TextFile.F(100 * paperFit.V, "F2")} | {TextFile.F(100 * fit.RmsVolumetricStrain, "F2")} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Optimiser: {fit.Iterations} iterations, exit: {fit.ExitReason}; s_v = {TextFile.F(fit.VolumetricScale)}.");
        var atBounds = DhCalibration.AtBounds(c, fixBulk: true);
        if (atBounds.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"On a bound of the search box (the curves do not pin them inside it): {string.Join(", ", atBounds)}.");
            if (atBounds.Contains("A"))
            {
                sb.AppendLine("A at a bound: the DEM mobilises its strength within the first recorded strain interval, so the hardening is sharper (or flatter) than the records resolve.");
            }

        }
        sb.AppendLine();
        sb.AppendLine("Peak and residual stress ratio of the DEM tests (η = q/p with the triaxial p = σ3 + q/3, as the DH model reads it):");
        sb.AppendLine();
        sb.AppendLine("| σ3 (kPa) | η peak | ε_a at peak (%) | η at 12 % | ε_v at 12 % (%) |");
        sb.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var x in curves)
        {
            var eta = x.DeviatoricStress.Select(q => q / (x.ConfiningPressure + q / 3)).ToArray();
            int peak = Array.IndexOf(eta, eta.Max());
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {TextFile.F(x.ConfiningPressure, "F0")} | {TextFile.F(eta[peak], "F3")} | {TextFile.F(100 * x.AxialStrain[peak], "F2")} | {TextFile.F(eta[^1], "F3")} | {TextFile.F(100 * x.VolumetricStrain[^1], "F2")} |");
        }

        sb.AppendLine();
        sb.AppendLine("The DH model hardens monotonically to η_f (eq. A-2) and cannot soften, so the fit passes between the DEM's peak and residual strength; the DEM dilates (ε_v < 0) after a short contraction, which η_c < η sets in the DH flow rule (dilatancy η_c − η).");
        sb.AppendLine();
        sb.AppendLine("Figures: `calibration-q.png` (q–ε_a), `calibration-ev.png` (ε_v–ε_a). Data: `dem-lab.csv` (DEM), `curves.csv` (DEM and DH per row), `calibrated-dh.json` (all DH parameters by plug-in name).");
        TextFile.Write(Path.Combine(folder, "summary.md"), sb.ToString());
    }
}
