using ScottPlot;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Output;

/// <summary>Loss and accuracy curves of a training run, as PNG.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, string task, IReadOnlyList<EpochMetrics> history)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        loss.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray()).LegendText = "train";
        loss.Add.Scatter(epochs, history.Select(h => h.TestLoss).ToArray()).LegendText = "test";
        loss.Title($"{task}: loss");
        loss.XLabel("epoch");
        loss.ShowLegend();
        var accuracy = multiplot.GetPlot(1);
        accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.TrainAccuracy).ToArray()).LegendText = "train";
        accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.TestAccuracy).ToArray()).LegendText = "test";
        if (history.All(h => h.ValidationAccuracy is not null))
            accuracy.Add.Scatter(epochs, history.Select(h => 100 * h.ValidationAccuracy!.Value).ToArray()).LegendText = "validation";
        accuracy.Title($"{task}: accuracy (%)");
        accuracy.XLabel("epoch");
        accuracy.ShowLegend();
        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1000, 400));
    }
}
