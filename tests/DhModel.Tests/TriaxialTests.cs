using FemHost.Materials.DhModel;
using Xunit;

namespace FemHost.Materials.DhModel.Tests;

/// <summary>Drained triaxial behaviour of the DH model and the paper's sequence generator (§3.2.1, Algorithm 1).</summary>
public class TriaxialTests
{
    private static readonly DhConstants C = new();

    /// <summary>
    /// Truth (paper §3.2.1): stress-controlled paths start isotropic at σ3, step dp = 0.3, dq = 0.9 kPa (constant
    /// confining pressure: q = 3(p − σ3)) and stop once ε_q &gt; 0.25 or after 2500 steps.
    /// </summary>
    [Fact]
    public void GeneratorFollowsThePaperStressPathAndStoppingRule()
    {
        var gen = new StressControlledTriaxial(C);
        foreach (double s3 in new[] { 25.0, 100.0, 1000.0 })
        {
            var path = gen.Run(s3);
            Assert.Equal(s3, path.P[0]);
            Assert.Equal(0.0, path.Q[0]);
            Assert.InRange(path.Count - 1, 1, 2500);
            for (int i = 1; i < path.Count; i++)
            {
                Assert.Equal(s3 + 0.3 * i, path.P[i], 9);
                Assert.Equal(0.9 * i, path.Q[i], 9);
                Assert.True(path.DeviatoricStrain[i - 1] <= 0.25);
            }

            bool hitStrain = path.DeviatoricStrain[^1] > 0.25;
            bool hitSteps = path.Count - 1 == 2500;
            bool hitFailure = (path.Q[^1] + 0.9) / (path.P[^1] + 0.3) >= C.EtaF;
            Assert.True(hitStrain || hitSteps || hitFailure);
        }
    }

    /// <summary>
    /// Truth: the stress ratio η = q/p tends to η_f under strain control; the plastic volumetric
    /// strain contracts (dε_v^p &gt; 0) while η &lt; η_c and dilates above, with dilatancy dε_v^p/dε_q^p = η_c − η;
    /// the total volume, whose elastic part keeps compressing as p grows, ends up dilating near failure.
    /// </summary>
    [Fact]
    public void StressRatioTendsToFailureLineWithContractionThenDilation()
    {
        var path = new StrainControlledTriaxial(C) { AxialStrainIncrement = 5e-4, MaxSteps = 2000 }.Run(100);
        double etaEnd = path.Q[^1] / path.P[^1];
        Assert.InRange(etaEnd, 0.97 * C.EtaF, C.EtaF);
        int contracting = 0, dilating = 0;
        double previousPlastic = 0;
        for (int i = 1; i < path.Count; i++)
        {
            double eta = path.Q[i] / path.P[i];
            double elastic = (Math.Pow(path.P[i], 1 - C.N) - Math.Pow(100, 1 - C.N)) / ((1 - C.N) * C.BulkFactor);
            double plastic = path.VolumetricStrain[i] - elastic;
            double dEvp = plastic - previousPlastic;
            double dEqp = path.PlasticShearStrain[i] - path.PlasticShearStrain[i - 1];
            previousPlastic = plastic;
            if (dEqp <= 0)
            {
                continue;
            }

            // Backward Euler evaluates the dilatancy at the end of the step: dε_v^p = (η_c − η_{n+1}) dε_q^p.
            Assert.Equal(C.EtaC - C.Eta(path.PlasticShearStrain[i]), dEvp / dEqp, 6);
            if (eta < 0.99 * C.EtaC)
            {
                contracting++;
                Assert.True(dEvp > 0);
            }
            else if (eta > 1.01 * C.EtaC)
            {
                dilating++;
                Assert.True(dEvp < 0);
            }
        }

        Assert.True(contracting > 3 && dilating > 100, $"{contracting} contracting and {dilating} dilating steps");
        Assert.True(path.VolumetricStrain[^1] < path.VolumetricStrain[^2], "the specimen dilates near failure");
    }

    /// <summary>
    /// Truth: the stress-controlled generator (exact integral of the p–q relations) and the strain-driven tensor
    /// integration (backward-Euler return mapping, 3D, mixed control) describe the same model, so driving the
    /// latter along the generator's axial strains reproduces q and ε_v. Each generator step is split into 4
    /// strain increments; the remaining difference is the first-order error of backward Euler, largest in the
    /// last steps before failure where ε_q grows fastest. Tolerance: 0.1 % of the final q and 1 % of max |ε_v| (measured: 8e-5 and 5.8e-3 at σ3 = 50 kPa).
    /// </summary>
    [Theory]
    [InlineData(50.0)]
    [InlineData(400.0)]
    public void GeneratorAndStrainDrivenIntegrationAgree(double s3)
    {
        const int split = 4;
        var gen = new StressControlledTriaxial(C).Run(s3);
        var axial = new List<double>();
        for (int i = 1; i < gen.Count; i++)
        {
            for (int k = 1; k <= split; k++)
            {
                axial.Add(gen.AxialStrain(i - 1) + (gen.AxialStrain(i) - gen.AxialStrain(i - 1)) * k / split);
            }
        }

        var fem = new StrainControlledTriaxial(C).Follow(s3, axial);
        Assert.Equal(axial.Count + 1, fem.Count);
        double qScale = gen.Q[^1], evScale = gen.VolumetricStrain.Max(Math.Abs);
        double qErr = 0, evErr = 0;
        for (int i = 0; i < gen.Count; i++)
        {
            int j = i * split;
            qErr = Math.Max(qErr, Math.Abs(fem.Q[j] - gen.Q[i]) / qScale);
            evErr = Math.Max(evErr, Math.Abs(fem.VolumetricStrain[j] - gen.VolumetricStrain[i]) / evScale);
            Assert.Equal(s3, fem.P[j] - fem.Q[j] / 3, 6); // σ_r held at σ3 by the mixed control
        }

        Assert.True(qErr < 1e-3, $"max relative q difference {qErr:E2}");
        Assert.True(evErr < 1e-2, $"max relative ε_v difference {evErr:E2}");
    }

    /// <summary>Truth: the family spans the requested confining pressures evenly, one path each.</summary>
    [Fact]
    public void FamilySpansConfiningPressures()
    {
        var s3 = TriaxialFamily.ConfiningPressures(25, 1000, 450);
        Assert.Equal(450, s3.Length);
        Assert.Equal(25, s3[0]);
        Assert.Equal(1000, s3[^1], 9);
        var paths = TriaxialFamily.Generate(s3[..5], new StressControlledTriaxial(C).Run);
        Assert.Equal(s3[..5], paths.Select(p => p.ConfiningPressure));
    }
}

/// <summary>Export of DH sequences to the shared dataset format.</summary>
public sealed class TriaxialExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dhexport-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Truth: the exported dataset reads back with the documented layout (3D, axial direction 2, tension positive):
    /// σ22 = −(p + 2q/3), σ11 = σ33 = −σ3, ε_v = −tr ε, φ = Σ|Δε| (eq. 5), one path per confining pressure.
    /// </summary>
    [Fact]
    public void ExportedSequencesReadBackConsistently()
    {
        var c = new DhConstants();
        var paths = TriaxialFamily.Generate([50.0, 200.0], new StressControlledTriaxial(c) { MaxSteps = 200 }.Run);
        string file = Path.Combine(_dir, "dh.csv");
        long rows = TriaxialFamily.Write(file, paths, new FemHost.MaterialData.DatasetSource("test", "DhModel", c.ToDictionary()));
        var data = FemHost.MaterialData.PathDatasetReader.Read(file);
        Assert.Equal(rows, data.RowCount);
        Assert.Equal(2, data.Paths.Count);
        Assert.Equal(FemHost.MaterialData.DatasetHypothesis.Tridimensional, data.Info.Hypothesis);
        Assert.Equal(0.1789, data.Info.Source.Parameters["n"]);
        for (int k = 0; k < 2; k++)
        {
            var path = paths[k];
            var read = data.Paths[k].Rows;
            for (int i = 0; i < path.Count; i++)
            {
                var r = read[i];
                Assert.Equal(-(path.P[i] + 2 * path.Q[i] / 3), r.Stress[1], 9);
                Assert.Equal(-path.ConfiningPressure, r.Stress[0], 9);
                Assert.Equal(-path.ConfiningPressure, r.Stress[2], 9);
                Assert.Equal(path.VolumetricStrain[i], -(r.Strain[0] + r.Strain[1] + r.Strain[2]), 12);
                if (i > 0)
                {
                    // Monotonic loading: each φ_j equals |ε_j|.
                    Assert.Equal(Math.Abs(r.Strain[1]), r.Phi[1], 12);
                }
            }
        }
    }
}
