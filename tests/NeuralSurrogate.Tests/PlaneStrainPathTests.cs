using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;
using FemHost.Tools.DhSequences;
using Xunit;

namespace FemHost.Materials.NeuralSurrogate.Tests;

public class PlaneStrainPathTests
{
    private static readonly MaterialParameters Dh = MaterialParameters.Defaults(new DhModelPlugin().Metadata);

    /// <summary>
    /// Truths of the NN-FEM training paths (dh-sequences --mode plane-strain): every path starts unstrained at the
    /// isotropic stress −p0; ε33 = 0 (plane strain); φ_j = Σ|Δε_j| along the path (paper eq. 5); monotonic paths
    /// keep φ = |ε| while the others include unloading (φ22 > |ε22|), which is what decouples ε from φ; the same
    /// seed gives the same data.
    /// </summary>
    [Fact]
    public void PathsStartAtP0KeepPlaneStrainAccumulatePhiAndUnload()
    {
        var generator = new PlaneStrainPaths(Dh) { Steps = 60, MonotonicFraction = 0.5 };
        var data = generator.Generate(count: 8, seed: 4);
        Assert.Equal(8, data.Paths.Count);
        foreach (var path in data.Paths)
        {
            var first = path.Rows[0];
            Assert.All(first.Strain.Concat(first.Phi), v => Assert.Equal(0, v));
            Assert.Equal([-100, -100, -100, 0], first.Stress.Select(s => Math.Round(s, 9)));
            var phi = new double[4];
            for (int t = 1; t < path.Rows.Count; t++)
            {
                var (a, b) = (path.Rows[t - 1], path.Rows[t]);
                Assert.Equal(0, b.Strain[2]);
                for (int j = 0; j < 4; j++)
                {
                    phi[j] += Math.Abs(b.Strain[j] - a.Strain[j]);
                    Assert.Equal(phi[j], b.Phi[j], 1e-12);
                }
            }

            var last = path.Rows[^1];
            if (path.Id < 4)
            {
                Assert.Equal(Math.Abs(last.Strain[1]), last.Phi[1], 1e-12); // the first half load monotonically
            }
        }

        Assert.Contains(data.Paths.Skip(4), p => p.Rows[^1].Phi[1] > Math.Abs(p.Rows[^1].Strain[1]) + 1e-4);

        var again = generator.Generate(count: 8, seed: 4);
        Assert.Equal(data.Paths[5].Rows[^1].Stress, again.Paths[5].Rows[^1].Stress);
    }
}
