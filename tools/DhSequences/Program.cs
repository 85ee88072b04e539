using System.Diagnostics;
using System.Globalization;
using FemHost.MaterialData;
using FemHost.Materials.DhModel;
using FemHost.Tools.DhSequences;

try
{
    var o = SequenceOptions.Parse(args);
    var constants = DhConstants.From(o.Parameters);
    var pressures = TriaxialFamily.ConfiningPressures(o.P0Min, o.P0Max, o.Count);
    Directory.CreateDirectory(o.OutDir);
    Console.WriteLine($"DH {(o.Mode == "plane-strain" ? $"plane-strain paths: {o.Count} initial pressures" : $"triaxial sequences: {o.Count} confining pressures")} {o.P0Min:G4}–{o.P0Max:G4} kPa, mode {o.Mode}, "
        + $"K0={constants.K0} G0={constants.G0} n={constants.N} p_a={constants.Pa} A={constants.A} eta_c={constants.EtaC} eta_f={constants.EtaF}");
    if (o.Mode is "stress" or "both")
    {
        var gen = new StressControlledTriaxial(constants) { Dp = o.Dp, Dq = o.Dq, MaxSteps = o.MaxSteps, MaxDeviatoricStrain = o.MaxDeviatoricStrain };
        Emit("stress", Path.Combine(o.OutDir, "dh-triaxial-stress.csv"), gen.Run, new Dictionary<string, object>
        {
            ["control"] = "stress",
            ["dp"] = o.Dp,
            ["dq"] = o.Dq,
        });
    }

    if (o.Mode is "strain" or "both")
    {
        var gen = new StrainControlledTriaxial(constants) { AxialStrainIncrement = o.AxialStep, MaxSteps = o.MaxSteps, MaxDeviatoricStrain = o.MaxDeviatoricStrain };
        Emit("strain", Path.Combine(o.OutDir, "dh-triaxial-strain.csv"), gen.Run, new Dictionary<string, object>
        {
            ["control"] = "strain",
            ["axial_step"] = o.AxialStep,
        });
    }

    if (o.Mode == "plane-strain")
    {
        var clock = Stopwatch.StartNew();
        var generator = new PlaneStrainPaths(o.Parameters)
        {
            Steps = o.MaxSteps,
            StrainStep = o.AxialStep,
            P0Min = o.P0Min,
            P0Max = o.P0Max,
            MonotonicFraction = o.MonotonicFraction,
        };
        var data = generator.Generate(o.Count, o.Seed);
        if (o.Append is not null)
        {
            data = Append(data, o.Append);
        }

        string file = Path.Combine(o.OutDir, "dh-plane-strain.csv");
        data.Write(file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  plane-strain paths: {data.Paths.Count} ({o.Count} generated{(o.Append is null ? "" : $", the rest from {o.Append}")}), {data.RowCount} rows (steps per path {data.Paths.Min(p => p.Rows.Count - 1)}–{data.Paths.Max(p => p.Rows.Count - 1)}), "
            + $"seed {o.Seed}; {clock.Elapsed.TotalSeconds:F3} s -> {file}"));
    }

    return 0;

    // The generated paths followed by those of another plane-strain dataset, ids renumbered after the generated
    // ones; extra columns are dropped (the generated paths have none).
    static PathDataset Append(PathDataset data, string file)
    {
        PathDataset more;
        try
        {
            more = PathDatasetReader.Read(file);
        }
        catch (Exception e) when (e is PathDatasetFormatException or IOException)
        {
            throw new UsageException($"--append {file}: {e.Message}");
        }

        if (more.Info.Hypothesis != DatasetHypothesis.PlaneStrain || !more.Info.HasTangent)
        {
            throw new UsageException($"--append {file}: expected a plane-strain dataset with tangent columns (D_ij_kl), got {more.Info.Hypothesis}{(more.Info.HasTangent ? "" : " without a tangent")}.");
        }

        int offset = data.Paths.Count == 0 ? 0 : data.Paths.Max(p => p.Id) + 1;
        var appended = more.Paths.Select((p, k) => new DatasetPath(offset + k, [.. p.Rows.Select(r => r with { Extras = [] })]));
        var parameters = new Dictionary<string, object>(data.Info.Source.Parameters) { ["appended"] = Path.GetFileName(file), ["appended_paths"] = (long)more.Paths.Count };
        var info = data.Info with { Source = data.Info.Source with { Parameters = parameters } };
        return new PathDataset(info, [.. data.Paths, .. appended]);
    }

    void Emit(string label, string file, Func<double, TriaxialPath> run, Dictionary<string, object> extra)
    {
        var clock = Stopwatch.StartNew();
        var paths = TriaxialFamily.Generate(pressures, run, parallel: !o.Serial);
        double generate = clock.Elapsed.TotalSeconds;
        var parameters = new Dictionary<string, object>(constants.ToDictionary());
        foreach (var (k, v) in extra)
        {
            parameters[k] = v;
        }

        parameters["p0_min"] = o.P0Min;
        parameters["p0_max"] = o.P0Max;
        parameters["count"] = (long)o.Count;
        parameters["max_steps"] = (long)o.MaxSteps;
        parameters["eps_q_max"] = o.MaxDeviatoricStrain;
        clock.Restart();
        long rows = TriaxialFamily.Write(file, paths, new DatasetSource("dh-sequences 1.0", "DhModel", parameters));
        double write = clock.Elapsed.TotalSeconds;
        int reachedStrain = paths.Count(p => p.DeviatoricStrain[^1] > o.MaxDeviatoricStrain);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}-controlled: {paths.Length} paths, {rows} rows (steps per path {paths.Min(p => p.Count - 1)}–{paths.Max(p => p.Count - 1)}), "
            + $"{reachedStrain} reached eps_q > {o.MaxDeviatoricStrain}, final q/p {paths.Min(p => p.Q[^1] / p.P[^1]):F3}–{paths.Max(p => p.Q[^1] / p.P[^1]):F3}; "
            + $"generated in {generate:F3} s, written in {write:F3} s -> {file}"));
    }
}
catch (UsageException e)
{
    Console.Error.WriteLine($"dh-sequences: {e.Message}");
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine($"dh-sequences: cannot write the output ({e.Message}); check that --out names a writable folder.");
    return 3;
}
