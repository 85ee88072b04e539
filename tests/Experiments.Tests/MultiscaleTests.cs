using FemHost.Experiments.Multiscale;
using FemHost.MaterialData;
using Xunit;

namespace FemHost.Experiments.Tests;

/// <summary>The comparison arithmetic of the multiscale experiment (tools/Experiments/Multiscale) against closed forms.</summary>
public sealed class MultiscaleTests
{
    /// <summary>
    /// Truth: a model curve equal to the reference plus a constant c has RMS error |c|, whatever its own sampling, and
    /// only the reference points inside the model's range count (a run that stopped early is compared where it got to).
    /// </summary>
    [Fact]
    public void RmsErrorOfAShiftedCurveIsTheShiftOverTheOverlap()
    {
        double[] refX = [0.01, 0.02, 0.03, 0.04, 0.05];
        double[] refY = refX.Select(x => 100 + 2000 * x).ToArray();
        double[] modelX = [0.0, 0.015, 0.025, 0.035];
        double[] modelY = modelX.Select(x => 100 + 2000 * x + 7.5).ToArray();

        var (rms, points) = CurveComparison.RmsError(refX, refY, modelX, modelY);

        Assert.Equal(7.5, rms, 1e-9);
        Assert.Equal(3, points);
        Assert.True(double.IsNaN(CurveComparison.RmsError(refX, refY, [0.1, 0.2], [1, 2]).Rms));
    }

    /// <summary>
    /// Truth: the most compressive principal value of [[a11, a12], [a12, a22]] is ½(a11 + a22) − √(¼(a11 − a22)² + a12²);
    /// for a uniaxial compression rotated by any angle it is the compression itself.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.1)]
    public void MajorCompressionOfARotatedUniaxialStateIsItsMagnitude(double angle)
    {
        // σ = −200 n⊗n with n = (cos θ, sin θ) plus an isotropic −50.
        double c = Math.Cos(angle), s = Math.Sin(angle);
        double s11 = -50 - 200 * c * c, s22 = -50 - 200 * s * s, s12 = -200 * c * s;

        Assert.Equal(250, MultiscaleFigures.MajorCompression(s11, s22, s12), 1e-9);
    }

    /// <summary>
    /// Truth: √(σ:σ) of an isotropic −p is p√3 and of pure shear τ is τ√2; ε_q (paper eq. 12, 2D deviator) of a uniaxial
    /// strain ε and of a pure shear γ (engineering) are both |ε| and |γ|, and of an equal biaxial strain it is 0.
    /// </summary>
    [Fact]
    public void InvariantsOfKnownStatesAreTheirClosedForms()
    {
        Assert.Equal(100 * Math.Sqrt(3), MultiscaleFigures.StressNorm([-100, -100, -100, 0]), 1e-9);
        Assert.Equal(50 * Math.Sqrt(2), MultiscaleFigures.StressNorm([0, 0, 0, 50]), 1e-9);
        Assert.Equal(0.02, MultiscaleFigures.DeviatoricStrain([-0.02, 0, 0, 0]), 1e-12);
        Assert.Equal(0.03, MultiscaleFigures.DeviatoricStrain([0, 0, 0, 0.03]), 1e-12);
        Assert.Equal(0, MultiscaleFigures.DeviatoricStrain([0.01, 0.01, 0, 0]), 1e-15);
    }

    /// <summary>
    /// Truth: the full-size set-up runs the committed FD-HMM cases (cases/biaxial-dem-m1.yaml, -m2.yaml), so each
    /// preset's Newton residual tolerance and its DemRve parameters are the ones in its case file.
    /// </summary>
    [Theory]
    [InlineData("M1")]
    [InlineData("M2")]
    public void FullSetupToleranceIsTheCommittedCaseTolerance(string preset)
    {
        string repo = ExperimentContext.FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("no FemHost.sln above the test's folder");
        var lines = File.ReadAllLines(Path.Combine(repo, "cases", $"biaxial-dem-{preset.ToLowerInvariant()}.yaml"));
        string line = lines.Single(l => l.TrimStart().StartsWith("residual_tolerance:", StringComparison.Ordinal));
        double committed = double.Parse(line.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(committed, MultiscaleSetup.Full.ToleranceOf(preset));
        Assert.Equal(MultiscaleSetup.Quick.FdhmmTolerance, MultiscaleSetup.Quick.ToleranceOf(preset));

        string parameters = lines.Single(l => l.TrimStart().StartsWith("parameters:", StringComparison.Ordinal)).Split("parameters:")[1].Trim();
        string written = BiaxialCase.DemMaterial(preset, MultiscaleSetup.Full);
        Assert.EndsWith($"parameters: {parameters}}}", written, StringComparison.Ordinal);
    }

    /// <summary>
    /// Truth: the robust-surrogate settings of the set-up reach the trainer as written: <c>jacobian_weight</c> in the
    /// training (and pre-training) of both NN1 jobs only, <c>network.tangent_form</c> for both NN2 jobs only, and every
    /// config is one the trainer itself accepts.
    /// </summary>
    [Fact]
    public void RobustSurrogateSettingsReachTheTrainerConfigs()
    {
        string folder = Directory.CreateTempSubdirectory("femhost-ms-configs-").FullName;
        try
        {
            var setup = MultiscaleSetup.Quick with { JacobianWeight = 0.7, TangentForm = "cholesky" };
            foreach (var job in SurrogateTraining.Jobs)
            {
                string file = SurrogateTraining.WriteConfig(folder, job, Path.Combine(folder, "m1.csv"), Path.Combine(folder, "m2.csv"), setup);
                var config = FemHost.NeuralTrainer.TrainerConfig.Load(file);
                bool stress = job.Role == "stress";
                Assert.Equal(stress ? 0.7 : 0, config.Training.JacobianWeight);
                Assert.Equal(stress && job.Scheme != "scratch" ? 0.7 : 0, config.Pretraining?.JacobianWeight ?? 0);
                Assert.Equal(stress ? FemHost.NeuralTrainer.TangentForm.Direct : FemHost.NeuralTrainer.TangentForm.Cholesky, config.Network.TangentForm);
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>
    /// Truth: the full set-up writes its solver choice for an approximate tangent into the NN2 runs only
    /// (<c>method: bfgs</c>; the jacobian runs and the FD-HMM runs keep the default Newton, no line written, so an
    /// FD-HMM case and its completed marker stay as they were) and its φ smoothing into every neural material.
    /// </summary>
    [Theory]
    [InlineData("approximate", "bfgs")]
    [InlineData("consistent", "newton")]
    public void NeuralCasesCarryTheSetupsMethodAndPhiSmoothing(string tangent, string method)
    {
        string folder = Directory.CreateTempSubdirectory("femhost-ms-cases-").FullName;
        try
        {
            var setup = MultiscaleSetup.Full;
            string path = Path.Combine(folder, "case.yaml");
            string material = BiaxialCase.NeuralMaterial("nn1.json", "nn2.json", tangent, setup);
            BiaxialCase.Write(path, "n", setup, material, 1e-2, setup.MethodFor(tangent));
            var lines = File.ReadAllLines(path);
            Assert.Equal(method == "bfgs" ? 1 : 0, lines.Count(l => l.Trim() == "method: bfgs"));
            Assert.DoesNotContain(lines, l => l.Trim() == "method: newton");
            string smoothing = material.Split("phi_smoothing:")[1].TrimEnd('}').Trim();
            Assert.Equal(setup.PhiSmoothing, double.Parse(smoothing, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>
    /// Truth: the host logs converged increments only; the training copy of a log starts every path with the exact
    /// initial state (step 0, ε = φ = 0, σ = −p0 on the normal components, no shear) and keeps every logged row.
    /// </summary>
    [Fact]
    public void InitialStateRowIsPrependedToEveryPath()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"femhost-initial-rows-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var info = new DatasetInfo { Hypothesis = DatasetHypothesis.PlaneStrain, HasTangent = true, Source = new DatasetSource("test", "none", new Dictionary<string, object>()) };
            string log = Path.Combine(folder, "points-all.csv");
            using (var writer = new PathDatasetWriter(log, info))
            {
                var tangent = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
                foreach (int path in new[] { 3, 7 })
                {
                    for (int step = 1; step <= 2; step++)
                    {
                        writer.WriteRow(path, step, 0.5 * step, [-0.001 * step, 0.0005 * step, 0, 0], [0.001 * step, 0.0005 * step, 0, 0],
                            [-110.0 * step, -100, -105, 1], tangent, []);
                    }
                }

                writer.Complete();
            }

            string output = Path.Combine(folder, "m2-points.csv");
            InitialStateRows.Write(log, output, 100);
            var data = PathDatasetReader.Read(output);

            Assert.Equal(2, data.Paths.Count);
            foreach (var path in data.Paths)
            {
                Assert.Equal([0, 1, 2], path.Rows.Select(r => r.Step));
                var first = path.Rows[0];
                Assert.All(first.Strain, e => Assert.Equal(0, e));
                Assert.All(first.Phi, p => Assert.Equal(0, p));
                Assert.Equal([-100, -100, -100, 0], first.Stress);
                Assert.Equal(path.Rows[1].Tangent, first.Tangent);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
