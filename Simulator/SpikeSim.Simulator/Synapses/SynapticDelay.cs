using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Synapses;

/// <summary>How the time-step engine turns delays in ms into whole steps.</summary>
public static class SynapticDelay
{
    /// <summary>The largest delay in steps a synapse may have.</summary>
    public const int MaxSteps = ushort.MaxValue;

    /// <summary>
    /// A delay in steps: round(delay/dt), at least one step. A spike in step t reaches its
    /// target's update in step t + d; the one-step minimum is the causal order of a step
    /// (neurons update, then spikes propagate), as in Brian2 and NEST.
    /// </summary>
    public static int ToSteps(double delayMs, double dtMs)
    {
        var steps = Math.Max(1, (long)Math.Round(delayMs / dtMs, MidpointRounding.AwayFromZero));
        if (steps > MaxSteps)
            throw new InvalidParameterException($"A delay of {delayMs} ms is {steps} steps of {dtMs} ms; the most is {MaxSteps}.");
        return (int)steps;
    }
}
