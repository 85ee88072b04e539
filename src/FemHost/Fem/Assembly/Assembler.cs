using FemHost.Fem.Model;
using FemHost.LinearAlgebra;
using FemHost.MaterialSdk;

namespace FemHost.Fem.Assembly;

/// <summary>What the material calls of one trial state returned.</summary>
/// <param name="AllOk">Every point returned <see cref="PointOutcome.Ok"/> with finite values.</param>
/// <param name="StepRatio">Smallest step ratio asked for by a point (1 when all are ok).</param>
/// <param name="Failure">For the first point that was not ok: element, Gauss point, plug-in and reason.</param>
/// <param name="TangentsSymmetric">Whether every tangent returned is symmetric (to round-off).</param>
public readonly record struct MaterialResponse(bool AllOk, double StepRatio, string? Failure, bool TangentsSymmetric);

/// <summary>
/// The global element loop. <see cref="Integrate"/> computes the strain increment of every Gauss point
/// from the trial displacement and calls each region's model once for all its points (or in chunks on
/// several threads when the plug-in declares itself thread-safe); <see cref="Assemble"/> then builds
/// f_int = Σ ∫ Bᵀσ dV and K = Σ ∫ Bᵀ D B dV element by element, in parallel over the elements of one
/// colour so that no two threads touch the same row (no locks, deterministic sums).
/// </summary>
public sealed class Assembler
{
    private readonly Model.Model _model;
    private readonly int[][] _colors;
    private readonly ParallelOptions _parallel;

    /// <summary>Creates the assembler; <paramref name="threads"/> = 0 uses every core.</summary>
    public Assembler(Model.Model model, int threads)
    {
        _model = model;
        _colors = ElementColoring.Color(model.Mesh);
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    /// <summary>Threads used for the element loop and thread-safe material calls.</summary>
    public int Threads { get; }

    /// <summary>Number of element colours.</summary>
    public int ColorCount => _colors.Length;

    /// <summary>
    /// Sets Δε = B (u − u_n) at every point and integrates the materials over [time, time + dt].
    /// </summary>
    public MaterialResponse Integrate(double[] committed, double[] trial, double time, double dt)
    {
        var model = _model;
        var element = model.Element;
        int nq = element.Rule.Count, n = element.StrainSize, nd = element.ElementDofs;
        Parallel.For(0, model.Mesh.ElementCount, _parallel, () => new Workspace(element), (e, _, w) =>
        {
            var region = model.Regions[model.RegionOfElement[e]];
            int le = model.LocalElement[e];
            model.Mesh.ElementCoordinates(e, w.Xy);
            var nodes = model.Mesh.ElementNodes(e);
            for (int a = 0; a < nodes.Length; a++)
            {
                w.Du[2 * a] = trial[2 * nodes[a]] - committed[2 * nodes[a]];
                w.Du[2 * a + 1] = trial[2 * nodes[a] + 1] - committed[2 * nodes[a] + 1];
            }

            for (int q = 0; q < nq; q++)
            {
                element.Evaluate(e, w.Xy, q, w.B, w.X);
                var de = region.StrainIncrement.AsSpan((le * nq + q) * n, n);
                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int j = 0; j < nd; j++)
                    {
                        s += w.B[i * nd + j] * w.Du[j];
                    }

                    de[i] = s;
                }
            }

            return w;
        }, _ => { });

        bool ok = true, symmetric = true;
        double ratio = 1;
        string? failure = null;
        foreach (var region in model.Regions)
        {
            CallMaterial(region, time, dt);
            var r = Check(region, n);
            symmetric &= r.TangentsSymmetric;
            if (!r.AllOk)
            {
                ratio = Math.Min(ratio, r.StepRatio);
                failure ??= r.Failure;
                ok = false;
            }
        }

        return new MaterialResponse(ok, ratio, failure, symmetric);
    }

    /// <summary>
    /// Assembles f_int from the trial stresses and, when <paramref name="stiffness"/> is given, K from the
    /// trial tangents (upper triangle only when the matrix uses symmetric storage).
    /// </summary>
    public void Assemble(double[] internalForce, CsrMatrix? stiffness)
    {
        Array.Clear(internalForce);
        if (stiffness is not null)
        {
            Array.Clear(stiffness.Values);
        }

        var model = _model;
        var element = model.Element;
        int nq = element.Rule.Count, n = element.StrainSize, nd = element.ElementDofs;
        foreach (var color in _colors)
        {
            Parallel.For(0, color.Length, _parallel, () => new Workspace(element), (k, _, w) =>
            {
                int e = color[k];
                var region = model.Regions[model.RegionOfElement[e]];
                int le = model.LocalElement[e];
                model.Mesh.ElementCoordinates(e, w.Xy);
                Array.Clear(w.Fe);
                Array.Clear(w.Ke);
                for (int q = 0; q < nq; q++)
                {
                    int p = le * nq + q;
                    double dv = element.Evaluate(e, w.Xy, q, w.B, w.X);
                    var sigma = region.TrialStress.AsSpan(p * n, n);
                    for (int j = 0; j < nd; j++)
                    {
                        double s = 0;
                        for (int i = 0; i < n; i++)
                        {
                            s += w.B[i * nd + j] * sigma[i];
                        }

                        w.Fe[j] += s * dv;
                    }

                    if (stiffness is not null)
                    {
                        AddBtDB(w, region.Tangent.AsSpan(p * n * n, n * n), n, nd, dv, stiffness.IsUpperTriangle);
                    }
                }

                Scatter(model.Mesh.ElementNodes(e), w, internalForce, stiffness);
                return w;
            }, _ => { });
        }
    }

    /// <summary>Ke += Bᵀ D B dV (only j ≥ i in local numbering when <paramref name="upper"/>; mirrored at scatter).</summary>
    private static void AddBtDB(Workspace w, ReadOnlySpan<double> d, int n, int nd, double dv, bool upper)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < nd; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    s += d[i * n + k] * w.B[k * nd + j];
                }

                w.Db[i * nd + j] = s * dv;
            }
        }

        for (int a = 0; a < nd; a++)
        {
            for (int b = upper ? a : 0; b < nd; b++)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += w.B[i * nd + a] * w.Db[i * nd + b];
                }

                w.Ke[a * nd + b] += s;
            }
        }
    }

    /// <summary>Adds fe and Ke into the global arrays, merging the element's sorted equations into each CSR row.</summary>
    private static void Scatter(ReadOnlySpan<int> nodes, Workspace w, double[] f, CsrMatrix? k)
    {
        int nd = 2 * nodes.Length;
        for (int a = 0; a < nodes.Length; a++)
        {
            w.Dofs[2 * a] = 2 * nodes[a];
            w.Dofs[2 * a + 1] = 2 * nodes[a] + 1;
        }

        for (int a = 0; a < nd; a++)
        {
            f[w.Dofs[a]] += w.Fe[a];
            w.Order[a] = a;
        }

        if (k is null)
        {
            return;
        }

        Array.Sort(w.Dofs, w.Order);
        bool upper = k.IsUpperTriangle;
        var cols = k.ColumnIndices;
        var values = k.Values;
        for (int ia = 0; ia < nd; ia++)
        {
            int row = w.Dofs[ia], a = w.Order[ia];
            int pos = k.RowPointers[row], end = k.RowPointers[row + 1];
            for (int ib = upper ? ia : 0; ib < nd; ib++)
            {
                int col = w.Dofs[ib], b = w.Order[ib];
                while (cols[pos] != col)
                {
                    pos++;
                    if (pos >= end)
                    {
                        throw new InvalidOperationException($"entry ({row}, {col}) is not in the sparsity pattern");
                    }
                }

                // With upper storage Ke holds only b ≥ a; the symmetric partner gives the rest.
                values[pos] += upper && b < a ? w.Ke[b * nd + a] : w.Ke[a * nd + b];
            }
        }
    }

    private void CallMaterial(MaterialRegion region, double time, double dt)
    {
        // Every output starts as the "unwritten" NaN, so a point the plug-in reports ok but leaves partly
        // unwritten (a wrong-sized stress or tangent write) is told apart from one it computed as NaN.
        region.TrialStress.AsSpan().Fill(Unwritten);
        region.Tangent.AsSpan().Fill(Unwritten);
        var batch = region.Batch(time, dt);
        bool parallel = region.Model.Metadata.IsThreadSafe && Threads > 1 && region.Count >= 2 * Threads;
        int chunks = parallel ? 4 * Threads : 1;
        int size = (region.Count + chunks - 1) / chunks;
        var model = region.Model;
        Parallel.For(0, chunks, _parallel, c =>
        {
            int start = c * size, count = Math.Min(size, region.Count - start);
            if (count <= 0)
            {
                return;
            }

            var slice = batch.Slice(start, count);
            try
            {
                model.Integrate(slice);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                IsolateThrowingPoints(model, slice, ex);
            }
        });
    }

    /// <summary>
    /// A plug-in broke its contract by throwing from Integrate (one not derived from PointMaterial can):
    /// the batch is integrated again point by point so that the failure names the points that throw, and
    /// the others keep their results. If no single point throws again the fault is not reproducible and the
    /// whole batch is failed, so the increment is still cut back rather than trusted.
    /// </summary>
    private static void IsolateThrowingPoints(IMaterialModel model, MaterialBatch batch, Exception first)
    {
        var status = batch.Status.Span;
        bool any = false;
        for (int i = 0; i < batch.Count; i++)
        {
            try
            {
                model.Integrate(batch.Slice(i, 1));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                status[i] = PointStatus.Failed($"the plug-in threw {ex.GetType().Name}: {ex.Message}");
                any = true;
            }
        }

        if (!any)
        {
            status.Fill(PointStatus.Failed($"the plug-in threw {first.GetType().Name} for the batch (not reproduced point by point): {first.Message}"));
        }
    }

    private MaterialResponse Check(MaterialRegion region, int n)
    {
        bool ok = true, symmetric = true;
        double ratio = 1;
        string? failure = null;
        int nq = region.PointsPerElement;
        for (int p = 0; p < region.Count; p++)
        {
            var status = region.Status[p];
            if (status.IsOk && OutputFault(region.TrialStress.AsSpan(p * n, n), region.Tangent.AsSpan(p * n * n, n * n), n) is { } fault)
            {
                status = PointStatus.Failed(fault);
            }

            if (!status.IsOk)
            {
                ok = false;
                ratio = Math.Min(ratio, status.Outcome == PointOutcome.SmallerStep ? status.StepRatio : 0.5);
                failure ??= $"element {region.Elements[p / nq]}, Gauss point {p % nq} (region '{region.Name}', material model '{region.Model.Metadata.Name}'): " +
                    $"{(status.Outcome == PointOutcome.SmallerStep ? "asks for a smaller step" : "failed")}: {status.Reason}";
                continue;
            }

            var d = region.Tangent.AsSpan(p * n * n, n * n);
            double scale = 0;
            foreach (var v in d)
            {
                scale = Math.Max(scale, Math.Abs(v));
            }

            for (int i = 0; i < n && symmetric; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    if (Math.Abs(d[i * n + j] - d[j * n + i]) > 1e-10 * scale)
                    {
                        symmetric = false;
                        break;
                    }
                }
            }
        }

        return new MaterialResponse(ok, ratio, failure, symmetric);
    }

    /// <summary>A quiet NaN with a payload no arithmetic produces: marks an output entry the plug-in did not write.</summary>
    private static readonly double Unwritten = BitConverter.Int64BitsToDouble(0x7FF8_0000_FA17_0001);

    private static bool IsUnwritten(double x) => BitConverter.DoubleToInt64Bits(x) == 0x7FF8_0000_FA17_0001;

    /// <summary>
    /// Why the stress and tangent a plug-in returned for a point it reported ok cannot be used (entries left
    /// unwritten, i.e. a wrong-sized write, or non-finite values), or null when they are fine.
    /// </summary>
    private static string? OutputFault(ReadOnlySpan<double> stress, ReadOnlySpan<double> tangent, int n)
    {
        int unwritten = Count(stress, IsUnwritten);
        if (unwritten > 0)
        {
            return $"the plug-in reported success but left {unwritten} of the {n} stress components unwritten (wrong-sized stress)";
        }

        unwritten = Count(tangent, IsUnwritten);
        if (unwritten > 0)
        {
            return $"the plug-in reported success but wrote only {n * n - unwritten} of the {n}×{n} tangent entries (wrong-sized tangent)";
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(stress[i]))
            {
                return FormattableString.Invariant($"non-finite stress: component {i + 1} of {n} is {stress[i]}");
            }
        }

        for (int k = 0; k < n * n; k++)
        {
            if (!double.IsFinite(tangent[k]))
            {
                return FormattableString.Invariant($"non-finite tangent: D[{k / n + 1},{k % n + 1}] is {tangent[k]}");
            }
        }

        return null;
    }

    private static int Count(ReadOnlySpan<double> v, Func<double, bool> predicate)
    {
        int count = 0;
        foreach (var x in v)
        {
            count += predicate(x) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Per-thread scratch arrays of the element loop.</summary>
    private sealed class Workspace(Elements.IElementFormulation element)
    {
        public readonly double[] Xy = new double[2 * element.Shape.NodeCount];
        public readonly double[] X = new double[2];
        public readonly double[] Du = new double[element.ElementDofs];
        public readonly double[] B = new double[element.StrainSize * element.ElementDofs];
        public readonly double[] Db = new double[element.StrainSize * element.ElementDofs];
        public readonly double[] Fe = new double[element.ElementDofs];
        public readonly double[] Ke = new double[element.ElementDofs * element.ElementDofs];
        public readonly int[] Dofs = new int[element.ElementDofs];
        public readonly int[] Order = new int[element.ElementDofs];
    }
}
