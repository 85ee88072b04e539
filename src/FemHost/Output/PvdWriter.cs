using System.Globalization;

namespace FemHost.Output;

/// <summary>A ParaView collection (.pvd) listing the .vtu files of a run with their load factor as time.</summary>
public sealed class PvdWriter(string path)
{
    private readonly List<(double Time, string File)> _entries = [];

    /// <summary>Adds a .vtu (path relative to the .pvd) and rewrites the collection atomically.</summary>
    public void Add(double time, string relativeFile)
    {
        _entries.Add((time, relativeFile));
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("<?xml version=\"1.0\"?>");
            w.WriteLine("<VTKFile type=\"Collection\" version=\"0.1\">");
            w.WriteLine("<Collection>");
            foreach (var (t, f) in _entries)
            {
                w.WriteLine($"<DataSet timestep=\"{t.ToString("R", CultureInfo.InvariantCulture)}\" part=\"0\" file=\"{f}\"/>");
            }

            w.WriteLine("</Collection>");
            w.WriteLine("</VTKFile>");
        });
    }
}
