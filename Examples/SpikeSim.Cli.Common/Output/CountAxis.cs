using ScottPlot;

namespace SpikeSim.Cli.Output;

/// <summary>An x axis of whole counts (epochs, generations, episodes): integer ticks only, limits half a step beyond the data.</summary>
public static class CountAxis
{
    public static void Apply(Plot plot, double first, double last, string label)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(first - 0.5, Math.Max(first, last) + 0.5);
        plot.XLabel(label);
    }
}
