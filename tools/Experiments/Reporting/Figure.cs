using ScottPlot;

namespace FemHost.Experiments.Reporting;

/// <summary>
/// One PNG line plot (ScottPlot 5) with the pipeline's conventions: a title, axis labels with units, series
/// coloured by index (Category10, cycling), measured data as markers and model curves as lines, a legend when
/// any series is named. Saved atomically (temporary file, then rename).
/// </summary>
public sealed class Figure
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();
    private readonly Plot _plot = new();
    private readonly bool _logY;
    private bool _hasLegend;

    /// <summary>Creates an empty figure; with <paramref name="logY"/> the y axis is base-10 logarithmic (positive values only).</summary>
    public Figure(string title, string xLabel, string yLabel, bool logY = false)
    {
        _plot.Title(title);
        _plot.XLabel(xLabel);
        _plot.YLabel(yLabel);
        _logY = logY;
        if (logY)
        {
            // Values are plotted as log10(y); the tick labels show y itself.
            _plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = v => $"{Math.Pow(10, v):G3}",
            };
        }
    }

    /// <summary>The colour of series index <paramref name="i"/> (a curve family shares one colour per member).</summary>
    public static Color ColorOf(int i) => Palette.GetColor(i % Palette.Colors.Length);

    /// <summary>Adds a solid (or dashed) line.</summary>
    public Figure Line(IReadOnlyList<double> x, IReadOnlyList<double> y, int color, string? label = null, bool dashed = false, float width = 2)
    {
        var s = _plot.Add.ScatterLine(X(x), Y(y), ColorOf(color));
        s.LineWidth = width;
        s.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        Label(s, label);
        return this;
    }

    /// <summary>Adds markers without a line (measured data).</summary>
    public Figure Markers(IReadOnlyList<double> x, IReadOnlyList<double> y, int color, string? label = null, float size = 5)
    {
        var s = _plot.Add.ScatterPoints(X(x), Y(y), ColorOf(color));
        s.MarkerSize = size;
        Label(s, label);
        return this;
    }

    /// <summary>Adds a line with a shaded band between <paramref name="low"/> and <paramref name="high"/> (spread over seeds).</summary>
    public Figure Band(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> low, IReadOnlyList<double> high, int color, string? label = null)
    {
        var fill = _plot.Add.FillY(X(x), Y(low), Y(high));
        fill.FillColor = ColorOf(color).WithAlpha(0.2);
        fill.LineWidth = 0;
        var s = _plot.Add.ScatterLine(X(x), Y(y), ColorOf(color));
        s.LineWidth = 2;
        s.MarkerSize = 6;
        s.MarkerShape = MarkerShape.FilledCircle;
        Label(s, label);
        return this;
    }

    /// <summary>Writes the PNG (width × height pixels) atomically.</summary>
    public void Save(string path, int width = 900, int height = 600)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, PngBytes(width, height));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The figure as PNG bytes (width × height pixels).</summary>
    public byte[] PngBytes(int width, int height)
    {
        if (_hasLegend)
        {
            _plot.ShowLegend(Alignment.UpperLeft);
        }

        return _plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static double[] X(IReadOnlyList<double> x) => [.. x];

    private double[] Y(IReadOnlyList<double> y) => _logY ? [.. y.Select(Math.Log10)] : [.. y];

    private void Label(ScottPlot.Plottables.Scatter s, string? label)
    {
        if (label is not null)
        {
            s.LegendText = label;
            _hasLegend = true;
        }
    }
}
