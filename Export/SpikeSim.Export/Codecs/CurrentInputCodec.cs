using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using Sim = SpikeSim.Simulator.Inputs;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Sim.CurrentInput"/> as a <c>CurrentInput</c> node: one amplitude per target neuron and the waveform (empty: constant).</summary>
public sealed class CurrentInputCodec : InputCodec<Sim.CurrentInput>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Current;

    /// <inheritdoc />
    protected override void Write(Sim.CurrentInput c, Node node)
        => node.Current = new CurrentInput { Amplitude = Tensors.F32(c.Amplitude), Waveform = Tensors.F32(c.Waveform ?? []) };

    /// <inheritdoc />
    protected override Sim.CurrentInput ReadInput(Node node, Population target)
    {
        var waveform = node.Current.Waveform is { F32.Count: > 0 } w ? Tensors.Floats(w, node.Name, w.F32.Count) : null;
        return new Sim.CurrentInput(target, Tensors.Floats(node.Current.Amplitude, node.Name, target.Size), waveform);
    }
}
