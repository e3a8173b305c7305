using System.Text.Json.Serialization;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;
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
/// from a checkpoint: inputs → convolutional stages, where there are any (<see cref="Convolution"/>; then a flatten) →
/// hidden layers (Linear→cell, or recurrent) → readout.
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
    [property: JsonConverter(typeof(NextStepResetConverter))] ResetMode Reset = ResetMode.SubtractAtNextStep,
    ConvolutionSpec? Convolution = null)
{
    /// <summary>Convolutional stages ahead of the dense layers, or a plain MLP.</summary>
    [JsonIgnore]
    public NetworkArchitecture Architecture => Convolution is null ? NetworkArchitecture.Mlp : NetworkArchitecture.Conv;

    /// <summary>Convolutional stages: each has its own layer of neurons, before the hidden layers'.</summary>
    private int Stages => Convolution?.Stages.Length ?? 0;

    /// <summary>
    /// Refuses a network with convolutional stages where <paramref name="what"/> handles dense and recurrent layers only,
    /// in one line that says so.
    /// </summary>
    public void RequireDense(string what)
    {
        if (Convolution is not null)
            throw new Simulator.Errors.InvalidParameterException($"{what} handles dense and recurrent classifiers only, not yet the convolutional {this}.");
    }
    /// <summary>The cell of each spiking layer, input first (convolutional stages, the hidden layers, then a spiking readout if there is one).</summary>
    public IReadOnlyList<ISpikingCell> Cells()
    {
        ISpikingCell hidden = Cell == HiddenCell.Alif
            ? new AlifCell(TauMemMs, VThreshold, TauAdaptMs, AdaptationStrength, Reset)
            : new LifCell(TauMemMs, VThreshold, Reset);
        var cells = Enumerable.Repeat(hidden, Stages + Hidden.Length).ToList();
        if (Readout == ReadoutKind.Spiking) cells.Add(new LifCell(TauReadoutMs, VThreshold, Reset));
        return cells;
    }

    /// <summary>Bytes of memory a built network holds per parameter while it trains: value, gradient and two optimiser moments.</summary>
    public const int BytesPerParameter = 16;

    /// <summary>The network's parameters: every layer's weights and biases, and recurrent weights.</summary>
    public long ParameterCount()
    {
        long count = Convolution?.ParameterCount() ?? 0, width = Convolution?.Output.Size ?? Inputs;
        for (var l = 0; l <= Hidden.Length; l++)
        {
            long outputs = l < Hidden.Length ? Hidden[l] : Classes;
            count += width * outputs + outputs + (Recurrent && l < Hidden.Length ? outputs * outputs : 0);
            width = outputs;
        }
        return count;
    }

    /// <summary>
    /// Refuses a spec that no network can be built from, naming the value — sizes below 1, a layer whose weights would not
    /// fit one array, time constants, dt, threshold or surrogate slope that are not positive and finite, a negative
    /// adaptation, a member of no enum (a file may hold any number) — and a network larger than the memory available.
    /// Every builder calls it, so a spec read from a file is checked wherever it is used.
    /// </summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new Simulator.Errors.InvalidParameterException(message);
        }
        static bool Positive(double x) => x > 0 && double.IsFinite(x);
        Check(Inputs >= 1 && Classes >= 1 && Hidden is not null && Hidden.All(h => h >= 1),
            $"A network needs at least one input, one neuron per layer and one class (got {Inputs} inputs, hidden [{string.Join(", ", Hidden ?? [])}], {Classes} classes).");
        if (Convolution is { } conv)
        {
            Check(conv.Stages is not null, "A convolutional network needs its list of stages.");
            Check(conv.Input.Size == Inputs && conv.Channels >= 1 && conv.Height >= 1 && conv.Width >= 1,
                $"The convolutional input {conv.Input} does not hold the data's {Inputs} values.");
            Check(Recurrent is false || Hidden!.Length > 0, "A recurrent convolutional network needs dense hidden layers to be recurrent (--hidden).");
            conv.Geometries();
        }
        long width = Convolution?.Output.Size ?? Inputs;
        foreach (var outputs in Hidden!.Append(Classes))
        {
            Check(width * outputs <= Array.MaxLength, $"A layer of {width} inputs and {outputs} outputs has more weights than one array holds.");
            width = outputs;
        }
        Check(Positive(TauMemMs) && Positive(TauReadoutMs) && Positive(DtMs), $"tau_mem, tau_readout and dt must be positive times in ms (got {TauMemMs}, {TauReadoutMs}, {DtMs}).");
        Check(Cell != HiddenCell.Alif || Positive(TauAdaptMs), $"tau_adapt must be a positive time in ms (got {TauAdaptMs}).");
        Check(AdaptationStrength >= 0 && double.IsFinite(AdaptationStrength), $"The adaptation strength must be finite and not negative (got {AdaptationStrength}).");
        Check(Positive(VThreshold), $"The threshold must be positive and finite (got {VThreshold}).");
        Check(Positive(SurrogateSlope) && float.IsFinite(InitGain), $"The surrogate slope must be positive and the initial gain finite (got {SurrogateSlope}, {InitGain}).");
        Check(Enum.IsDefined(Cell) && Enum.IsDefined(Readout) && Enum.IsDefined(Reset) && Enum.IsDefined(Surrogate),
            $"Unknown cell, readout, reset or surrogate ({(int)Cell}, {(int)Readout}, {(int)Reset}, {(int)Surrogate}).");
        Check(ResetModes.IsAtNextStep(Reset), $"A trained network's neurons reset at the next step (SubtractAtNextStep or ZeroAtNextStep), not {Reset}.");
        MemoryBudget.Require((double)ParameterCount() * BytesPerParameter, $"Building the {this} network");
    }

    /// <summary>
    /// Builds the network on <paramref name="backend"/> with weights drawn from <paramref name="seed"/>.
    /// <paramref name="cells"/> and <paramref name="readoutTauMs"/> replace the spec's own neurons layer by layer
    /// (quantisation changes decays and thresholds per layer).
    /// <paramref name="gemm"/> (owned) replaces the backend's GEMM.
    /// </summary>
    public SpikingNetwork Build(IComputeBackend backend, int seed, IReadOnlyList<ISpikingCell>? cells = null, double? readoutTauMs = null, IGemm? gemm = null)
    {
        Validate();
        var random = new Random(seed);
        var options = new SpikingOptions(Learning.Surrogates.Surrogate.Create(Surrogate, SurrogateSlope), DtMs, InitGain: InitGain);
        cells ??= Cells();
        var layers = new List<ILayer>();
        var width = Inputs;
        if (Convolution is { } conv)
        {
            var stage = 0;
            foreach (var (geometry, pool) in conv.Geometries())
            {
                var neurons = new SpikingActivation(backend, (pool?.Output ?? geometry.Output).Size, cells[stage++], options);
                layers.Add(new Conv2d(backend, geometry, neurons.WeightScale, random));
                if (pool is { } p) layers.Add(new Pool2d(backend, p, conv.Stages[stage - 1].Pool));
                layers.Add(neurons);
            }
            layers.Add(new Flatten(backend, conv.Output));
            width = conv.Output.Size;
        }
        for (var i = 0; i < Hidden.Length; i++)
        {
            layers.Add(Recurrent
                ? new SpikingRecurrent(backend, width, Hidden[i], cells[Stages + i], options, random)
                : new SpikingLinear(backend, width, Hidden[i], cells[Stages + i], options, random));
            width = Hidden[i];
        }
        layers.Add(Readout == ReadoutKind.LeakyIntegrator
            ? new LeakyReadout(backend, width, Classes, readoutTauMs ?? TauReadoutMs, DtMs, InitGain, random)
            : new SpikingLinear(backend, width, Classes, cells[^1], options, random));
        return new SpikingNetwork(backend, layers, gemm);
    }

    /// <summary>A short description: "4-128-3 LIF, LI readout".</summary>
    public override string ToString()
        => $"{(Convolution is { } c ? c.ToString() : Inputs.ToString())}-{string.Join("", Hidden.Select(h => h + "-"))}{Classes} {(Recurrent ? "recurrent " : "")}{Cell.ToString().ToUpperInvariant()}, "
         + (Readout == ReadoutKind.LeakyIntegrator ? "LI readout" : "LIF readout");
}
