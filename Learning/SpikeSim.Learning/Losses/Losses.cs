namespace SpikeSim.Learning.Losses;

/// <summary>The losses by the names the CLI uses.</summary>
public static class Loss
{
    /// <summary>ce-max, ce-last, ce-count or mse-rate.</summary>
    public static ILoss Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "ce-max" => new MaxMembraneCrossEntropy(),
        "ce-last" => new LastMembraneCrossEntropy(),
        "ce-count" => new SpikeCountCrossEntropy(),
        "mse-rate" => new RateMse(),
        _ => throw new ArgumentException($"Unknown loss '{name}'; choose ce-max, ce-last, ce-count or mse-rate."),
    };

    /// <summary>Whether the loss reads spikes (a spiking output layer) rather than a readout membrane.</summary>
    public static bool ReadsSpikes(ILoss loss) => loss is SpikeCountCrossEntropy or RateMse;
}
