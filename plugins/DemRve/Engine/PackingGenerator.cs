namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// Random loose packing of N disks in a square periodic cell: radii drawn uniformly in [r_min, r_max]
/// (Table 3 gives only the range), placed by random sequential addition without overlap at a low
/// solid fraction, larger disks first. Deterministic for a seed (own SplitMix64 generator, so packings
/// do not change with the .NET version).
/// </summary>
public static class PackingGenerator
{
    /// <summary>Generates the gas of disks; the result has no contacts and zero velocities.</summary>
    /// <param name="count">Number of disks N.</param>
    /// <param name="minRadius">Smallest radius (m).</param>
    /// <param name="maxRadius">Largest radius (m).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="solidFraction">Initial area fraction (below random sequential jamming, about 0.5).</param>
    public static Packing Generate(int count, double minRadius, double maxRadius, ulong seed, double solidFraction = 0.5)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a packing needs at least 2 disks");
        }

        if (!(minRadius > 0 && maxRadius >= minRadius))
        {
            throw new ArgumentException($"radius range [{minRadius}, {maxRadius}] is invalid");
        }

        var rng = new SplitMix64(seed);
        var radii = new double[count];
        for (int i = 0; i < count; i++)
        {
            radii[i] = minRadius + (maxRadius - minRadius) * rng.NextDouble();
        }

        Array.Sort(radii, (a, b) => b.CompareTo(a));
        double solid = radii.Sum(r => Math.PI * r * r);
        double side = Math.Sqrt(solid / solidFraction);
        var p = new Packing(count) { Cell = new Mat2(side, 0, 0, side) };
        p.ReferenceCell = p.Cell;
        for (int i = 0; i < count; i++)
        {
            p.Radius[i] = radii[i];
            int attempts = 0;
            while (true)
            {
                double sx = rng.NextDouble(), sy = rng.NextDouble();
                if (Free(p, i, sx, sy, side))
                {
                    p.Sx[i] = sx;
                    p.Sy[i] = sy;
                    break;
                }

                if (++attempts > 100_000)
                {
                    throw new InvalidOperationException($"could not place disk {i} of {count} at solid fraction {solidFraction}");
                }
            }
        }

        return p;
    }

    private static bool Free(Packing p, int n, double sx, double sy, double side)
    {
        for (int j = 0; j < n; j++)
        {
            double ax = p.Sx[j] - sx, ay = p.Sy[j] - sy;
            ax -= Math.Round(ax);
            ay -= Math.Round(ay);
            double reach = (p.Radius[j] + p.Radius[n]) / side;
            if (ax * ax + ay * ay < reach * reach)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny, fully specified pseudo-random generator.</summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
