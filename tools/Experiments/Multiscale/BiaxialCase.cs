using System.Globalization;
using System.Text;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// Writes the reference biaxial shear case (paper §5.3, Fig. 16; cases/biaxial-dem-m2.yaml) for one material:
/// 0.5 m × 1 m, Q8 with 3 × 3 Gauss points, bottom fixed, top platen rough (u_x = 0) pushed down by a ramp,
/// 100 kPa on both lateral edges, initial isotropic stress 100 kPa, point log of every Gauss point at every
/// converged increment, curves of the top reaction and the specimen's volumetric strain. One writer for the
/// FD-HMM and the neural runs, so every run of the comparison solves the same BVP.
/// </summary>
public static class BiaxialCase
{
    /// <summary>The material block of an FD-HMM run: a DEM RVE of preset <paramref name="preset"/> (M1 or M2) at every Gauss point, relaxed RVE tangent.</summary>
    public static string DemMaterial(string preset, MultiscaleSetup setup) =>
        $"{{model: DemRve, tangent: approximate, parameters: {{preset: {preset}, particles: {setup.Particles}, seed: 1, preparation: dense, tangentMethod: relaxed" +
        (setup.DemParameters.Length > 0 ? $", {setup.DemParameters}" : "") + "}}";

    /// <summary>
    /// The material block of a neural run: NN1 (stress) and NN2 (tangent) model files, relative to the case file;
    /// <paramref name="tangent"/> is <c>consistent</c> (exact Jacobian of NN1, the paper's "jacobian") or
    /// <c>approximate</c> (NN2, the paper's choice); φ smoothed over the set-up's δ.
    /// </summary>
    public static string NeuralMaterial(string nn1, string nn2, string tangent, MultiscaleSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{model: NeuralSurrogate, tangent: {tangent}, parameters: {{nn1_model: {nn1}, nn2_model: {nn2}, phi_smoothing: {setup.PhiSmoothing:0.0#####E+0}}}}}");
    }

    /// <summary>
    /// Writes the case to <paramref name="path"/>; where its results go is the command line's choice (`femhost run CASE --output DIR`).
    /// <paramref name="method"/> is the case's <c>solver.method</c>, written only when it is not the default (Newton).
    /// </summary>
    public static void Write(string path, string name, MultiscaleSetup setup, string material, double tolerance, string method = "newton")
    {
        ArgumentNullException.ThrowIfNull(setup);
        var c = CultureInfo.InvariantCulture;
        var yaml = new StringBuilder();
        yaml.AppendLine($"# Written by femhost-experiments multiscale: the biaxial shear test of Qu et al. (2023, section 5.3).");
        yaml.AppendLine($"name: {name}");
        yaml.AppendLine();
        yaml.AppendLine("mesh:");
        yaml.AppendLine($"  rectangle: {{width: 0.5, height: 1.0, nx: {setup.ElementsX}, ny: {setup.ElementsY}}}");
        yaml.AppendLine();
        yaml.AppendLine("materials:");
        yaml.AppendLine($"  soil: {material}");
        yaml.AppendLine();
        yaml.AppendLine("regions:");
        yaml.AppendLine("  all: soil");
        yaml.AppendLine();
        yaml.AppendLine("boundary_conditions:");
        yaml.AppendLine("  - {set: bottom, ux: 0, uy: 0}");
        yaml.AppendLine(string.Create(c, $"  - {{set: top, ux: 0, uy: {-setup.FinalAxialStrain:R}, history: ramp}}"));
        yaml.AppendLine();
        yaml.AppendLine("loads:");
        yaml.AppendLine("  edges:");
        yaml.AppendLine("    - {edge: left, pressure: 100, history: constant}");
        yaml.AppendLine("    - {edge: right, pressure: 100, history: constant}");
        yaml.AppendLine();
        yaml.AppendLine("initial_stress:");
        yaml.AppendLine("  - {isotropic: -100}");
        yaml.AppendLine();
        yaml.AppendLine("steps:");
        yaml.AppendLine($"  count: {setup.Steps}");
        yaml.AppendLine("  max_cutbacks: 8");
        yaml.AppendLine();
        yaml.AppendLine("solver:");
        yaml.AppendLine(string.Create(c, $"  residual_tolerance: {tolerance:R}"));
        yaml.AppendLine(string.Create(c, $"  displacement_tolerance: {tolerance:R}"));
        yaml.AppendLine("  max_iterations: 40");
        yaml.AppendLine($"  predictor: {setup.Predictor}");
        if (method != "newton")
        {
            yaml.AppendLine($"  method: {method}");
        }
        yaml.AppendLine();
        yaml.AppendLine("output:");
        yaml.AppendLine($"  every: {setup.FieldEvery}");
        yaml.AppendLine("  point_log: true");
        yaml.AppendLine("  curves:");
        yaml.AppendLine("    - {name: top_force, kind: reaction_y, set: top}");
        yaml.AppendLine("    - {name: volumetric_strain, kind: volumetric_strain}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, yaml.ToString());
    }
}
