using SkiaSharp;

namespace FemHost.Experiments.Reporting;

/// <summary>Several <see cref="Figure"/>s laid out as one PNG in a grid (row by row), like a paper's multi-panel figure.</summary>
public static class FigureGrid
{
    /// <summary>Renders each figure at <paramref name="panelWidth"/> × <paramref name="panelHeight"/> and writes the grid atomically.</summary>
    public static void Save(string path, IReadOnlyList<Figure> panels, int columns, int panelWidth = 700, int panelHeight = 480)
    {
        ArgumentNullException.ThrowIfNull(panels);
        int rows = (panels.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * panelWidth, rows * panelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var bitmap = SKBitmap.Decode(panels[i].PngBytes(panelWidth, panelHeight));
            surface.Canvas.DrawBitmap(bitmap, i % columns * panelWidth, i / columns * panelHeight);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, data.ToArray());
        File.Move(tmp, path, overwrite: true);
    }
}
