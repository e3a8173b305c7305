using ScottPlot;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Output;

/// <summary>Loss and accuracy curves of a training run, as PNG: whole-epoch ticks, legends outside the data.</summary>
internal static class TrainingPlot
{
    /// <summary>Writes the curves of <paramref name="history"/>; <paramref name="model"/> says what was trained, for the titles ("SNN (lif)", "ANN").</summary>
    public static void Save(string path, string task, string model, IReadOnlyList<EpochMetrics> history)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        loss.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray()).LegendText = "train";
        loss.Add.Scatter(epochs, history.Select(h => h.TestLoss).ToArray()).LegendText = "test";
        loss.Title($"{task}, {model}: loss");
        CountAxis.Apply(loss, epochs.DefaultIfEmpty(1).Min(), epochs.DefaultIfEmpty(1).Max(), "epoch");
        loss.ShowLegend(Edge.Right);
        var accuracy = multiplot.GetPlot(1);
        accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.TrainAccuracy).ToArray()).LegendText = "train";
        accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.TestAccuracy).ToArray()).LegendText = "test";
        if (history.All(h => h.ValidationAccuracy is not null))
            accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.ValidationAccuracy!.Value).ToArray()).LegendText = "validation";
        accuracy.Title($"{task}, {model}: accuracy (%)");
        CountAxis.Apply(accuracy, epochs.DefaultIfEmpty(1).Min(), epochs.DefaultIfEmpty(1).Max(), "epoch");
        accuracy.ShowLegend(Edge.Right);
        // The same margins on both panels (room for the legend on the right), so their epoch axes line up.
        foreach (var panel in new[] { loss, accuracy }) panel.Layout.Fixed(new PixelPadding(70, 140, 50, 40));
        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1000, 700));
    }
}
