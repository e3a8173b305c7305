using System.Text.Json.Serialization;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Training;

/// <summary>The neuron of the hidden layers.</summary>
public enum HiddenCell
{
    /// <summary>Leaky integrate-and-fire.</summary>
    Lif,

    /// <summary>Adaptive LIF (LSNN).</summary>
    Alif,
}

/// <summary>The output layer.</summary>
public enum ReadoutKind
{
    /// <summary>A leaky-integrator membrane (losses ce-max, ce-last).</summary>
    LeakyIntegrator,

    /// <summary>A spiking LIF layer (losses ce-count, mse-rate).</summary>
    Spiking,
}

/// <summary>
/// Everything that defines a feed-forward or recurrent SNN classifier, so that it can be rebuilt
/// from a checkpoint: inputs → hidden layers (Linear→cell, or recurrent) → readout.
/// </summary>
public sealed record SnnModelSpec(
    int Inputs,
    int[] Hidden,
    int Classes,
    HiddenCell Cell = HiddenCell.Lif,
    bool Recurrent = false,
    ReadoutKind Readout = ReadoutKind.LeakyIntegrator,
    double TauMemMs = 10.0,
    double TauReadoutMs = 20.0,
    double TauAdaptMs = 200.0,
    double AdaptationStrength = 1.8,
    double VThreshold = 1.0,
    double DtMs = 1.0,
    [property: JsonConverter(typeof(OptionNameConverter<SurrogateKind>))] SurrogateKind Surrogate = SurrogateKind.FastSigmoid,
    float SurrogateSlope = 10f,
    float InitGain = 1f,
    SpikeReset Reset = SpikeReset.Subtract)
{
    /// <summary>The cell of each spiking layer, input first (the hidden layers, then a spiking readout if there is one).</summary>
    public IReadOnlyList<ISpikingCell> Cells()
    {
        ISpikingCell hidden = Cell == HiddenCell.Alif
            ? new AlifCell(TauMemMs, VThreshold, TauAdaptMs, AdaptationStrength, Reset)
            : new LifCell(TauMemMs, VThreshold, Reset);
        var cells = Enumerable.Repeat(hidden, Hidden.Length).ToList();
        if (Readout == ReadoutKind.Spiking) cells.Add(new LifCell(TauReadoutMs, VThreshold, Reset));
        return cells;
    }

    /// <summary>
    /// Builds the network on <paramref name="backend"/> with weights drawn from <paramref name="seed"/>.
    /// <paramref name="cells"/> and <paramref name="readoutTauMs"/> replace the spec's own neurons layer by layer
    /// (quantisation changes decays and thresholds per layer).
    /// </summary>
    public SpikingNetwork Build(IComputeBackend backend, int seed, IReadOnlyList<ISpikingCell>? cells = null, double? readoutTauMs = null)
    {
        var random = new Random(seed);
        var options = new SpikingOptions(Learning.Surrogates.Surrogate.Create(Surrogate, SurrogateSlope), DtMs, InitGain: InitGain);
        cells ??= Cells();
        var layers = new List<ILayer>();
        var width = Inputs;
        for (var i = 0; i < Hidden.Length; i++)
        {
            layers.Add(Recurrent
                ? new SpikingRecurrent(backend, width, Hidden[i], cells[i], options, random)
                : new SpikingLinear(backend, width, Hidden[i], cells[i], options, random));
            width = Hidden[i];
        }
        layers.Add(Readout == ReadoutKind.LeakyIntegrator
            ? new LeakyReadout(backend, width, Classes, readoutTauMs ?? TauReadoutMs, DtMs, InitGain, random)
            : new SpikingLinear(backend, width, Classes, cells[^1], options, random));
        return new SpikingNetwork(backend, layers);
    }

    /// <summary>A short description: "4-128-3 LIF, LI readout".</summary>
    public override string ToString()
        => $"{Inputs}-{string.Join('-', Hidden)}-{Classes} {(Recurrent ? "recurrent " : "")}{Cell.ToString().ToUpperInvariant()}, "
         + (Readout == ReadoutKind.LeakyIntegrator ? "LI readout" : "LIF readout");
}
