using SpikeSim.Simulator.Convolution;
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

    /// <summary>What the feed reads: an external input, or a population's spikes of this step or of a given number of steps before.</summary>
    internal abstract FeedSource From { get; }

    internal virtual void Validate()
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

    internal override FeedSource From => new(Input, null, 0);
}

/// <summary>
/// W·s of a population's spikes (1 or 0 per neuron), of this step or the previous one, and <paramref name="DelaySteps"/>
/// steps earlier still (NIR's Delay node between a layer and the next: zeros before the first delayed step). Where
/// <paramref name="Flatten"/> is set, the source is a channels-last image of that shape and its spikes are read in
/// channels-first order (PyTorch's <c>nn.Flatten</c>, NIR's Flatten), as a trained dense layer after a convolution reads them.
/// </summary>
public sealed record SpikeFeed(Population Source, Population Target, float[] Weights, FeedTiming Timing, ImageShape? Flatten = null, int DelaySteps = 0)
    : AffineFeed(Target, Weights)
{
    /// <inheritdoc />
    public override int Width => Source.Size;

    internal override FeedSource From => new(null, Source, (Timing == FeedTiming.PreviousStep ? 1 : 0) + DelaySteps);

    internal override void Validate()
    {
        base.Validate();
        if (DelaySteps < 0) throw new InvalidParameterException($"A feed from '{Source.Name}' cannot read spikes {-DelaySteps} steps ahead.");
        if (Flatten is { } shape && shape.Size != Source.Size)
            throw new InvalidParameterException($"A feed from '{Source.Name}' flattens {shape} images, but the population has {Source.Size} neurons.");
    }
}

/// <summary>
/// A trained convolutional stage into <see cref="AffineFeed.Target"/>, computed as training computes it:
/// <code>
/// y = pool(b + W ⊛ x)      x: this step's external input, or a population's spikes of this step (channels-last images)
/// </code>
/// — im2col of x, one GEMM onto the broadcast bias, then the pooling window where <paramref name="Pooling"/> is set.
/// W is [C_out, k, k, C_in] (channels-last, <see cref="ConvGeometry"/>), b is [C_out]; the target holds the (pooled)
/// output image, channels-last. Exactly one of <paramref name="Input"/> and <paramref name="Source"/> is set.
/// </summary>
public sealed record ConvolutionFeed(Population Target, ExternalInput? Input, Population? Source, ConvGeometry Geometry, float[] Weights, float[] Bias,
    Pooling? Pooling = null) : AffineFeed(Target, Weights)
{
    /// <summary>The image the target holds: the convolution's output, pooled where a pooling is set.</summary>
    public ImageShape Output => Pooling is { } p ? p.Geometry.Output : Geometry.Output;

    /// <inheritdoc />
    public override int Width => Geometry.Input.Size;

    internal override FeedSource From => new(Input, Source, 0);

    internal override void Validate()
    {
        if ((Input is null) == (Source is null)) throw new InvalidParameterException($"A convolution into '{Target.Name}' reads either an input or a population.");
        if ((Input?.Width ?? Source!.Size) != Geometry.Input.Size)
            throw new InvalidParameterException($"A convolution into '{Target.Name}' takes {Geometry.Input} images ({Geometry.Input.Size} values), not {Input?.Width ?? Source!.Size}.");
        if (Pooling is { } p && !p.Geometry.Input.Equals(Geometry.Output))
            throw new InvalidParameterException($"A convolution into '{Target.Name}' gives {Geometry.Output} images; its pooling takes {p.Geometry.Input}.");
        if (Output.Size != Target.Size)
            throw new InvalidParameterException($"A convolution into '{Target.Name}' gives {Output} images ({Output.Size} values) for {Target.Size} neurons.");
        if (Weights.Length != Geometry.Output.Channels * Geometry.Columns || Bias.Length != Geometry.Output.Channels)
            throw new InvalidParameterException($"A convolution into '{Target.Name}' needs {Geometry.Output.Channels}×{Geometry.Columns} weights and {Geometry.Output.Channels} biases.");
        foreach (var w in Weights.Concat(Bias))
            if (!float.IsFinite(w)) throw new InvalidParameterException($"A convolution into '{Target.Name}' has a weight of {w}; weights must be finite.");
    }
}

/// <summary>A pooling window after a convolution: what it computes and its geometry.</summary>
public readonly record struct Pooling(PoolKind Kind, PoolGeometry Geometry);

/// <summary>What a feed reads: <see cref="Input"/> (set by the caller each step) or <see cref="Source"/>'s spikes <see cref="Lag"/> steps ago (0: this step's).</summary>
internal readonly record struct FeedSource(ExternalInput? Input, Population? Source, int Lag);
