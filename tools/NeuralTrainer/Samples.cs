using FemHost.MaterialData;
using FemHost.Materials.NeuralSurrogate;

namespace FemHost.NeuralTrainer;

/// <summary>The path ids of the training, validation and test splits.</summary>
/// <param name="Train">Paths to fit on.</param>
/// <param name="Validation">Paths for early stopping.</param>
/// <param name="Test">Held-out paths, only for the final report.</param>
public sealed record PathSplit(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>
    /// Splits the <em>paths</em> (never the rows: rows of one history in two splits would leak the
    /// history into the validation/test error) by the fractions (default 70/15/15, the paper's §5.3.1),
    /// after a seeded shuffle. Each split gets at least one path when there are three or more.
    /// </summary>
    public static PathSplit ByPath(IReadOnlyList<int> pathIds, double trainFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(pathIds);
        if (trainFraction <= 0 || validationFraction < 0 || trainFraction + validationFraction > 1)
        {
            throw new TrainerInputException($"split fractions train {trainFraction} and validation {validationFraction} must be positive and sum to at most 1");
        }

        var ids = pathIds.ToArray();
        new Random(seed).Shuffle(ids);
        int n = ids.Length;
        int nVal = (int)Math.Round(validationFraction * n);
        int nTest = (int)Math.Round((1 - trainFraction - validationFraction) * n);
        if (n >= 3)
        {
            nVal = Math.Max(nVal, validationFraction > 0 ? 1 : 0);
            nTest = Math.Max(nTest, trainFraction + validationFraction < 1 ? 1 : 0);
        }

        int nTrain = n - nVal - nTest;
        if (nTrain < 1)
        {
            throw new TrainerInputException($"{n} paths are too few to split {trainFraction:P0}/{validationFraction:P0}/rest by path");
        }

        return new PathSplit(ids[..nTrain], ids[nTrain..(nTrain + nVal)], ids[(nTrain + nVal)..]);
    }
}

/// <summary>
/// Supervised samples in physical units, point-major: X (count × inputs) and Y (count × outputs), with the
/// path id of every sample so that splits and active learning work on whole paths.
/// </summary>
public sealed class SampleTable
{
    /// <summary>Creates a table; lengths must agree.</summary>
    public SampleTable(string[] inputs, string[] outputs, double[] x, double[] y, int[] pathOfSample, int window = 1, TangentTargets? tangent = null)
    {
        (Inputs, Outputs, X, Y, PathOfSample, Window, Tangent) = (inputs, outputs, x, y, pathOfSample, window, tangent);
        if (x.Length != Count * window * inputs.Length || y.Length != Count * outputs.Length)
        {
            throw new ArgumentException("sample arrays do not match the column counts");
        }

        if (tangent is not null && (window != 1 || tangent.Count != Count || tangent.Direction.Length != Count * inputs.Length))
        {
            throw new ArgumentException("tangent targets need one row per sample of an MLP table");
        }
    }

    /// <summary>
    /// The logged tangent and loading direction of every sample, for Jacobian-matched training of a stress
    /// network (<see cref="JacobianMatching"/>); null when the dataset has no tangent or the table is not an
    /// MLP stress table.
    /// </summary>
    public TangentTargets? Tangent { get; }

    /// <summary>Input column names.</summary>
    public string[] Inputs { get; }

    /// <summary>Output column names.</summary>
    public string[] Outputs { get; }

    /// <summary>Steps per sample: 1 for an MLP, the moving-window size for a sequence model.</summary>
    public int Window { get; }

    /// <summary>Inputs, count × window × inputs (oldest step first).</summary>
    public double[] X { get; }

    /// <summary>Outputs, count × outputs.</summary>
    public double[] Y { get; }

    /// <summary>Path id of each sample.</summary>
    public int[] PathOfSample { get; }

    /// <summary>Number of samples.</summary>
    public int Count => PathOfSample.Length;

    /// <summary>Fits the input and output scalings to these samples (the training split).</summary>
    public (AffineScaling Input, AffineScaling Output) FitScalings() =>
        (AffineScaling.Fit(X, Inputs.Length), AffineScaling.Fit(Y, Outputs.Length));

    /// <summary>Distinct path ids in order of appearance.</summary>
    public int[] PathIds => PathOfSample.Distinct().ToArray();

    /// <summary>
    /// One sample per converged step of every path: x = inputs(row), y = outputs(row). A stress table
    /// (outputs sig_ij) of a dataset that logs the tangent also carries the <see cref="Tangent"/> targets.
    /// </summary>
    public static SampleTable FromDataset(PathDataset data, string[] inputs, string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        var xin = inputs.Select(c => ColumnReader.For(c, data.Info)).ToArray();
        var yout = outputs.Select(c => ColumnReader.For(c, data.Info)).ToArray();
        var x = new List<double>();
        var y = new List<double>();
        var owner = new List<int>();
        foreach (var path in data.Paths)
        {
            foreach (var row in path.Rows)
            {
                x.AddRange(xin.Select(c => c.Read(row)));
                y.AddRange(yout.Select(c => c.Read(row)));
                owner.Add(path.Id);
            }
        }

        var tangent = TangentTargets.Applies(data.Info, inputs, outputs) ? TangentTargets.FromDataset(data, inputs, outputs) : null;
        return new SampleTable(inputs, outputs, [.. x], [.. y], [.. owner], 1, tangent);
    }

    /// <summary>
    /// Moving-window samples for a sequence model (paper Table 1: 20 steps): the sample of step t holds the
    /// inputs of steps t−W+1 … t (the first row repeated before the start of a path) and the outputs of t.
    /// </summary>
    public static SampleTable Windows(PathDataset data, string[] inputs, string[] outputs, int window)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (window < 1)
        {
            throw new TrainerInputException($"window must be at least 1 step, not {window}");
        }

        var xin = inputs.Select(c => ColumnReader.For(c, data.Info)).ToArray();
        var yout = outputs.Select(c => ColumnReader.For(c, data.Info)).ToArray();
        var x = new List<double>();
        var y = new List<double>();
        var owner = new List<int>();
        foreach (var path in data.Paths)
        {
            var rows = path.Rows;
            for (int t = 0; t < rows.Count; t++)
            {
                for (int s = t - window + 1; s <= t; s++)
                {
                    x.AddRange(xin.Select(c => c.Read(rows[Math.Max(0, s)])));
                }

                y.AddRange(yout.Select(c => c.Read(rows[t])));
                owner.Add(path.Id);
            }
        }

        return new SampleTable(inputs, outputs, [.. x], [.. y], [.. owner], window);
    }

    /// <summary>The samples of the given paths only (in the order of the table).</summary>
    public SampleTable Subset(IEnumerable<int> pathIds)
    {
        var keep = pathIds.ToHashSet();
        return Rows([.. Enumerable.Range(0, Count).Where(i => keep.Contains(PathOfSample[i]))]);
    }

    /// <summary>A table of the given samples, in the given order; a sample listed twice appears twice (bootstrap resamples).</summary>
    public SampleTable Rows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int nin = Inputs.Length * Window, nout = Outputs.Length;
        var x = new double[rows.Count * nin];
        var y = new double[rows.Count * nout];
        for (int k = 0; k < rows.Count; k++)
        {
            Array.Copy(X, rows[k] * nin, x, k * nin, nin);
            Array.Copy(Y, rows[k] * nout, y, k * nout, nout);
        }

        return new SampleTable(Inputs, Outputs, x, y, [.. rows.Select(i => PathOfSample[i])], Window, Tangent?.Rows(rows));
    }
}
