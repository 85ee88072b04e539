using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Dem3D;

/// <summary>
/// Random loose packing of N spheres in a cubic periodic cell: diameters drawn from a gradation, placed
/// largest first by random sequential addition without overlap at a low solid fraction (below the random
/// sequential addition limit of about 0.38 for equal spheres), deterministic for a seed.
/// </summary>
public static class SpherePackingGenerator
{
    /// <summary>Generates the gas of spheres (no contacts, zero velocities, masses set, skin = skinFraction · mean radius).</summary>
    /// <param name="count">Number of spheres N.</param>
    /// <param name="gradation">Particle-size distribution.</param>
    /// <param name="density">Solid density ρ (kg/m³).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="solidFraction">Initial solid volume fraction.</param>
    /// <param name="skinFraction">Verlet skin as a fraction of the mean radius.</param>
    public static SpherePacking Generate(int count, Gradation gradation, double density, ulong seed, double solidFraction = 0.25, double skinFraction = 0.3)
    {
        ArgumentNullException.ThrowIfNull(gradation);
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a packing needs at least 2 spheres");
        }

        if (!(solidFraction > 0 && solidFraction < 0.38))
        {
            throw new ArgumentOutOfRangeException(nameof(solidFraction), solidFraction, "random sequential addition needs a solid fraction in (0, 0.38)");
        }

        var rng = new SplitMix64(seed);
        var radii = new double[count];
        for (int i = 0; i < count; i++)
        {
            radii[i] = 0.5 * gradation.Sample(ref rng);
        }

        Array.Sort(radii, (a, b) => b.CompareTo(a));
        double solid = radii.Sum(r => 4.0 / 3.0 * Math.PI * r * r * r);
        double side = Math.Cbrt(solid / solidFraction);
        if (side < 4 * radii[0])
        {
            throw new ArgumentException($"{count} spheres are too few for the gradation: the cell ({side:G3} m) is less than two largest diameters wide");
        }

        var p = new SpherePacking(count) { Cell = Mat3.Diagonal(side, side, side) };
        p.ReferenceCell = p.Cell;
        p.Skin = skinFraction * radii.Average();
        for (int i = 0; i < count; i++)
        {
            p.Radius[i] = radii[i];
            int attempts = 0;
            while (true)
            {
                double sx = rng.NextDouble(), sy = rng.NextDouble(), sz = rng.NextDouble();
                if (Free(p, i, sx, sy, sz, side))
                {
                    p.Sx[i] = sx;
                    p.Sy[i] = sy;
                    p.Sz[i] = sz;
                    break;
                }

                if (++attempts > 100_000)
                {
                    throw new InvalidOperationException($"could not place sphere {i} of {count} at solid fraction {solidFraction}");
                }
            }
        }

        p.SetMasses(density);
        return p;
    }

    private static bool Free(SpherePacking p, int n, double sx, double sy, double sz, double side)
    {
        for (int j = 0; j < n; j++)
        {
            double a = p.Sx[j] - sx, b = p.Sy[j] - sy, c = p.Sz[j] - sz;
            a -= Math.Round(a);
            b -= Math.Round(b);
            c -= Math.Round(c);
            double reach = (p.Radius[j] + p.Radius[n]) / side;
            if (a * a + b * b + c * c < reach * reach)
            {
                return false;
            }
        }

        return true;
    }
}
