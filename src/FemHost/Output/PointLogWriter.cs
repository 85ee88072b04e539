using System.Security.Cryptography;
using FemHost.Checkpoints;
using FemHost.Fem.Model;
using FemHost.MaterialData;
using FemHost.MaterialSdk;

namespace FemHost.Output;

/// <summary>
/// The material-point log of a run (case key output.point_log): one "femhost-path-dataset" v1 file per
/// region, <c>points-REGION.csv</c> + sidecar (docs/dataset-format.md), with one path per Gauss point (path id
/// = global point id) and one row per converged increment: load factor, total strain, φ = Σ|Δε| (paper
/// eq. 5), stress, the converged tangent (upper triangle) and the state variables as extra columns. These
/// are the training data of the neural surrogate. The rows written so far are kept as blocks, one per
/// increment, so that a checkpoint holds them and a resumed run rewrites them before continuing (the dataset
/// writer only renames its file into place at the end of the run).
/// </summary>
public sealed class PointLogWriter : IDisposable
{
    private readonly Model _model;
    private readonly List<(MaterialRegion Region, PathDatasetWriter Writer, double[] Previous, double[] Phi)> _logs = [];
    private readonly List<PointLogBlock> _blocks = [];

    /// <summary>Opens one dataset per region in <paramref name="folder"/>; a resumed run rewrites the rows of <paramref name="resume"/>.</summary>
    /// <param name="model">The model (its committed strain is the start of φ's accumulation).</param>
    /// <param name="folder">Output folder.</param>
    /// <param name="casePath">Case file, whose hash the sidecars record.</param>
    /// <param name="createdUtc">Start of the run (the sidecars' creation time; a resumed run keeps the original).</param>
    /// <param name="resume">The output cursor of the checkpoint a run resumes from, or null.</param>
    public PointLogWriter(Model model, string folder, string? casePath, DateTime createdUtc, OutputCursor? resume = null)
    {
        _model = model;
        string? hash = casePath is not null && File.Exists(casePath) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(casePath))).ToLowerInvariant() : null;
        for (int k = 0; k < model.Regions.Count; k++)
        {
            var region = model.Regions[k];
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
                CreatedUtc = createdUtc,
            };
            var writer = new PathDatasetWriter(Path.Combine(folder, $"points-{Identifier(region.Name)}.csv"), info);
            var phi = resume is not null && k < resume.PointLogPhi.Count ? (double[])resume.PointLogPhi[k].Clone() : new double[region.Strain.Length];
            if (phi.Length != region.Strain.Length)
            {
                throw new InvalidDataException($"the checkpoint's point log of region '{region.Name}' has {phi.Length} strain values, the model {region.Strain.Length}");
            }

            _logs.Add((region, writer, (double[])region.Strain.Clone(), phi));
        }

        foreach (var block in resume?.PointLog ?? [])
        {
            Write(block);
        }
    }

    /// <summary>The rows written so far, one block per converged increment (for a checkpoint).</summary>
    public IReadOnlyList<PointLogBlock> Blocks => _blocks;

    /// <summary>φ = Σ|Δε| of every point so far, per region (for a checkpoint).</summary>
    public IReadOnlyList<double[]> Phi => _logs.Select(l => (double[])l.Phi.Clone()).ToList();

    /// <summary>Appends the committed state of every point at load factor <paramref name="lambda"/>.</summary>
    public void Append(double lambda)
    {
        int n = _model.Element.StrainSize, t = n * (n + 1) / 2;
        var rows = new double[_logs.Count][];
        for (int k = 0; k < _logs.Count; k++)
        {
            var (region, _, previous, phi) = _logs[k];
            int m = region.Model.Metadata.StateSize, width = (3 * n) + t + m;
            for (int i = 0; i < phi.Length; i++)
            {
                phi[i] += Math.Abs(region.Strain[i] - previous[i]);
                previous[i] = region.Strain[i];
            }

            var block = rows[k] = new double[region.Count * width];
            for (int p = 0; p < region.Count; p++)
            {
                var row = block.AsSpan(p * width, width);
                region.Strain.AsSpan(p * n, n).CopyTo(row);
                phi.AsSpan(p * n, n).CopyTo(row[n..]);
                region.Stress.AsSpan(p * n, n).CopyTo(row[(2 * n)..]);
                DatasetLayout.PackUpperTriangle(region.Tangent.AsSpan(p * n * n, n * n), n, row.Slice(3 * n, t));
                region.State.AsSpan(p * m, m).CopyTo(row[((3 * n) + t)..]);
            }
        }

        Write(new PointLogBlock(lambda, rows));
    }

    /// <summary>Completes every dataset (sidecar written, files renamed into place).</summary>
    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log.Writer.Complete();
        }
    }

    private void Write(PointLogBlock block)
    {
        _blocks.Add(block);
        int step = _blocks.Count, n = _model.Element.StrainSize, t = n * (n + 1) / 2;
        for (int k = 0; k < _logs.Count; k++)
        {
            var (region, writer, _, _) = _logs[k];
            int m = region.Model.Metadata.StateSize, width = (3 * n) + t + m;
            var rows = block.Regions[k];
            if (rows.Length != region.Count * width)
            {
                throw new InvalidDataException($"the checkpoint's point log of region '{region.Name}' has {rows.Length} values per increment, expected {region.Count * width}");
            }

            for (int p = 0; p < region.Count; p++)
            {
                var row = rows.AsSpan(p * width, width);
                writer.WriteRow(region.PointIds[p], step, block.Lambda, row[..n], row.Slice(n, n), row.Slice(2 * n, n), row.Slice(3 * n, t), row[((3 * n) + t)..]);
            }
        }
    }

    /// <summary>Letters, digits and '_' only (the format's rule for names).</summary>
    private static string Identifier(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
}
