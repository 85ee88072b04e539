using static FemHost.MaterialSdk.Testing.MaterialConformance;

namespace FemHost.MaterialSdk.Testing;

/// <summary>The checks that drive material points under one hypothesis.</summary>
internal sealed class PointChecks(IMaterialPlugin plugin, MaterialParameters parameters, ModellingHypothesis hypothesis, ConformanceOptions o)
{
    private readonly int _n = Voigt.Size(hypothesis);

    /// <summary>Strain components the host can actually drive (ε33 stays zero in plane strain).</summary>
    private int[] Driven => hypothesis == ModellingHypothesis.PlaneStrain ? [Voigt.XX, Voigt.YY, Voigt.XY] : [0, 1, 2, 3, 4, 5];

    private double[] InitialStress()
    {
        var s = new double[_n];
        s[0] = s[1] = s[2] = -o.InitialPressure;
        return s;
    }

    private PointHarness NewHarness(int count, TangentKind? tangent = null) =>
        new(plugin.Create(parameters, hypothesis), count, InitialStress(), tangent ?? plugin.Metadata.TangentKinds[0]);

    private double[] RandomIncrement(Random rng, int points = 1)
    {
        var d = new double[points * _n];
        for (int p = 0; p < points; p++)
        {
            double norm = 0;
            foreach (int j in Driven)
            {
                // Box–Muller: an isotropic random direction in strain space.
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                d[p * _n + j] = g;
                norm += g * g;
            }

            norm = Math.Sqrt(norm);
            foreach (int j in Driven)
            {
                d[p * _n + j] *= o.StrainIncrement / norm;
            }
        }

        return d;
    }

    /// <summary>Commits <see cref="ConformanceOptions.PrestrainSteps"/> increments along one random direction.</summary>
    private PointHarness Prestrained(Random rng, int points = 1, TangentKind? tangent = null)
    {
        var h = NewHarness(points, tangent);
        var dir = RandomIncrement(rng, points);
        for (int k = 0; k < o.PrestrainSteps; k++)
        {
            var t = h.Trial(dir);
            if (!t.AllOk)
            {
                h.Revert();
                break;
            }

            h.Commit(t);
        }

        return h;
    }

    private static string Describe(PointStatus s) => $"{s.Outcome}{(s.Reason is null ? "" : ": " + s.Reason)}";

    public (Verdict, string) ZeroIncrement()
    {
        var rng = new Random(o.Seed);
        double worst = 0;
        string where = "";
        for (int sample = 0; sample < o.Samples; sample++)
        {
            var h = Prestrained(rng);
            var t = h.Trial(new double[_n]);
            if (!t.AllOk)
            {
                return (Verdict.Fail, $"sample {sample}: zero increment returned {Describe(t.Status[0])}");
            }

            double scale = Math.Max(Norm(h.Stress), 1e-30);
            for (int i = 0; i < _n; i++)
            {
                double e = Math.Abs(t.Stress[i] - h.Stress[i]) / scale;
                if (e > worst)
                {
                    (worst, where) = (e, $"sample {sample}, stress[{Voigt.Labels(hypothesis)[i]}]: {F(h.Stress[i])} → {F(t.Stress[i])}");
                }
            }

            for (int i = 0; i < h.M; i++)
            {
                double e = Math.Abs(t.State[i] - h.State[i]) / Math.Max(Math.Abs(h.State[i]), 1e-30);
                if (e > worst && Math.Abs(t.State[i] - h.State[i]) > 0)
                {
                    (worst, where) = (e, $"sample {sample}, state '{h.Model.Metadata.StateVariables[i].Name}': {F(h.State[i])} → {F(t.State[i])}");
                }
            }

            h.Revert();
        }

        return worst <= o.Tolerance ? (Verdict.Pass, $"max relative change {F(worst)}")
            : (Verdict.Fail, $"committed values changed by {F(worst)} at {where}");
    }

    public (Verdict, string) Repeatability()
    {
        var rng = new Random(o.Seed + 1);
        for (int sample = 0; sample < o.Samples; sample++)
        {
            var h = Prestrained(rng);
            var de = RandomIncrement(rng);
            var a = h.Trial(de);
            h.Revert();
            var b = h.Trial(de);
            h.Revert();
            if (!Same(a, b, out var what))
            {
                return (Verdict.Fail, $"sample {sample}: two calls from the same committed state differ in {what}");
            }
        }

        return (Verdict.Pass, $"{o.Samples} states, bitwise identical");
    }

    public (Verdict, string) Tangent(TangentKind kind)
    {
        var rng = new Random(o.Seed + 2);
        double worst = 0;
        string where = "no sample";
        int used = 0;
        for (int sample = 0; sample < o.Samples; sample++)
        {
            var h = Prestrained(rng, 1, kind);
            var de = RandomIncrement(rng);
            var t = h.Trial(de);
            h.Revert();
            if (!t.AllOk)
            {
                continue;
            }

            used++;
            var fd = new double[_n * _n];
            foreach (int j in Driven)
            {
                var plus = (double[])de.Clone();
                var minus = (double[])de.Clone();
                plus[j] += o.FiniteDifferenceStep;
                minus[j] -= o.FiniteDifferenceStep;
                var tp = h.Trial(plus);
                h.Revert();
                var tm = h.Trial(minus);
                h.Revert();
                if (!tp.AllOk || !tm.AllOk)
                {
                    return (Verdict.Fail, $"sample {sample}: perturbed increment failed ({Describe(tp.AllOk ? tm.Status[0] : tp.Status[0])})");
                }

                for (int i = 0; i < _n; i++)
                {
                    fd[i * _n + j] = (tp.Stress[i] - tm.Stress[i]) / (2 * o.FiniteDifferenceStep);
                }
            }

            double num = 0, den = 0, big = 0;
            int bi = 0, bj = 0;
            for (int i = 0; i < _n; i++)
            {
                foreach (int j in Driven)
                {
                    double diff = t.Tangent[i * _n + j] - fd[i * _n + j];
                    num += diff * diff;
                    den += fd[i * _n + j] * fd[i * _n + j];
                    if (Math.Abs(diff) > big)
                    {
                        (big, bi, bj) = (Math.Abs(diff), i, j);
                    }
                }
            }

            double rel = Math.Sqrt(num / Math.Max(den, 1e-300));
            if (rel > worst || used == 1)
            {
                var labels = Voigt.Labels(hypothesis);
                worst = Math.Max(worst, rel);
                where = $"sample {sample}, D[{labels[bi]},{labels[bj]}] = {F(t.Tangent[bi * _n + bj])} vs FD {F(fd[bi * _n + bj])}";
            }
        }

        if (used == 0)
        {
            return (Verdict.Fail, "no sample integrated successfully");
        }

        string detail = $"‖D − D_FD‖/‖D_FD‖ = {F(worst)} (worst: {where}; {used} samples)";
        return kind == TangentKind.Consistent
            ? (worst <= o.TangentTolerance ? Verdict.Pass : Verdict.Fail, detail + $", tolerance {F(o.TangentTolerance)}")
            : (Verdict.Info, detail + " — not required to match for this kind");
    }

    public (Verdict, string) Isotropy()
    {
        var rng = new Random(o.Seed + 3);
        double worst = 0;
        string where = "";
        for (int sample = 0; sample < Math.Max(2, o.Samples / 2); sample++)
        {
            var r = hypothesis == ModellingHypothesis.PlaneStrain ? RotationZ(2 * Math.PI * rng.NextDouble()) : RandomRotation(rng);
            var a = NewHarness(1);
            var b = NewHarness(1);
            var dir = RandomIncrement(rng);
            var rdir = Rotate(r, dir, strain: true);
            for (int k = 0; k < o.PrestrainSteps + 1; k++)
            {
                var ta = a.Trial(dir);
                var tb = b.Trial(rdir);
                if (!ta.AllOk || !tb.AllOk)
                {
                    break;
                }

                var expected = Rotate(r, ta.Stress, strain: false);
                double scale = Math.Max(Norm(ta.Stress), 1e-30);
                for (int i = 0; i < _n; i++)
                {
                    double e = Math.Abs(expected[i] - tb.Stress[i]) / scale;
                    if (e > worst)
                    {
                        (worst, where) = (e, $"sample {sample}, step {k}, stress[{Voigt.Labels(hypothesis)[i]}]: R σ Rᵀ = {F(expected[i])}, σ(R Δε Rᵀ) = {F(tb.Stress[i])}");
                    }
                }

                a.Commit(ta);
                b.Commit(tb);
            }
        }

        double tol = Math.Max(o.Tolerance, 1e-9);
        return worst <= tol ? (Verdict.Pass, $"max relative deviation {F(worst)}")
            : (Verdict.Fail, $"rotated increment did not give the rotated stress: {F(worst)} at {where}");
    }

    public (Verdict, string) BadInput()
    {
        var cases = new (string Label, double Value)[] { ("NaN", double.NaN), ("+∞", double.PositiveInfinity), ("absurd strain 1e3", 1e3) };
        var notes = new List<string>();
        foreach (var (label, value) in cases)
        {
            var h = NewHarness(1);
            var de = new double[_n];
            de[Voigt.XX] = value;
            TrialResult t;
            try
            {
                t = h.Trial(de);
            }
            catch (Exception e)
            {
                return (Verdict.Fail, $"{label} increment: the plug-in threw {e.GetType().Name}: {e.Message}");
            }

            h.Revert();
            bool finite = t.Stress.All(double.IsFinite) && t.State.All(double.IsFinite) && t.Tangent.All(double.IsFinite);
            if (t.Status[0].IsOk && (!finite || !double.IsFinite(value)))
            {
                return (Verdict.Fail, $"{label} increment: status Ok with {(finite ? "finite" : "non-finite")} output (expected a failed point)");
            }

            notes.Add($"{label} → {t.Status[0].Outcome}");
        }

        return (Verdict.Pass, string.Join(", ", notes));
    }

    public (Verdict, string) Concurrency()
    {
        var rng = new Random(o.Seed + 4);
        var h = NewHarness(o.ConcurrentPoints);
        var pre = h.Trial(RandomIncrement(rng, o.ConcurrentPoints));
        if (pre.AllOk)
        {
            h.Commit(pre);
        }

        var de = RandomIncrement(rng, o.ConcurrentPoints);
        var serial = h.Trial(de);
        int chunks = Math.Max(4, 2 * Environment.ProcessorCount);
        var parallel = h.Trial(de, chunks);
        return Same(serial, parallel, out var what)
            ? (Verdict.Pass, $"{o.ConcurrentPoints} points in {chunks} concurrent chunks, bitwise identical")
            : (Verdict.Fail, $"concurrent chunks differ from one serial call in {what}");
    }

    public (Verdict, string) OpaqueLifecycle()
    {
        var rng = new Random(o.Seed + 5);
        var h = NewHarness(2);
        var model = (IOpaqueStateMaterial)h.Model;
        var e1 = RandomIncrement(rng, 2);
        var e2 = RandomIncrement(rng, 2);
        var r1 = h.Trial(e1);
        if (!r1.AllOk)
        {
            return (Verdict.Fail, $"first increment failed: {Describe(r1.Status.First(s => !s.IsOk))}");
        }

        h.Commit(r1);
        var r2 = h.Trial(e2);
        h.Revert();
        var r2Again = h.Trial(e2);
        h.Revert();
        if (!Same(r2, r2Again, out var what))
        {
            return (Verdict.Fail, $"after RevertStep the same increment gave a different {what}");
        }

        using var checkpoint = new MemoryStream();
        model.SaveCheckpoint(checkpoint);
        var host = h.Snapshot();
        h.Commit(h.Trial(e2));
        checkpoint.Position = 0;
        model.LoadCheckpoint(checkpoint);
        h.Restore(host);
        var r2Restored = h.Trial(e2);
        h.Revert();
        return Same(r2, r2Restored, out what)
            ? (Verdict.Pass, "revert and checkpoint reload restore the committed state bit for bit")
            : (Verdict.Fail, $"after LoadCheckpoint the same increment gave a different {what}");
    }

    private static bool Same(TrialResult a, TrialResult b, out string what)
    {
        what = !a.Stress.SequenceEqual(b.Stress) ? "stress"
            : !a.State.SequenceEqual(b.State) ? "state"
            : !a.Tangent.SequenceEqual(b.Tangent) ? "tangent"
            : !a.Status.SequenceEqual(b.Status) ? "status" : "";
        return what.Length == 0;
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return Math.Sqrt(s);
    }

    private static double[] RotationZ(double t) => [Math.Cos(t), -Math.Sin(t), 0, Math.Sin(t), Math.Cos(t), 0, 0, 0, 1];

    private static double[] RandomRotation(Random rng)
    {
        // A uniformly random unit quaternion (Shoemake) gives a uniformly random rotation.
        double u1 = rng.NextDouble(), u2 = 2 * Math.PI * rng.NextDouble(), u3 = 2 * Math.PI * rng.NextDouble();
        double a = Math.Sqrt(1 - u1) * Math.Sin(u2), b = Math.Sqrt(1 - u1) * Math.Cos(u2);
        double c = Math.Sqrt(u1) * Math.Sin(u3), w = Math.Sqrt(u1) * Math.Cos(u3);
        return
        [
            1 - 2 * (b * b + c * c), 2 * (a * b - c * w), 2 * (a * c + b * w),
            2 * (a * b + c * w), 1 - 2 * (a * a + c * c), 2 * (b * c - a * w),
            2 * (a * c - b * w), 2 * (b * c + a * w), 1 - 2 * (a * a + b * b),
        ];
    }

    /// <summary>R v Rᵀ for a Voigt vector (strain with engineering shear, or stress).</summary>
    private static double[] Rotate(double[] r, double[] v, bool strain)
    {
        Span<double> t = stackalloc double[9];
        Span<double> rt = stackalloc double[9];
        if (strain)
        {
            Voigt.StrainToTensor(v, t);
        }
        else
        {
            Voigt.StressToTensor(v, t);
        }

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int k = 0; k < 3; k++)
                {
                    for (int l = 0; l < 3; l++)
                    {
                        s += r[i * 3 + k] * t[k * 3 + l] * r[j * 3 + l];
                    }
                }

                rt[i * 3 + j] = s;
            }
        }

        var result = new double[v.Length];
        if (strain)
        {
            Voigt.TensorToStrain(rt, result);
        }
        else
        {
            Voigt.TensorToStress(rt, result);
        }

        return result;
    }
}
