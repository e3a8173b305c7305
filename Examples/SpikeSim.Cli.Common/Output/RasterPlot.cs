using ScottPlot;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Output;

/// <summary>A spike raster above the population rate, as one PNG.</summary>
public static class RasterPlot
{
    /// <summary>Neurons shown at most; a raster of more is unreadable and slow to draw.</summary>
    public const int MaxNeuronsShown = 1000;

    /// <summary>Width of the rate bins, ms.</summary>
    public const double BinMs = 1;

    public static void Save(string path, NetworkRunResult run, string title)
    {
        var shown = Math.Min(run.Neurons, MaxNeuronsShown);
        var xs = new List<double>();
        var ys = new List<double>();
        var bins = new double[Math.Max(1, (int)Math.Ceiling(run.DurationMs / BinMs))];
        for (var k = 0; k < run.SpikeNeurons.Length; k++)
        {
            var t = run.SpikeTimesMs[k];
            bins[Math.Min(bins.Length - 1, (int)(t / BinMs))]++;
            if (run.SpikeNeurons[k] >= shown) continue;
            xs.Add(t);
            ys.Add(run.SpikeNeurons[k]);
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var raster = multiplot.GetPlot(0);
        var scatter = raster.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
        scatter.MarkerSize = 1.5f;
        scatter.MarkerShape = MarkerShape.FilledSquare;
        scatter.Color = Colors.Black;
        raster.Title(title);
        raster.YLabel(shown < run.Neurons ? $"neuron (first {shown})" : "neuron");
        raster.Axes.SetLimits(0, run.DurationMs, -1, shown);

        var ratePlot = multiplot.GetPlot(1);
        var rates = bins.Select(c => c / (run.Neurons * BinMs * 1e-3)).ToArray();
        var times = Enumerable.Range(0, rates.Length).Select(b => (b + 0.5) * BinMs).ToArray();
        var line = ratePlot.Add.ScatterLine(times, rates);
        line.Color = Colors.SteelBlue;
        ratePlot.XLabel("time (ms)");
        ratePlot.YLabel($"rate (Hz, {BinMs:0.#} ms bins)");
        ratePlot.Axes.SetLimitsX(0, run.DurationMs);
        multiplot.SharedAxes.ShareX([raster, ratePlot]);

        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1200, 800));
    }
}
