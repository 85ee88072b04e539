using SkiaSharp;

namespace FemHost.Experiments.Rendering;

/// <summary>
/// Composes equally sized PNG panels (ScottPlot renders) into one figure of rows × columns on a white
/// background, row-major, so a figure like the paper's Fig. 17 (runs × axial strains) is one file.
/// </summary>
public static class PanelGrid
{
    /// <summary>Writes the panels (PNG bytes, row-major; null leaves a cell empty) as one PNG of <paramref name="columns"/> columns.</summary>
    public static void Save(string pngPath, IReadOnlyList<byte[]?> panels, int columns)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (columns < 1 || panels.Count == 0)
        {
            throw new ArgumentException("a panel grid needs at least one panel and one column");
        }

        var bitmaps = panels.Select(p => p is null ? null : SKBitmap.Decode(p)).ToList();
        try
        {
            int w = bitmaps.Where(b => b is not null).Max(b => b!.Width);
            int h = bitmaps.Where(b => b is not null).Max(b => b!.Height);
            int rows = (panels.Count + columns - 1) / columns;
            using var surface = SKSurface.Create(new SKImageInfo(w * columns, h * rows))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
            surface.Canvas.Clear(SKColors.White);
            for (int k = 0; k < bitmaps.Count; k++)
            {
                if (bitmaps[k] is { } b)
                {
                    surface.Canvas.DrawBitmap(b, k % columns * w, k / columns * h);
                }
            }

            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
            File.WriteAllBytes(pngPath, data.ToArray());
        }
        finally
        {
            foreach (var b in bitmaps)
            {
                b?.Dispose();
            }
        }
    }
}
