using FemHost.Materials.DemRve.Engine;

namespace FemHost.Materials.DemRve.Bench;

/// <summary>
/// PNG of virtual-laboratory curves (ScottPlot 5): deviatoric stress q = σ_a − σ_r and volumetric strain
/// ε_v (contraction positive) against axial strain, one line per confining pressure, side by side.
/// </summary>
public static class LabPlot
{
    /// <summary>Writes the figure to <paramref name="path"/>.</summary>
    public static void Write(string path, string title, IReadOnlyList<double> pressures, IReadOnlyList<IReadOnlyList<BiaxialRecord>> results)
    {
        ArgumentNullException.ThrowIfNull(pressures);
        ArgumentNullException.ThrowIfNull(results);
        var stress = new ScottPlot.Plot();
        var volume = new ScottPlot.Plot();
        var colours = new ScottPlot.Colormaps.Viridis();
        for (int k = 0; k < results.Count; k++)
        {
            var ea = results[k].Select(r => 100 * r.AxialStrain).ToArray();
            var q = results[k].Select(r => (r.AxialStress - r.LateralStress) / 1e3).ToArray();
            var ev = results[k].Select(r => 100 * r.VolumetricStrain).ToArray();
            var colour = colours.GetColor(results.Count == 1 ? 0.0 : (double)k / (results.Count - 1));
            var a = stress.Add.ScatterLine(ea, q, colour);
            var b = volume.Add.ScatterLine(ea, ev, colour);
            if (results.Count <= 8)
            {
                a.LegendText = $"{pressures[k]:G4} kPa";
            }
        }

        stress.Title(title);
        stress.XLabel("axial strain (%)");
        stress.YLabel("q = σa − σr (kPa)");
        volume.Title(results.Count > 8 ? $"{pressures[0]:G4}–{pressures[^1]:G4} kPa (dark → light)" : "volumetric strain");
        volume.XLabel("axial strain (%)");
        volume.YLabel("volumetric strain (%, contraction +)");
        WriteSideBySide(path, stress, volume);
    }

    /// <summary>Writes two plots side by side (700 × 500 pixels each) to <paramref name="path"/> (through a temporary file).</summary>
    public static void WriteSideBySide(string path, ScottPlot.Plot left, ScottPlot.Plot right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        const int width = 700, height = 500;
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(2 * width, height));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        using (var leftImage = SkiaSharp.SKImage.FromEncodedData(left.GetImageBytes(width, height, ScottPlot.ImageFormat.Png)))
        using (var rightImage = SkiaSharp.SKImage.FromEncodedData(right.GetImageBytes(width, height, ScottPlot.ImageFormat.Png)))
        {
            surface.Canvas.DrawImage(leftImage, 0, 0);
            surface.Canvas.DrawImage(rightImage, width, 0);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, data.ToArray());
        File.Move(tmp, path, overwrite: true);
    }
}
