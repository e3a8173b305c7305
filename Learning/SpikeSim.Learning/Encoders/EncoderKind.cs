namespace SpikeSim.Learning.Encoders;

/// <summary>The input encoders; on the command line and in files by their <see cref="Training.OptionName"/> (current, …).</summary>
public enum EncoderKind
{
    /// <summary>The sample as a constant input current every step (<see cref="CurrentEncoder"/>).</summary>
    Current,

    /// <summary>Bernoulli spikes with probability x per step (<see cref="PoissonEncoder"/>).</summary>
    Poisson,

    /// <summary>One spike per feature, earlier for larger x (<see cref="LatencyEncoder"/>).</summary>
    Latency,

    /// <summary>The sample's own spike times, for spike-time data sets (<see cref="SpikeTimeEncoder"/>).</summary>
    SpikeTimes,
}
