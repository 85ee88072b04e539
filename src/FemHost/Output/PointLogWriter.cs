using System.Security.Cryptography;
using FemHost.Fem.Model;
using FemHost.MaterialData;
using FemHost.MaterialSdk;

namespace FemHost.Output;

/// <summary>
/// The material-point log of a run (case key output.point_log): one "femhost-path-dataset" v1 file per
/// region, <c>points-REGION.csv</c> + sidecar (docs/dataset-format.md), with one path per Gauss point (path id
/// = global point id) and one row per converged increment: load factor, total strain, φ = Σ|Δε| (paper
/// eq. 5), stress, the converged tangent (upper triangle) and the state variables as extra columns. These
/// are the training data of the neural surrogate.
/// </summary>
public sealed class PointLogWriter : IDisposable
{
    private readonly Model _model;
    private readonly List<(MaterialRegion Region, PathDatasetWriter Writer, double[] Previous, double[] Phi)> _logs = [];
    private int _step;

    /// <summary>Opens one dataset per region in <paramref name="folder"/>.</summary>
    public PointLogWriter(Model model, string folder, string? casePath)
    {
        _model = model;
        string? hash = casePath is not null && File.Exists(casePath) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(casePath))).ToLowerInvariant() : null;
        foreach (var region in model.Regions)
        {
            var meta = region.Model.Metadata;
            var parameters = region.Definition.Parameters
                .Where(kv => kv.Value is not null)
                .ToDictionary(kv => kv.Key, kv => kv.Value!);
            var info = new DatasetInfo
            {
                Hypothesis = region.Hypothesis == ModellingHypothesis.PlaneStrain ? DatasetHypothesis.PlaneStrain : DatasetHypothesis.Tridimensional,
                HasTangent = true,
                ExtraColumns = meta.StateVariables.Select(v => Identifier(v.Name)).ToList(),
                Source = new DatasetSource("femhost run", meta.Name, parameters, CaseHash: hash),
            };
            var writer = new PathDatasetWriter(Path.Combine(folder, $"points-{Identifier(region.Name)}.csv"), info);
            _logs.Add((region, writer, (double[])region.Strain.Clone(), new double[region.Strain.Length]));
        }
    }

    /// <summary>Appends the committed state of every point at load factor <paramref name="lambda"/>.</summary>
    public void Append(double lambda)
    {
        _step++;
        int n = _model.Element.StrainSize;
        var packed = new double[n * (n + 1) / 2];
        foreach (var (region, writer, previous, phi) in _logs)
        {
            int m = region.Model.Metadata.StateSize;
            for (int i = 0; i < phi.Length; i++)
            {
                phi[i] += Math.Abs(region.Strain[i] - previous[i]);
                previous[i] = region.Strain[i];
            }

            for (int p = 0; p < region.Count; p++)
            {
                DatasetLayout.PackUpperTriangle(region.Tangent.AsSpan(p * n * n, n * n), n, packed);
                writer.WriteRow(region.PointIds[p], _step, lambda, region.Strain.AsSpan(p * n, n), phi.AsSpan(p * n, n),
                    region.Stress.AsSpan(p * n, n), packed, region.State.AsSpan(p * m, m));
            }
        }
    }

    /// <summary>Completes every dataset (sidecar written, files renamed into place).</summary>
    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log.Writer.Complete();
        }
    }

    /// <summary>Letters, digits and '_' only (the format's rule for names).</summary>
    private static string Identifier(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
}
