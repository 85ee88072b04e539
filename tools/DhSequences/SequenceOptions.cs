using System.Globalization;
using FemHost.Materials.DhModel;
using FemHost.MaterialSdk;

namespace FemHost.Tools.DhSequences;

/// <summary>A mistake on the command line; the message says what is expected.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Command-line options of dh-sequences.</summary>
internal sealed record SequenceOptions
{
    public const string Usage = """
        dh-sequences --out DIR [options]
          Generates drained triaxial stress-strain sequences of the DH model (paper Algorithm 1, §3.2.1) by stepping
          the confining pressure, and writes them as femhost-path-datasets (docs/dataset-format.md).
        Options:
          --out DIR            output folder (required)
          --mode M             stress | strain | both (default both): stress-controlled paths (dp, dq steps) and/or
                               strain-controlled paths (axial strain steps through the strain-driven FEM integration);
                               plane-strain: random strain-controlled plane-strain histories from the isotropic stress
                               p0 in [p0-min, p0-max], with direction changes and unloading-reloading (NN-FEM data;
                               --count paths of --max-steps steps of size --axial-step; writes dh-plane-strain.csv)
          --seed N             seed of the plane-strain paths (default 1)
          --append FILE        plane-strain: also write the paths of this plane-strain dataset (e.g. a Gauss-point log
                               of femhost run with output.point_log), renumbered after the generated ones
          --monotonic-fraction X  share of plane-strain paths loaded in one direction without unloading (default 0.3)
          --count N            number of confining pressures (default 450)
          --p0-min X           smallest confining pressure in kPa (default 25)
          --p0-max X           largest confining pressure in kPa (default 1000)
          --dp X, --dq X       stress steps in kPa (default 0.3, 0.9)
          --axial-step X       axial strain step of strain-controlled paths (default 2e-4)
          --max-steps N        largest number of steps per path (default 2500)
          --eps-q-max X        stop a path once the deviatoric strain exceeds X (default 0.25)
          --set NAME=VALUE     DH material parameter (K0, G0, n, p_a, A, eta_c, eta_f, p_min, ...); repeatable
          --serial             one thread (default: paths in parallel)
        """;

    public required string OutDir { get; init; }
    public string Mode { get; init; } = "both";
    public int Count { get; init; } = 450;
    public double P0Min { get; init; } = 25;
    public double P0Max { get; init; } = 1000;
    public double Dp { get; init; } = 0.3;
    public double Dq { get; init; } = 0.9;
    public double AxialStep { get; init; } = 2e-4;
    public int MaxSteps { get; init; } = 2500;
    public double MaxDeviatoricStrain { get; init; } = 0.25;
    public bool Serial { get; init; }
    public int Seed { get; init; } = 1;
    public string? Append { get; init; }
    public double MonotonicFraction { get; init; } = 0.3;
    public required MaterialParameters Parameters { get; init; }

    public static SequenceOptions Parse(IReadOnlyList<string> args)
    {
        string? outDir = null;
        string mode = "both";
        int count = 450, maxSteps = 2500;
        double p0Min = 25, p0Max = 1000, dp = 0.3, dq = 0.9, axial = 2e-4, epsQ = 0.25;
        bool serial = false;
        int seed = 1;
        string? append = null;
        double monotonic = 0.3;
        var raw = new Dictionary<string, object?>();
        for (int i = 0; i < args.Count; i++)
        {
            string key = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new UsageException($"option {key} needs a value.\n{Usage}");
            switch (key)
            {
                case "--out": outDir = Next(); break;
                case "--mode":
                    mode = Next();
                    if (mode is not ("stress" or "strain" or "both" or "plane-strain"))
                    {
                        throw new UsageException($"--mode is '{mode}'; expected stress, strain, both or plane-strain.");
                    }

                    break;
                case "--count": count = (int)Number(key, Next(), 1, 1e6, integer: true); break;
                case "--p0-min": p0Min = Number(key, Next(), 1e-6, 1e9); break;
                case "--p0-max": p0Max = Number(key, Next(), 1e-6, 1e9); break;
                case "--dp": dp = Number(key, Next(), -1e6, 1e6); break;
                case "--dq": dq = Number(key, Next(), 0, 1e6); break;
                case "--axial-step": axial = Number(key, Next(), 1e-9, 0.05); break;
                case "--max-steps": maxSteps = (int)Number(key, Next(), 1, 1e7, integer: true); break;
                case "--eps-q-max": epsQ = Number(key, Next(), 1e-9, 10); break;
                case "--serial": serial = true; break;
                case "--append": append = Next(); break;
                case "--seed": seed = (int)Number(key, Next(), 0, int.MaxValue, integer: true); break;
                case "--monotonic-fraction": monotonic = Number(key, Next(), 0, 1); break;
                case "--set":
                    string kv = Next();
                    int eq = kv.IndexOf('=');
                    if (eq <= 0)
                    {
                        throw new UsageException($"--set expects NAME=VALUE (e.g. --set eta_f=1.3), got '{kv}'.");
                    }

                    raw[kv[..eq]] = kv[(eq + 1)..];
                    break;
                case "--help" or "-h": throw new UsageException(Usage);
                default: throw new UsageException($"unknown option '{key}'.\n{Usage}");
            }
        }

        if (outDir is null)
        {
            throw new UsageException($"--out DIR is required.\n{Usage}");
        }

        if (p0Max < p0Min)
        {
            throw new UsageException($"--p0-max ({p0Max}) must not be below --p0-min ({p0Min}).");
        }

        if (dp == 0 && dq == 0)
        {
            throw new UsageException("--dp and --dq are both zero: the stress path would not move.");
        }

        MaterialParameters parameters;
        try
        {
            parameters = MaterialParameters.Validate(new DhModelPlugin().Metadata, raw);
        }
        catch (MaterialParameterException e)
        {
            throw new UsageException($"--set: {e.Message}");
        }

        return new SequenceOptions
        {
            OutDir = outDir,
            Mode = mode,
            Count = count,
            P0Min = p0Min,
            P0Max = p0Max,
            Dp = dp,
            Dq = dq,
            AxialStep = axial,
            MaxSteps = maxSteps,
            MaxDeviatoricStrain = epsQ,
            Serial = serial,
            Seed = seed,
            Append = append,
            MonotonicFraction = monotonic,
            Parameters = parameters,
        };
    }

    private static double Number(string key, string text, double min, double max, bool integer = false)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw new UsageException($"{key} is '{text}'; expected a number (invariant culture, e.g. 0.3).");
        }

        if (v < min || v > max || (integer && v != Math.Round(v)))
        {
            throw new UsageException($"{key} is {text}; expected {(integer ? "an integer" : "a number")} in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        }

        return v;
    }
}
