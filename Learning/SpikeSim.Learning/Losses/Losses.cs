namespace SpikeSim.Learning.Losses;

/// <summary>The losses by kind.</summary>
public static class Loss
{
    /// <summary>The loss of kind <paramref name="kind"/>.</summary>
    public static ILoss Create(LossKind kind) => kind switch
    {
        LossKind.CeMax => new MaxMembraneCrossEntropy(),
        LossKind.CeLast => new LastMembraneCrossEntropy(),
        LossKind.CeCount => new SpikeCountCrossEntropy(),
        LossKind.MseRate => new RateMse(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the loss reads spikes (a spiking output layer) rather than a readout membrane.</summary>
    public static bool ReadsSpikes(LossKind kind) => kind is LossKind.CeCount or LossKind.MseRate;
}
