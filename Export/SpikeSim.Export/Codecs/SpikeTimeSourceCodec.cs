using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="SpikeTimeSource"/> as a <c>SpikeTimes</c> node.</summary>
public sealed class SpikeTimeSourceCodec : NeuronCodec<SpikeTimeSource>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.SpikeTimes;

    /// <inheritdoc />
    protected override void Write(SpikeTimeSource m, Node node)
    {
        node.SpikeTimes = new SpikeTimes();
        node.SpikeTimes.Neuron.Add(m.Spikes.Select(s => s.Neuron));
        node.SpikeTimes.TimeMs.Add(m.Spikes.Select(s => s.TimeMs));
    }

    /// <inheritdoc />
    protected override SpikeTimeSource ReadModel(Node node) => node.SpikeTimes.Neuron.Count == node.SpikeTimes.TimeMs.Count
        ? new SpikeTimeSource(node.SpikeTimes.Neuron.Zip(node.SpikeTimes.TimeMs).ToList())
        : throw new SpikeSimException($"Node '{node.Name}' has {node.SpikeTimes.Neuron.Count} spike neurons but {node.SpikeTimes.TimeMs.Count} times.");
}
