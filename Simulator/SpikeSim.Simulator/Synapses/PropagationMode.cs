namespace SpikeSim.Simulator.Synapses;

/// <summary>How a dense projection delivers spikes each step.</summary>
public enum PropagationMode
{
    /// <summary>The engine picks per step: spike-driven while fewer than half the sources fired, else dense.</summary>
    Auto,
    /// <summary>Matrix–vector product over every source row, whatever fired (branch-free, good on GPUs at high activity).</summary>
    Dense,
    /// <summary>Reads only the rows of the sources that fired (sparse projections always work this way).</summary>
    SpikeDriven,
}
