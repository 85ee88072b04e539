using FemHost.MaterialData;
using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;

namespace FemHost.Tools.DhSequences;

/// <summary>
/// Strain-controlled plane-strain histories of the DH model at one material point, driven through the SDK
/// like a host drives a Gauss point: training data for the NN-FEM surrogate (paper §5.2) that covers what a
/// biaxial BVP visits, not only the Gauss-point log of one run.
/// <para>
/// Every path starts from the isotropic stress −p0 (p0 drawn in [p0Min, p0Max]) and takes <see cref="Steps"/>
/// increments Δε = δ·a·(r, −1, 0, s) (Voigt 11, 22, 33, 12; ε33 = 0): axial compression along 22 of size δ·a
/// (a ∈ [0.4, 1.6]), lateral strain ratio r ∈ [−0.3, 0.4] (negative: lateral compression, positive: lateral
/// extension, i.e. varied confinement), shear ratio s ∈ [−0.4, 0.4]. These bracket what the Gauss points of
/// the biaxial test visit (cases/biaxial-dh.yaml: Δε11/Δε22 ≈ 0…0.1, |Δγ12/Δε22| ≲ 0.15). a, r, s are drawn
/// once per path: with direction changes inside a path the five features (ε11, ε22, γ12, φ11, φ22) no longer
/// tell the DH state apart and no network fits the data (tried: test RMS ≈ 15 kPa for [5-5-5-3] and
/// [5-20-20-3] alike). A fraction <see cref="MonotonicFraction"/> of the paths load proportionally throughout
/// (like most Gauss points of the biaxial test); the others are cut into segments of 10–40 steps, each ending,
/// with probability one half, in an unloading–reloading excursion: k ∈ [1, 5] steps backwards (up to ≈ 60 kPa of elastic unloading at δ = 1.2e-3; longer excursions unload to the tension cut-off), then the same
/// k forwards. Unloading makes ε and φ = Σ|Δε| (paper eq. 5) vary independently, which a network needs to
/// learn ∂σ/∂ε at fixed φ (its consistent tangent) rather than only along monotonic loading.
/// </para>
/// A point whose integration fails ends its path at the last converged step.
/// </summary>
internal sealed class PlaneStrainPaths(MaterialParameters parameters)
{
    /// <summary>Steps per path.</summary>
    public int Steps { get; init; } = 120;

    /// <summary>Strain step δ (axial strain per step at a = 1).</summary>
    public double StrainStep { get; init; } = 1.2e-3;

    /// <summary>Smallest isotropic initial pressure (kPa).</summary>
    public double P0Min { get; init; } = 100;

    /// <summary>Largest isotropic initial pressure (kPa).</summary>
    public double P0Max { get; init; } = 100;

    /// <summary>Share of the paths loaded proportionally in one direction, without unloading.</summary>
    public double MonotonicFraction { get; init; } = 0.3;

    /// <summary>Generates <paramref name="count"/> paths from <paramref name="seed"/> (reproducible).</summary>
    public PathDataset Generate(int count, int seed)
    {
        const int n = 4;
        var plugin = new DhModelPlugin();
        using var model = plugin.Create(parameters, ModellingHypothesis.PlaneStrain);
        int m = plugin.Metadata.StateSize;
        var increments = new double[count][];
        var stress = new double[count * n];
        var rng = new Random(seed);
        for (int p = 0; p < count; p++)
        {
            increments[p] = Schedule(rng, monotonic: p < (int)Math.Round(MonotonicFraction * count));
            double p0 = P0Min + (P0Max - P0Min) * rng.NextDouble();
            stress[p * n] = stress[p * n + 1] = stress[p * n + 2] = -p0;
        }

        var ids = Enumerable.Range(0, count).ToArray();
        var coordinates = new double[count * 2];
        var strain = new double[count * n];
        var phi = new double[count * n];
        var state = new double[count * m];
        model.Initialize(new MaterialInitialization(ids, coordinates, stress, state));
        var rows = Enumerable.Range(0, count).Select(_ => new List<PathRow>()).ToArray();
        var alive = Enumerable.Repeat(true, count).ToArray();
        var inc = new double[count * n];
        var newStress = new double[count * n];
        var newState = new double[count * m];
        var tangent = new double[count * n * n];
        var status = new PointStatus[count];
        var upper = new double[n * (n + 1) / 2];

        for (int step = 0; step <= Steps; step++)
        {
            // Step 0 integrates a zero increment: the tangent at the initial state.
            for (int p = 0; p < count; p++)
            {
                for (int j = 0; j < n; j++)
                {
                    inc[p * n + j] = step == 0 || !alive[p] ? 0 : increments[p][(step - 1) * n + j];
                }
            }

            model.Integrate(new MaterialBatch(ModellingHypothesis.PlaneStrain, count, m, Math.Max(0, step - 1), 1, TangentKind.Consistent,
                ids, coordinates, strain, inc, stress, state, newStress, newState, tangent, status));
            for (int p = 0; p < count; p++)
            {
                if (!alive[p])
                {
                    continue;
                }

                if (!status[p].IsOk || !newStress.AsSpan(p * n, n).ToArray().All(double.IsFinite))
                {
                    alive[p] = false;
                    continue;
                }

                for (int j = 0; j < n; j++)
                {
                    strain[p * n + j] += inc[p * n + j];
                    phi[p * n + j] += Math.Abs(inc[p * n + j]);
                }

                Array.Copy(newStress, p * n, stress, p * n, n);
                Array.Copy(newState, p * m, state, p * m, m);
                DatasetLayout.PackUpperTriangle(tangent.AsSpan(p * n * n, n * n), n, upper);
                rows[p].Add(new PathRow(step, step, strain[(p * n)..(p * n + n)], phi[(p * n)..(p * n + n)], stress[(p * n)..(p * n + n)], [.. upper], []));
            }
        }

        var info = new DatasetInfo
        {
            Hypothesis = DatasetHypothesis.PlaneStrain,
            HasTangent = true,
            Source = new DatasetSource("dh-sequences 1.0 plane-strain paths", "DhModel", new Dictionary<string, object>(DhConstants.From(parameters).ToDictionary().Concat(new Dictionary<string, object>
            {
                ["control"] = "plane-strain strain paths",
                ["count"] = (long)count,
                ["steps"] = (long)Steps,
                ["strain_step"] = StrainStep,
                ["p0_min"] = P0Min,
                ["p0_max"] = P0Max,
                ["monotonic_fraction"] = MonotonicFraction,
            })), seed),
        };
        return new PathDataset(info, [.. rows.Select((r, p) => new DatasetPath(p, r)).Where(d => d.Rows.Count > 1)]);
    }

    /// <summary>The increments of one path, step-major (Steps × 4).</summary>
    private double[] Schedule(Random rng, bool monotonic)
    {
        var inc = new double[Steps * 4];
        int t = 0;
        double[] Direction()
        {
            double a = 0.4 + 1.2 * rng.NextDouble(), r = -0.3 + 0.7 * rng.NextDouble(), s = -0.4 + 0.8 * rng.NextDouble();
            return [StrainStep * a * r, -StrainStep * a, 0, StrainStep * a * s];
        }

        void Put(double[] d, double sign)
        {
            if (t < Steps)
            {
                for (int j = 0; j < 4; j++)
                {
                    inc[t * 4 + j] = sign * d[j];
                }

                t++;
            }
        }

        var dir = Direction();
        while (t < Steps)
        {
            int length = 10 + rng.Next(31);
            for (int k = 0; k < length; k++)
            {
                Put(dir, 1);
            }

            if (!monotonic && rng.NextDouble() < 0.5)
            {
                int back = 1 + rng.Next(5);
                for (int k = 0; k < back; k++)
                {
                    Put(dir, -1);
                }

                for (int k = 0; k < back; k++)
                {
                    Put(dir, 1);
                }
            }
        }

        return inc;
    }
}
