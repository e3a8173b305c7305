namespace SpikeSim.Learning.Losses;

/// <summary>The classification losses; on the command line and in files by their <see cref="Training.OptionName"/> (ce-max, …).</summary>
public enum LossKind
{
    /// <summary>Cross-entropy of the readout membranes' maximum over time (<see cref="MaxMembraneCrossEntropy"/>).</summary>
    CeMax,

    /// <summary>Cross-entropy of the readout membranes at the last step (<see cref="LastMembraneCrossEntropy"/>).</summary>
    CeLast,

    /// <summary>Cross-entropy of the output spike counts (<see cref="SpikeCountCrossEntropy"/>).</summary>
    CeCount,

    /// <summary>Squared error of the output firing rates against target rates (<see cref="RateMse"/>).</summary>
    MseRate,
}
