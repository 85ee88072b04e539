using FemHost.Fem.Solution;
using Xunit;

namespace FemHost.Tests;

/// <summary>The inverse BFGS update of a kernel, checked against its defining properties on small dense systems.</summary>
public sealed class BfgsUpdateTests
{
    /// <summary>
    /// Truth: for a quadratic energy with SPD Hessian A and the kernel K₀ = diag(A), each pair (s, y = A s) gives
    /// an H with H y = s for the pair added last (the secant condition, Nocedal &amp; Wright eq. 6.6), and H stays
    /// symmetric positive definite (uᵀ H v = vᵀ H u, vᵀ H v &gt; 0).
    /// </summary>
    [Fact]
    public void SecantConditionHoldsAndTheUpdateStaysSymmetricPositiveDefinite()
    {
        double[,] a = { { 4, 1, 0.5 }, { 1, 3, 0.2 }, { 0.5, 0.2, 2 } };
        void Kernel(double[] q, double[] z)
        {
            for (int i = 0; i < 3; i++)
            {
                z[i] = q[i] / a[i, i];
            }
        }

        double[] Times(double[] v) => [.. Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => a[i, j] * v[j]))];
        var bfgs = new BfgsUpdate(3, 5);
        double[][] steps = [[1, 0.2, -0.3], [0.1, 1, 0.4], [-0.2, 0.3, 1]];
        var d = new double[3];
        foreach (var step in steps)
        {
            var y = Times(step);
            Assert.True(bfgs.Add(step, y));
            bfgs.Apply(y, d, Kernel);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(step[i], d[i], 12);
            }
        }

        double[] u = [0.7, -1.1, 0.4], v = [-0.3, 0.5, 2.0];
        var hu = new double[3];
        var hv = new double[3];
        bfgs.Apply(u, hu, Kernel);
        bfgs.Apply(v, hv, Kernel);
        double uHv = u.Zip(hv, (x, z) => x * z).Sum(), vHu = v.Zip(hu, (x, z) => x * z).Sum();
        Assert.Equal(uHv, vHu, 12);
        Assert.True(u.Zip(hu, (x, z) => x * z).Sum() > 0 && v.Zip(hv, (x, z) => x * z).Sum() > 0);
    }

    /// <summary>
    /// Truth: a pair with yᵀs ≤ 0 (a softening direction) would make H indefinite; it is refused and H unchanged;
    /// the memory is bounded and <see cref="BfgsUpdate.Clear"/> gives back the kernel.
    /// </summary>
    [Fact]
    public void SofteningPairsAreRefusedAndClearRestoresTheKernel()
    {
        static void Kernel(double[] q, double[] z) => q.CopyTo(z);
        var bfgs = new BfgsUpdate(2, 1);
        Assert.False(bfgs.Add([1, 0], [-1, 0]));
        Assert.Equal(0, bfgs.Count);
        Assert.True(bfgs.Add([1, 0], [2, 0]));
        Assert.True(bfgs.IsFull);
        Assert.Throws<InvalidOperationException>(() => bfgs.Add([0, 1], [0, 1]));
        var d = new double[2];
        bfgs.Apply([2, 0], d, Kernel);
        Assert.Equal(1, d[0], 14);
        bfgs.Clear();
        bfgs.Apply([2, 3], d, Kernel);
        Assert.Equal([2.0, 3.0], d);
    }
}
