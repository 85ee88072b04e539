using System.Globalization;
using System.Xml.Linq;

namespace FemHost.Experiments.Multiscale;

/// <summary>
/// The results folder of one <c>femhost run</c> of the biaxial case, read back: the curves (top reaction force
/// and volumetric strain against the load factor, <c>curves.csv</c>), the Newton iterations of each step
/// (<c>newton.csv</c>), the field files by load factor (<c>NAME.pvd</c>) and the Gauss-point log
/// (<c>points-all.csv</c>). A run that stopped early (an increment failed after every cut-back) keeps the steps
/// it completed; <see cref="Completed"/> tells.
/// </summary>
public sealed class FemRun
{
    private FemRun(string label, string folder, double finalAxialStrain, List<double[]> curves, List<(int Step, int Iterations)> newton,
        List<(double Lambda, string File)> fields, int stepCount)
    {
        (Label, Folder, FinalAxialStrain, _curves, NewtonPerStep, Fields, StepCount) = (label, folder, finalAxialStrain, curves, newton, fields, stepCount);
    }

    private readonly List<double[]> _curves;

    /// <summary>Name of the run in figures and tables.</summary>
    public string Label { get; }

    /// <summary>The results folder.</summary>
    public string Folder { get; }

    /// <summary>Axial strain at load factor 1.</summary>
    public double FinalAxialStrain { get; }

    /// <summary>Load steps the case asked for.</summary>
    public int StepCount { get; }

    /// <summary>Steps completed.</summary>
    public int StepsCompleted => _curves.Count;

    /// <summary>True when every step completed.</summary>
    public bool Completed => StepsCompleted >= StepCount;

    /// <summary>Axial strain (compression positive) of each completed step; the initial state (0) first.</summary>
    public double[] AxialStrain => [0, .. _curves.Select(r => r[1] * FinalAxialStrain)];

    /// <summary>
    /// Top reaction force in kN per metre of thickness, compression positive, at each completed step; first the initial
    /// state, in equilibrium with the isotropic initial stress: 100 kPa × 0.5 m = 50 kN/m (not recorded by the host).
    /// </summary>
    public double[] TopForce => [InitialTopForce, .. _curves.Select(r => -r[2])];

    /// <summary>The top force of the initial state: initial pressure 100 kPa times the specimen width 0.5 m.</summary>
    public const double InitialTopForce = 100 * 0.5;

    /// <summary>Volumetric strain of the specimen, dilation positive (tension-positive strain), the initial state (0) first.</summary>
    public double[] VolumetricStrain => [0, .. _curves.Select(r => r[3])];

    /// <summary>Newton iterations summed over the increments of each completed step (cut-backs included).</summary>
    public IReadOnlyList<(int Step, int Iterations)> NewtonPerStep { get; }

    /// <summary>The .vtu files by load factor.</summary>
    public IReadOnlyList<(double Lambda, string File)> Fields { get; }

    /// <summary>The Gauss-point log (femhost-path-dataset).</summary>
    public string PointLog => Path.Combine(Folder, "points-all.csv");

    /// <summary>The .vtu whose load factor is nearest to that of <paramref name="axialStrain"/>.</summary>
    public string FieldAt(double axialStrain)
    {
        if (Fields.Count == 0)
        {
            throw new ExperimentException($"run '{Label}' wrote no .vtu files in '{Folder}'");
        }

        double lambda = axialStrain / FinalAxialStrain;
        return Fields.MinBy(f => Math.Abs(f.Lambda - lambda)).File;
    }

    /// <summary>
    /// Reads the folder of a run of <paramref name="stepCount"/> steps to <paramref name="finalAxialStrain"/>. With
    /// <paramref name="required"/> false a run that completed no step (no curves.csv) reads as zero steps instead of an error.
    /// </summary>
    public static FemRun Read(string label, string folder, int stepCount, double finalAxialStrain, bool required = true)
    {
        string curvesFile = Path.Combine(folder, "curves.csv");
        if (!File.Exists(curvesFile) && !required)
        {
            return new FemRun(label, folder, finalAxialStrain, [], [], [], stepCount);
        }

        if (!File.Exists(curvesFile))
        {
            throw new ExperimentException($"run '{label}': '{curvesFile}' is missing; expected the results folder of a 'femhost run' of the biaxial case (curves top_force, volumetric_strain)");
        }

        var c = CultureInfo.InvariantCulture;
        var lines = File.ReadAllLines(curvesFile);
        var header = lines[0].Split(',');
        int iLambda = Array.IndexOf(header, "lambda"), iForce = Array.IndexOf(header, "top_force"), iVol = Array.IndexOf(header, "volumetric_strain");
        if (iLambda < 0 || iForce < 0 || iVol < 0)
        {
            throw new ExperimentException($"run '{label}': '{curvesFile}' lacks the columns lambda, top_force, volumetric_strain (header: {lines[0]})");
        }

        var curves = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => new[] { double.Parse(f[0], c), double.Parse(f[iLambda], c), double.Parse(f[iForce], c), double.Parse(f[iVol], c) })
            .ToList();

        var newton = new List<(int, int)>();
        string newtonFile = Path.Combine(folder, "newton.csv");
        if (File.Exists(newtonFile))
        {
            // increment,step,lambda,dlambda,iteration,residual,correction: one row per iteration.
            newton = File.ReadAllLines(newtonFile).Skip(1).Where(l => l.Length > 0)
                .Select(l => int.Parse(l.Split(',')[1], c))
                .GroupBy(s => s).Select(g => (g.Key, g.Count())).ToList();
        }

        var fields = new List<(double, string)>();
        var pvd = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.pvd").FirstOrDefault() : null;
        if (pvd is not null)
        {
            fields = XDocument.Load(pvd).Descendants("DataSet")
                .Select(d => (double.Parse((string)d.Attribute("timestep")!, c), Path.Combine(folder, (string)d.Attribute("file")!)))
                .Where(f => File.Exists(f.Item2)).ToList();
        }

        return new FemRun(label, folder, finalAxialStrain, curves, newton, fields, stepCount);
    }
}
