namespace FemHost.Output;

/// <summary>PNG plots of recorded curves (ScottPlot 5), one file per curve against the load factor.</summary>
public static class CurvePlotter
{
    /// <summary>Writes <c>folder/NAME.png</c> for every curve column; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, string caseName, CurveRecorder curves)
    {
        var files = new List<string>();
        if (curves.Rows.Count == 0)
        {
            return files;
        }

        var lambda = curves.Rows.Select(r => r[1]).ToArray();
        for (int k = 2; k < curves.Columns.Count; k++)
        {
            var values = curves.Rows.Select(r => r[k]).ToArray();
            var plot = new ScottPlot.Plot();
            plot.Add.Scatter(lambda, values);
            plot.Title($"{caseName}: {curves.Columns[k]}");
            plot.XLabel("load factor λ");
            plot.YLabel(curves.Columns[k]);
            var path = Path.Combine(folder, curves.Columns[k] + ".png");
            AtomicFile.WriteBytes(path, plot.GetImageBytes(800, 500, ScottPlot.ImageFormat.Png));
            files.Add(path);
        }

        return files;
    }
}
