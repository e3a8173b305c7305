using ScottPlot;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Output;

/// <summary>
/// A spike raster above the population rate, as one PNG. The raster shows the first <see cref="MaxNeuronsShown"/> neurons over the
/// first <see cref="WindowMs"/> (more is a black block); the rate panel covers the whole run, in bins widened from 1 ms so that at
/// most <see cref="MaxRatePoints"/> are drawn, and says its bin width.
/// </summary>
public static class RasterPlot
{
    /// <summary>Neurons shown at most; a raster of more is unreadable and slow to draw.</summary>
    public const int MaxNeuronsShown = 1000;

    /// <summary>The raster's time window from the start of the run, ms.</summary>
    public const double WindowMs = 1000;

    /// <summary>Rate bins drawn at most (about two per pixel of the figure's width).</summary>
    public const int MaxRatePoints = 2400;

    public static void Save(string path, NetworkRunResult run, string title)
    {
        var shown = Math.Min(run.Neurons, MaxNeuronsShown);
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var raster = multiplot.GetPlot(0);
        var scatter = raster.Add.ScatterPoints(run.RasterTimesMs.ToArray(), run.RasterNeurons.Select(n => (double)n).ToArray());
        scatter.MarkerSize = 1.5f;
        scatter.MarkerShape = MarkerShape.FilledSquare;
        scatter.Color = Colors.Black;
        raster.Title($"{title} ({SpikeSim.Learning.Training.OptionName.Of(run.Engine)} engine)");
        raster.YLabel(shown < run.Neurons ? $"neuron (first {shown})" : "neuron");
        raster.XLabel(run.RasterMs < run.DurationMs ? $"time (ms; the first {run.RasterMs:0.###} ms of {run.DurationMs:0.###})" : "time (ms)");
        raster.Axes.SetLimits(0, run.RasterMs, -1, shown);

        var ratePlot = multiplot.GetPlot(1);
        var factor = (int)Math.Ceiling(run.Rate.Bins / (double)MaxRatePoints);
        var binMs = run.Rate.BinMs * factor;
        var counts = run.Rate.Coarsened(factor);
        var rates = counts.Select((c, b) => c / (run.Neurons * Math.Min(binMs, run.DurationMs - b * binMs) * 1e-3)).ToArray();
        var times = Enumerable.Range(0, rates.Length).Select(b => run.Rate.OriginMs + (b + 0.5) * binMs).ToArray();
        var line = ratePlot.Add.ScatterLine(times, rates);
        line.Color = Colors.SteelBlue;
        ratePlot.XLabel("time (ms)");
        ratePlot.YLabel($"rate (Hz, {binMs:0.###} ms bins)");
        ratePlot.Axes.SetLimits(0, run.DurationMs, 0, Math.Max(1e-9, rates.DefaultIfEmpty(0).Max()) * 1.05);
        if (run.RasterMs >= run.DurationMs) multiplot.SharedAxes.ShareX([raster, ratePlot]);
        // The same margins on both panels, so that their time axes line up to the pixel whatever their tick labels' widths.
        foreach (var panel in new[] { raster, ratePlot }) panel.Layout.Fixed(new PixelPadding(90, 30, 60, 45));

        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1200, 800));
    }
}
