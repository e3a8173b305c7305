using SpikeSim.Learning.Data;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Quantisation;

/// <summary>What quantisation cost: accuracy before and after, and how many spikes stayed where they were.</summary>
/// <param name="FloatAccuracy">Test accuracy of the trained float network.</param>
/// <param name="QuantisedAccuracy">Test accuracy of the quantised network.</param>
/// <param name="SpikeAgreement">Fraction of (sample, step, hidden neuron) cells where both networks agree on spike or no spike.</param>
/// <param name="FloatSpikes">Hidden spikes of the float network over the test set.</param>
/// <param name="QuantisedSpikes">Hidden spikes of the quantised network.</param>
public sealed record QuantisationReport(double FloatAccuracy, double QuantisedAccuracy, double SpikeAgreement, long FloatSpikes, long QuantisedSpikes)
{
    /// <summary>Accuracy lost, in percentage points.</summary>
    public double DropPoints => 100 * (FloatAccuracy - QuantisedAccuracy);
}

/// <summary>
/// A trained feed-forward SNN quantised for a target: every layer with weights (dense or convolutional) through
/// <see cref="Quantiser"/> at the threshold and decay of the neurons it feeds, and the
/// network rebuilt with the dequantised values, the target's decays (τ' = −Δt / ln β') and reset, so SpikeSim
/// can run it and measure what quantisation changed. The state arithmetic stays float32: parameters are
/// exactly what the target stores, the integer state updates of the chip are not emulated.
/// </summary>
public sealed class QuantisedModel
{
    private QuantisedModel(QuantisationTarget target, SnnModelSpec spec, IReadOnlyList<QuantisedLayer> layers)
        => (Target, Spec, Layers) = (target, spec, layers);

    public QuantisationTarget Target { get; }
    public SnnModelSpec Spec { get; }

    /// <summary>The quantised layers, input first (the readout last).</summary>
    public IReadOnlyList<QuantisedLayer> Layers { get; }

    /// <summary>Quantises <paramref name="network"/>, built from <paramref name="spec"/>.</summary>
    public static QuantisedModel From(QuantisationTarget target, SnnModelSpec spec, SpikingNetwork network)
    {
        if (spec.Convolution is not null && target == QuantisationTarget.Xylo)
            throw new InvalidParameterException("Xylo's cores take dense weight matrices only; it has no convolution or pooling, so a convolutional network cannot be quantised for it.");
        if (spec.Recurrent) throw new InvalidParameterException("Quantisation handles feed-forward networks so far; this one is recurrent.");
        if (spec.Cell == HiddenCell.Alif && target != QuantisationTarget.Int8)
            throw new InvalidParameterException($"{OptionName.Of(target)} has no adaptive-threshold neuron; quantise an ALIF network for int8 only.");
        var cells = spec.Cells();
        var layers = new List<QuantisedLayer>();
        var weighted = Weighted(network);
        for (var l = 0; l < weighted.Count; l++)
        {
            var layer = weighted[l];
            var weight = layer.Parameters[0].Value.ToArray();
            var bias = layer.Parameters[1].Value.ToArray();
            var spiking = l < cells.Count;
            var beta = (float)Discretization.Decay(spec.DtMs, spiking ? cells[l].TauMemMs : spec.TauReadoutMs);
            layers.Add(Quantiser.Quantise(target, weight, bias, spiking ? (float)cells[l].VThreshold : null, beta));
        }
        return new QuantisedModel(target, spec, layers);
    }

    /// <summary>The network with the quantised values on <paramref name="backend"/>.</summary>
    public SpikingNetwork Build(IComputeBackend backend)
    {
        var reset = Target == QuantisationTarget.Loihi2 ? ResetMode.ZeroAtNextStep : Spec.Reset;
        var original = Spec.Cells();
        var cells = original.Select((c, l) => (ISpikingCell)(c switch
        {
            AlifCell a => a with { TauMemMs = Tau(Layers[l].Beta), VThreshold = Layers[l].Threshold, Reset = reset },
            _ => new LifCell(Tau(Layers[l].Beta), Layers[l].Threshold, reset),
        })).ToList();
        var network = Spec.Build(backend, seed: 0, cells, Tau(Layers[^1].Beta));
        var weighted = Weighted(network);
        for (var l = 0; l < Layers.Count; l++)
        {
            weighted[l].Parameters[0].Value.CopyFrom(Layers[l].Weight);
            weighted[l].Parameters[1].Value.CopyFrom(Layers[l].Bias);
        }
        return network;
    }

    /// <summary>
    /// The layers with weights, input first — each with the neurons it feeds (a convolution's pass through its pooling),
    /// so the k-th is quantised at the k-th cell's threshold and decay. Pooling and flatten carry no numbers to quantise;
    /// the quantised state runs through them in float, as the rest of the state does.
    /// </summary>
    private static List<ILayer> Weighted(SpikingNetwork network) => network.Layers.Where(l => l.Parameters.Count > 0).ToList();

    private double Tau(float beta) => -Spec.DtMs / Math.Log(beta);

    /// <summary>Accuracy of both networks on <paramref name="test"/> and their hidden-spike agreement.</summary>
    public static QuantisationReport Compare(SpikingNetwork original, SpikingNetwork quantised, Dataset test, TrainingOptions options)
    {
        var backend = original.Backend;
        var encoder = Encoders.Encoder.Create(options.Encoder);
        const int batch = 256;
        long agree = 0, cells = 0, spikesA = 0, spikesB = 0;
        int correctA = 0, correctB = 0;
        var input = new float[options.Steps * batch * test.Features];
        using var x = backend.Allocate<float>(input.Length);
        // The hidden layers of neurons (a convolutional network's convolution, pooling and flatten layers have none).
        var hidden = Enumerable.Range(0, original.Layers.Count - 1).Where(l => original.Layers[l] is ISpikingLayer).ToList();
        var widest = hidden.Select(l => original.Layers[l].Outputs).DefaultIfEmpty(1).Max();
        using var sa = backend.Allocate<float>((long)options.Steps * batch * widest);
        using var sb = backend.Allocate<float>((long)options.Steps * batch * widest);
        var loss = Losses.Loss.Create(options.Loss);
        for (var start = 0; start < test.Count; start += batch)
        {
            var indices = Enumerable.Range(start, Math.Min(batch, test.Count - start)).ToArray();
            encoder.Encode(test, indices, options.Steps, input, Simulator.Random.CounterRng.Hash((ulong)options.Seed, 3, (uint)start));
            x.CopyFrom(input.AsSpan(0, options.Steps * indices.Length * test.Features));
            var labels = indices.Select(i => test.Labels[i]).ToArray();
            correctA += Correct(original, x, options, indices.Length, labels, loss);
            correctB += Correct(quantised, x, options, indices.Length, labels, loss);
            var context = new LayerContext(backend, original.Gemm, options.Steps, indices.Length);
            foreach (var l in hidden)
            {
                original.Layers[l].RecomputeOutput(context, sa.View);
                quantised.Layers[l].RecomputeOutput(context with { Gemm = quantised.Gemm }, sb.View);
                backend.Synchronize();
                var n = options.Steps * indices.Length * original.Layers[l].Outputs;
                var (a, b) = (sa.HostSpanOrCopy()[..n].ToArray(), sb.HostSpanOrCopy()[..n].ToArray());
                for (var i = 0; i < n; i++)
                {
                    if (a[i] == b[i]) agree++;
                    spikesA += (long)a[i];
                    spikesB += (long)b[i];
                }
                cells += n;
            }
        }
        return new QuantisationReport((double)correctA / test.Count, (double)correctB / test.Count,
            cells == 0 ? 1 : (double)agree / cells, spikesA, spikesB);
    }

    // Runs the network on the batch and counts correct predictions; leaves its tapes for RecomputeOutput.
    private static int Correct(SpikingNetwork network, Simulator.Compute.DeviceBuffer<float> x, TrainingOptions options, int batch, int[] labels, Losses.ILoss loss)
    {
        var output = network.Forward(x.View, options.Steps, batch);
        network.Backend.Synchronize();
        var y = new float[output.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(output, y);
        var predictions = new int[batch];
        loss.Evaluate(y, options.Steps, batch, network.Outputs, labels, new float[y.Length], predictions);
        return predictions.Zip(labels).Count(p => p.First == p.Second);
    }
}
