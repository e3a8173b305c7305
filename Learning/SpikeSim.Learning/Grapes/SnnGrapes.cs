using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Grapes;

/// <summary>
/// GRAPES on a <see cref="SpikingNetwork"/>: before each backward pass the factors M of every layer are
/// computed from its current weights (<see cref="GrapesFactors"/>). Local: plain BPTT, then the rows of each
/// layer's weight gradients (and its bias gradient) are scaled by M — the factor multiplies each postsynaptic
/// neuron's time-accumulated error. Propagating: the layer's error over all steps is scaled by M inside the
/// backward pass, so the modulated error also flows to earlier layers.
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
            var importance = new double[layers[l].Outputs];
            if (Options.Importance == ImportanceSource.Outgoing && l + 1 < layers.Count)
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
            foreach (var p in _network.Layers[l].Parameters)
            {
                var g = p.Gradient.ToArray();
                GrapesFactors.ScaleRows(g, _network.Layers[l].Outputs, p.Length / _network.Layers[l].Outputs, factors[l]);
                p.Gradient.CopyFrom(g);
            }
    }

    /// <summary>Every weight matrix whose rows are the layer's neurons (input and recurrent weights).</summary>
    private static IEnumerable<Parameter> IncomingWeights(ILayer layer)
        => layer.Parameters.Where(p => p.Shape.Length == 2 && p.Shape[0] == layer.Outputs);

    private static Parameter InputWeight(ILayer layer) => layer.Parameters.First(p => p.Name == "weight");

    public void Dispose()
    {
        foreach (var f in _factors) f.Dispose();
    }
}
