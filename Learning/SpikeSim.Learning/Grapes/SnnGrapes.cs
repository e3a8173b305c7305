using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Grapes;

/// <summary>
/// GRAPES on a <see cref="SpikingNetwork"/>: before each backward pass the factors M of every layer are
/// computed from its current weights (<see cref="GrapesFactors"/>). Local: plain BPTT, then the rows of each
/// layer's weight gradients (and its bias gradient) are scaled by M — the factor multiplies each postsynaptic
/// neuron's time-accumulated error. Propagating: the layer's error over all steps is scaled by M inside the
/// backward pass, so the modulated error also flows to earlier layers. A convolution's node is its output channel —
/// every pixel of a channel has the same incoming weights, the channel's kernel — so its factor is the channel's,
/// shared by the channel's pixels. Layers without weights (pooling, flatten, neurons after a convolution) keep 1.
/// </summary>
public sealed class SnnGrapes : IDisposable
{
    private readonly SpikingNetwork _network;
    private readonly DeviceBuffer<float>[] _factors;

    public SnnGrapes(SpikingNetwork network, GrapesOptions options)
    {
        _network = network;
        Options = options;
        _factors = network.Layers.Select(l => network.Backend.Allocate<float>(l.Outputs)).ToArray();
    }

    public GrapesOptions Options { get; }

    /// <summary>The factors of every layer from the current weights (input layer first).</summary>
    public float[][] ComputeFactors()
    {
        var layers = _network.Layers;
        var result = new float[layers.Count][];
        for (var l = 0; l < layers.Count; l++)
        {
            if (layers[l] is Conv2d conv)
            {
                var channel = ChannelFactors(conv);
                result[l] = Enumerable.Range(0, conv.Outputs).Select(i => channel[i % channel.Length]).ToArray();
                continue;
            }
            var importance = new double[layers[l].Outputs];
            if (Options.Importance == ImportanceSource.Outgoing && l + 1 < layers.Count && IsDense(layers[l + 1], layers[l].Outputs))
                GrapesFactors.AddOutgoing(InputWeight(layers[l + 1]).Value.HostSpanOrCopy(), layers[l + 1].Outputs, layers[l].Outputs, importance);
            else
                foreach (var p in IncomingWeights(layers[l]))
                    GrapesFactors.AddIncoming(p.Value.HostSpanOrCopy(), p.Shape[0], p.Shape[1], importance);
            result[l] = GrapesFactors.Factors(importance);
        }
        return result;
    }

    /// <summary>Back-propagates <paramref name="gradOutput"/> with GRAPES applied; the gradients are then ready for the optimiser.</summary>
    public void Backward(ReadOnlySpan<float> gradOutput)
    {
        var factors = ComputeFactors();
        if (Options.Variant == GrapesVariant.Propagating)
        {
            for (var l = 0; l < factors.Length; l++) _factors[l].CopyFrom(factors[l]);
            _network.Backward(gradOutput, _factors);
            return;
        }
        _network.Backward(gradOutput);
        _network.Backend.Synchronize();
        for (var l = 0; l < factors.Length; l++)
        {
            var layer = _network.Layers[l];
            // A convolution's parameters have one row per output channel.
            var (rows, rowFactors) = layer is Conv2d conv ? (conv.Geometry.Output.Channels, ChannelFactors(conv)) : (layer.Outputs, factors[l]);
            foreach (var p in layer.Parameters)
            {
                var g = p.Gradient.ToArray();
                GrapesFactors.ScaleRows(g, rows, p.Length / rows, rowFactors);
                p.Gradient.CopyFrom(g);
            }
        }
    }

    /// <summary>M per output channel of a convolution, from each channel's kernel (its row of [C_out, k, k, C_in]).</summary>
    private static float[] ChannelFactors(Conv2d conv)
    {
        var channels = conv.Geometry.Output.Channels;
        var importance = new double[channels];
        GrapesFactors.AddIncoming(conv.Parameters[0].Value.HostSpanOrCopy(), channels, conv.Geometry.Columns, importance);
        return GrapesFactors.Factors(importance);
    }

    /// <summary>Whether <paramref name="next"/>'s input weight is a dense [outputs, <paramref name="inputs"/>] matrix (outgoing importance reads it).</summary>
    private static bool IsDense(ILayer next, int inputs)
        => next.Parameters.FirstOrDefault(p => p.Name == "weight") is { Shape: [_, var columns] } && columns == inputs;

    /// <summary>Every weight matrix whose rows are the layer's neurons (input and recurrent weights).</summary>
    private static IEnumerable<Parameter> IncomingWeights(ILayer layer)
        => layer.Parameters.Where(p => p.Shape.Length == 2 && p.Shape[0] == layer.Outputs);

    private static Parameter InputWeight(ILayer layer) => layer.Parameters.First(p => p.Name == "weight");

    public void Dispose()
    {
        foreach (var f in _factors) f.Dispose();
    }
}
