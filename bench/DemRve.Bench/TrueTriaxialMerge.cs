using System.Globalization;
using FemHost.MaterialData;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// Joins true triaxial lab datasets of one family run in parts (different packing seeds, same everything else) into
/// the dataset one run with all the seeds would write:
/// <code>
/// demrve-bench lab triaxial3d-merge --out FOLDER A.csv[.gz] B.csv[.gz] ...
/// </code>
/// The lab numbers its paths seed by seed (then held stress, then b) and each path depends only on its (seed, held
/// stress, b), so the parts' paths, renumbered by the count of the parts before them, are the paths of
/// <c>--seeds</c> (the parts' seeds in the order given). The sidecars must agree on everything but the seeds, and no
/// seed may appear twice. Writes <c>triaxial3d-material{1,2}.csv</c>, its sidecar and the Fig. 12 plot to FOLDER.
/// </summary>
public static class TrueTriaxialMerge
{
    private const string Usage = "usage: demrve-bench lab triaxial3d-merge --out FOLDER A.csv[.gz] B.csv[.gz] ... (datasets of demrve-bench lab triaxial3d that differ only in --seeds)";

    private const string Generator = "demrve-bench lab triaxial3d";

    /// <summary>Runs the command (args[0] == "lab", args[1] == "triaxial3d-merge"); returns the exit code (2: bad input).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var (folder, files) = Parse(args);
            var parts = files.Select(Read).ToList();
            var merged = Merge(parts, files);
            string name = $"triaxial3d-material{(merged.Info.Source.Parameters["material"] as string == "Material2" ? 2 : 1)}";
            Directory.CreateDirectory(folder);
            string csv = Path.Combine(folder, name + ".csv");
            merged.Write(csv);
            string png = Path.Combine(folder, name + ".png");
            TrueTriaxialLab.Plot(png, merged);
            for (int i = 0; i < files.Count; i++)
            {
                output.WriteLine($"{files[i]}: seeds {parts[i].Info.Source.Parameters["seeds"]}, {parts[i].Paths.Count} paths, {parts[i].RowCount} rows");
            }

            output.WriteLine($"wrote {csv} (+ .json sidecar) and {png}: seeds {merged.Info.Source.Parameters["seeds"]}, {merged.Paths.Count} paths, {merged.RowCount} rows");
            return 0;
        }
        catch (Exception e) when (e is LabArgumentException or PathDatasetFormatException)
        {
            error.WriteLine($"demrve-bench lab triaxial3d-merge: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
    }

    private static (string Folder, List<string> Files) Parse(string[] args)
    {
        string? folder = null;
        var files = new List<string>();
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i] == "--out")
            {
                if (folder is not null || i + 1 >= args.Length)
                {
                    throw new LabArgumentException(folder is null ? "option --out needs a value" : "option --out is given twice");
                }

                folder = Path.GetFullPath(args[++i]);
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new LabArgumentException($"unknown option '{args[i]}'; expected --out FOLDER and the datasets");
            }
            else
            {
                files.Add(Path.GetFullPath(args[i]));
            }
        }

        if (folder is null || files.Count < 2)
        {
            throw new LabArgumentException($"expected --out FOLDER and at least two datasets, got {(folder is null ? "no --out" : "--out")} and {files.Count}");
        }

        if (File.Exists(folder))
        {
            throw new LabArgumentException($"--out '{folder}' is a file; expected a folder (created if missing)");
        }

        return (folder, files);
    }

    /// <summary>A dataset from its CSV or its gzip-compressed <c>.csv.gz</c> (sidecar <c>X.csv.json</c> beside <c>X.csv.gz</c>).</summary>
    private static PathDataset Read(string file)
    {
        string csv = PathDatasetWriter.CsvPathOf(file);
        foreach (var (path, what) in new[] { (file, "dataset"), (PathDatasetWriter.SidecarPath(csv), "sidecar") })
        {
            if (!File.Exists(path))
            {
                throw new LabArgumentException($"the {what} '{path}' does not exist; expected a lab dataset (triaxial3d-materialN.csv or .csv.gz) with its .csv.json sidecar beside it");
            }
        }

        if (csv == file)
        {
            return PathDatasetReader.Read(csv);
        }

        string scratch = Path.Combine(Path.GetTempPath(), $"triaxial3d-merge-{Guid.NewGuid():N}");
        try
        {
            string plain = Path.Combine(scratch, Path.GetFileName(csv));
            PathDatasetWriter.CopyDataset(file, plain);
            return PathDatasetReader.Read(plain);
        }
        catch (InvalidDataException e)
        {
            throw new LabArgumentException($"'{file}' is not a gzip file ({e.Message}); expected a lab dataset compressed with gzip");
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>The parts joined: paths renumbered by offset, the sidecar of the first with the seeds of all, in order.</summary>
    internal static PathDataset Merge(IReadOnlyList<PathDataset> parts, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(files);
        var first = parts[0].Info;
        string Text(PathDataset part, string key) =>
            part.Info.Source.Parameters.TryGetValue(key, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture)! : "missing";
        var seeds = new List<string>();
        var paths = new List<DatasetPath>();
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var info = part.Info;
            if (!info.Source.Generator.StartsWith(Generator, StringComparison.Ordinal))
            {
                throw new LabArgumentException($"'{files[i]}' was written by '{info.Source.Generator}'; expected a dataset of {Generator}");
            }

            if (info.Hypothesis != first.Hypothesis || info.HasTangent != first.HasTangent || !info.ExtraColumns.SequenceEqual(first.ExtraColumns)
                || info.Source.Generator != first.Source.Generator || info.Source.Material != first.Source.Material)
            {
                throw new LabArgumentException($"'{files[i]}' has other columns or another generator than '{files[0]}'; expected parts of one lab family");
            }

            var keys = info.Source.Parameters.Keys.Union(first.Source.Parameters.Keys).Where(k => k != "seeds").Order(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (Text(part, key) != Text(parts[0], key))
                {
                    throw new LabArgumentException($"'{files[i]}' has {key} = '{Text(part, key)}' but '{files[0]}' has '{Text(parts[0], key)}'; " +
                        "expected parts of one lab family, differing only in their seeds");
                }
            }

            foreach (var seed in Text(part, "seeds").Split(','))
            {
                if (seeds.Contains(seed))
                {
                    throw new LabArgumentException($"seed {seed} of '{files[i]}' is also in an earlier dataset; expected each packing seed in one part only");
                }

                seeds.Add(seed);
            }

            // Lab path ids are 0 … n−1 in run order: the parts' paths follow one another as the seeds do.
            if (part.Paths.Select((p, k) => p.Id != k).Any(b => b))
            {
                throw new LabArgumentException($"'{files[i]}' does not number its paths 0 … {part.Paths.Count - 1} in order; expected a dataset as the lab writes it");
            }

            int offset = paths.Count;
            paths.AddRange(part.Paths.Select(p => p with { Id = offset + p.Id }));
        }

        var parameters = new Dictionary<string, object>(first.Source.Parameters) { ["seeds"] = string.Join(",", seeds) };
        var merged = first with
        {
            Source = first.Source with { Parameters = parameters, Seed = null },
            CreatedUtc = DateTime.UtcNow,
        };
        return new PathDataset(merged, paths);
    }
}
