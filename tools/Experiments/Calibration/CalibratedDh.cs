using System.Text.Json;
using System.Text.Json.Nodes;
using FemHost.Experiments.Reporting;
using FemHost.Materials.DhModel;

namespace FemHost.Experiments.Calibration;

/// <summary>
/// <c>calibrated-dh.json</c>, the hand-over from <c>calibrate</c> to <c>pretrain</c>: the DH parameters by their
/// plug-in names (the names <c>dh-sequences --set</c> and case files use), the fit residuals, and the elastic
/// constants they imply at p = p_a.
/// </summary>
public static class CalibratedDh
{
    /// <summary>File name inside the calibrate folder.</summary>
    public const string FileName = "calibrated-dh.json";

    /// <summary>The names of the fitted parameters, in the order of the paper (§3.1).</summary>
    public static IReadOnlyList<string> FittedNames { get; } = ["K0", "G0", "n", "A", "eta_c", "eta_f"];

    /// <summary>Writes the file.</summary>
    public static void Write(string path, CalibrationResult fit, IReadOnlyList<LabCurve> curves, string labDataset)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(curves);
        var c = fit.Constants;
        var (k, g, nu) = ElasticAt(c, c.Pa);
        var parameters = new JsonObject();
        foreach (var (name, value) in c.ToDictionary())
        {
            parameters[name] = JsonValue.Create((double)value);
        }

        var initial = new JsonObject();
        foreach (var name in FittedNames)
        {
            initial[name] = JsonValue.Create((double)fit.Initial.ToDictionary()[name]);
        }

        var doc = new JsonObject
        {
            ["format"] = "femhost-dh-calibration",
            ["version"] = 1,
            ["parameters"] = parameters,
            ["fitted"] = new JsonArray([.. FittedNames.Select(n => JsonValue.Create(n))]),
            ["initial_guess"] = initial,
            ["fit"] = new JsonObject
            {
                ["method"] = "bounded Levenberg-Marquardt (MathNet) on q/sigma3 and eps_v/s_v residuals vs axial strain",
                ["rms_q_over_sigma3"] = fit.RmsStressRatio,
                ["rms_eps_v"] = fit.RmsVolumetricStrain,
                ["cost"] = fit.Cost,
                ["volumetric_scale_s_v"] = fit.VolumetricScale,
                ["iterations"] = fit.Iterations,
                ["exit_reason"] = fit.ExitReason,
            },
            ["elastic_at_p_a"] = new JsonObject { ["p_kPa"] = c.Pa, ["K_kPa"] = k, ["G_kPa"] = g, ["poisson_ratio"] = nu },
            ["data"] = new JsonObject
            {
                ["dataset"] = labDataset,
                ["confining_pressures_kPa"] = new JsonArray([.. curves.Select(x => JsonValue.Create(x.ConfiningPressure))]),
            },
            ["created_utc"] = DateTime.UtcNow.ToString("O"),
        };
        TextFile.Write(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads the DH parameters of a calibration file (by plug-in name); a clear error names the file when it is malformed.</summary>
    public static IReadOnlyDictionary<string, double> ReadParameters(string path)
    {
        try
        {
            var doc = JsonNode.Parse(File.ReadAllText(path))?.AsObject();
            if (doc?["format"]?.GetValue<string>() != "femhost-dh-calibration" || doc["parameters"] is not JsonObject p)
            {
                throw new ExperimentException($"'{path}' is not a DH calibration file: expected format 'femhost-dh-calibration' with a 'parameters' object (written by the calibrate experiment).");
            }

            return p.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ExperimentException($"'{path}' could not be read as a DH calibration file: {e.Message}. Run the calibrate experiment again.", e);
        }
    }

    /// <summary>K, G and Poisson's ratio ν = (3K − 2G)/(6K + 2G) at mean stress p.</summary>
    public static (double K, double G, double Nu) ElasticAt(DhConstants c, double p)
    {
        ArgumentNullException.ThrowIfNull(c);
        double k = c.BulkModulus(p), g = c.ShearModulus(p);
        return (k, g, (3 * k - 2 * g) / (6 * k + 2 * g));
    }
}
