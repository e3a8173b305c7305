using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Networks;

/// <summary>Values the caller sets before each step (a sample's encoded features): <see cref="Width"/> floats.</summary>
/// <param name="Name">For messages.</param>
/// <param name="Width">Values per step.</param>
public sealed record ExternalInput(string Name, int Width);

/// <summary>When an <see cref="AffineFeed"/> reads its source's spikes.</summary>
public enum FeedTiming
{
    /// <summary>The spikes of this step: the source is integrated first (it must come earlier in the population order).</summary>
    SameStep,

    /// <summary>The spikes of the previous step (a recurrent connection, one step late).</summary>
    PreviousStep,
}

/// <summary>
/// A dense affine input of a trainable layer, computed with the backend's GEMM exactly as training computes it:
/// the target's input of step t is h = Σ_feeds W·x (in the order the feeds were added) + bias, added to its synaptic
/// input before it integrates, with no delay. Its weights are [target, width], row-major.
/// </summary>
/// <param name="Target">The population fed.</param>
/// <param name="Weights">W, [target size × source width].</param>
public abstract record AffineFeed(Population Target, float[] Weights)
{
    /// <summary>Values the feed reads per step.</summary>
    public abstract int Width { get; }

    internal void Validate()
    {
        if (Weights.LongLength != (long)Target.Size * Width)
            throw new InvalidParameterException($"A feed into '{Target.Name}' has {Weights.Length} weights; {Target.Size}×{Width} are needed.");
        foreach (var w in Weights)
            if (!float.IsFinite(w)) throw new InvalidParameterException($"A feed into '{Target.Name}' has a weight of {w}; weights must be finite.");
    }
}

/// <summary>W·x[t] of an <see cref="ExternalInput"/> x set by the caller for the step.</summary>
public sealed record InputFeed(Population Target, ExternalInput Input, float[] Weights) : AffineFeed(Target, Weights)
{
    /// <inheritdoc />
    public override int Width => Input.Width;
}

/// <summary>W·s of a population's spikes (1 or 0 per neuron), of this step or the previous one.</summary>
public sealed record SpikeFeed(Population Source, Population Target, float[] Weights, FeedTiming Timing) : AffineFeed(Target, Weights)
{
    /// <inheritdoc />
    public override int Width => Source.Size;
}
