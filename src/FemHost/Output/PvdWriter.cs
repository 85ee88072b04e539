using System.Globalization;

namespace FemHost.Output;

/// <summary>A ParaView collection (.pvd) listing the .vtu files of a run with their load factor as time.</summary>
public sealed class PvdWriter(string path)
{
    private readonly List<(double Time, string File)> _entries = [];

    /// <summary>The listed files with their times.</summary>
    public IReadOnlyList<(double Time, string File)> Entries => _entries;

    /// <summary>Adds a .vtu (path relative to the .pvd) and rewrites the collection atomically.</summary>
    public void Add(double time, string relativeFile)
    {
        _entries.Add((time, relativeFile));
        Write();
    }

    /// <summary>Replaces the list by <paramref name="entries"/> (a resumed run) and rewrites the collection.</summary>
    public void Restore(IEnumerable<(double Time, string File)> entries)
    {
        _entries.Clear();
        _entries.AddRange(entries);
        Write();
    }

    private void Write() =>
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
