using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FemHost.Cases;

namespace FemHost.Checkpoints;

/// <summary>
/// The SHA-256 fingerprint of what a checkpoint's state depends on: name, hypothesis, mesh (the .msh file's
/// bytes for a Gmsh mesh), materials with their parameters (and the bytes of files they name, e.g. a neural
/// model), regions, boundary conditions, loads, initial stresses, the number of steps and the outputs (which
/// files exist, their cursor). Left out on purpose, so a stopped run can be resumed with other values: the
/// solver section (tolerances, iterations, line search, linear solver, threads), steps.max_cutbacks, steps.min_increment,
/// steps.allow_growth, output.plots and output.checkpoint_every; these change how the solution is reached or
/// what is written at the end, not the state a checkpoint holds.
/// </summary>
public static class CaseFingerprint
{
    /// <summary>Lower-case hex SHA-256 of the canonical description of <paramref name="c"/>.</summary>
    public static string Of(CaseDefinition c)
    {
        var text = new StringBuilder();
        var folder = Path.GetDirectoryName(c.SourcePath) ?? ".";
        void Line(FormattableString s) => text.Append(s.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Line($"name {c.Name}; hypothesis {c.Hypothesis}");
        var m = c.Mesh;
        Line($"mesh {m.Element} gauss {m.GaussOrder}");
        if (m.Rectangle is { } r)
        {
            Line($"rectangle {r.Width:R} {r.Height:R} {r.Nx} {r.Ny} {r.X0:R} {r.Y0:R}");
        }

        if (m.GmshFile is { } gmsh)
        {
            Line($"gmsh {FileHash(gmsh)}");
        }

        foreach (var mat in c.Materials)
        {
            Line($"material {mat.Name} model {mat.Model} tangent {mat.Tangent}");
            foreach (var (key, value) in mat.Parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                string v = Format(value);
                var file = value is string s && s.Length > 0 ? Path.GetFullPath(s, folder) : null;
                Line($"  {key} = {v}{(file is not null && InputFile.IsRegular(file) ? " file " + FileHash(file) : "")}");
            }
        }

        foreach (var a in c.Regions)
        {
            Line($"region {a.Region} material {a.Material}");
        }

        foreach (var d in c.Displacements)
        {
            Line($"displacement {d.Set} {d.Ux:R} {d.Uy:R} {d.History}");
        }

        foreach (var e in c.EdgeLoads)
        {
            Line($"edge load {e.Edge} {e.Pressure:R} {e.Tx:R} {e.Ty:R} {e.History}");
        }

        foreach (var b in c.BodyForces)
        {
            Line($"body force {b.Region} {b.Bx:R} {b.By:R} {b.History}");
        }

        foreach (var s in c.InitialStresses)
        {
            Line($"initial stress {s.Region} {string.Join(" ", s.Stress.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}");
        }

        Line($"steps {c.Steps.Count}");
        var o = c.Output;
        Line($"output every {o.Every} vtu {o.Vtu} point_log {o.PointLog}");
        foreach (var curve in o.Curves)
        {
            Line($"curve {curve.Name} {curve.Kind} {curve.Set}");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>A raw parameter value, exactly (round-trip reals; lists element by element).</summary>
    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
