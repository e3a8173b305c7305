using ScottPlot;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Output;

/// <summary>A spike raster above the population rate, as one PNG.</summary>
internal static class RasterPlot
{
    /// <summary>Neurons shown at most; a raster of more is unreadable and slow to draw.</summary>
    public const int MaxNeuronsShown = 1000;

    public static void Save(string path, SpikeRecorder spikes, RateRecorder rate, string title)
    {
        var shown = Math.Min(spikes.Population.Size, MaxNeuronsShown);
        var xs = new List<double>();
        var ys = new List<double>();
        var neurons = spikes.Neurons;
        var steps = spikes.SpikeSteps;
        for (var k = 0; k < neurons.Length; k++)
        {
            if (neurons[k] >= shown) continue;
            xs.Add(steps[k] * spikes.DtMs);
            ys.Add(neurons[k]);
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var raster = multiplot.GetPlot(0);
        var scatter = raster.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
        scatter.MarkerSize = 1.5f;
        scatter.MarkerShape = MarkerShape.FilledSquare;
        scatter.Color = Colors.Black;
        raster.Title(title);
        raster.YLabel(shown < spikes.Population.Size ? $"neuron (first {shown})" : "neuron");
        raster.Axes.SetLimits(0, spikes.Steps * spikes.DtMs, -1, shown);

        var ratePlot = multiplot.GetPlot(1);
        var rates = rate.RatesHz;
        var times = Enumerable.Range(0, rates.Length).Select(b => (b + 0.5) * rate.BinMs).ToArray();
        var line = ratePlot.Add.ScatterLine(times, rates);
        line.Color = Colors.SteelBlue;
        ratePlot.XLabel("time (ms)");
        ratePlot.YLabel($"rate (Hz, {rate.BinMs:0.#} ms bins)");
        ratePlot.Axes.SetLimitsX(0, spikes.Steps * spikes.DtMs);
        multiplot.SharedAxes.ShareX([raster, ratePlot]);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        multiplot.SavePng(full, 1200, 800);
    }
}
