using SpikeSim.Learning.Data;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Learning.Training;

/// <summary>
/// A trained classifier as a simulator <see cref="Network"/>: each layer a population of the neuron its cell is
/// (<see cref="Lif"/> or <see cref="AdaptiveLif"/> in discrete time, or a <see cref="LeakyIntegrator"/> for a leaky readout), fed by
/// <see cref="AffineFeed"/>s that compute its input exactly as training does — the encoded sample enters as a per-step
/// dense input projection without delay (<see cref="Input"/>), each layer reads the previous one's spikes of the same
/// step, a recurrent layer its own of the previous step, and a layer's bias is added after its feeds (a readout's is its
/// constant current, as the training readout adds it last). The time-step engine then gives the training forward pass's
/// spikes and outputs, bit for bit, on the host launcher.
/// </summary>
/// <param name="Network">The network.</param>
/// <param name="Input">The encoded sample, set before each step.</param>
/// <param name="Output">The readout population.</param>
/// <param name="SpikingReadout">Whether the readout's output is its spikes (else its potential).</param>
/// <param name="DtMs">The step the network was trained at.</param>
/// <param name="ChannelsFirst">
/// Where set, a sample's values of each step are an image of this shape in channels-first order (NIR's and PyTorch's
/// (C, H, W)), and <see cref="Run"/> hands them to the network channels-last, as its convolutions read images. Null: the
/// values are given in the network's own order (one-channel images, whose two orders are the same).
/// </param>
public sealed record SimulatedClassifier(Network Network, ExternalInput Input, Population Output, bool SpikingReadout, double DtMs, ImageShape? ChannelsFirst = null)
{
    /// <summary>The readout's potential v, the output of a non-spiking readout (an LI, or a current-based CubaLI read from NIR).</summary>
    public StateVariable ReadoutPotential => Output.Model.StateVariables.First(v => v.Name == "v");

    /// <summary>The simulator network of <paramref name="trained"/>, whose step is <paramref name="dtMs"/>.</summary>
    /// <remarks>
    /// A convolutional front end becomes populations fed by <see cref="ConvolutionFeed"/>s: each stage's convolution and
    /// pooling feed the population of the activation after them (its neurons in the channels-last order of the pooled
    /// image); the flatten before the dense layers is the first dense feed's <see cref="SpikeFeed.Flatten"/>.
    /// </remarks>
    public static SimulatedClassifier From(SpikingNetwork trained, double dtMs)
    {
        var network = new Network();
        var input = new ExternalInput("input", trained.Inputs);
        Population? previous = null;
        var spikingReadout = false;
        Conv2d? convolution = null;
        Pool2d? pool = null;
        ImageShape? flatten = null;
        var hidden = 0;
        for (var k = 0; k < trained.Layers.Count; k++)
        {
            var layer = trained.Layers[k];
            float[] Values(string parameter) => layer.Parameters.Single(p => p.Name == parameter).Value.ToArray();
            switch (layer)
            {
                case Conv2d conv:
                    convolution = conv;
                    continue;
                case Pool2d pooling:
                    pool = pooling;
                    continue;
                case Flatten f:
                    flatten = f.Input;
                    continue;
                case SpikingActivation a:
                    var c = convolution ?? throw new InvalidParameterException($"Layer {k} ({layer.Describe()}) follows no convolution; the simulator has no form for it.");
                    var neurons = network.AddPopulation($"hidden_{hidden++}", a.Outputs, a.Cell.Neuron);
                    network.Feed(new ConvolutionFeed(neurons, previous is null ? input : null, previous, c.Geometry,
                        c.Parameters.Single(q => q.Name == "weight").Value.ToArray(), c.Parameters.Single(q => q.Name == "bias").Value.ToArray(),
                        pool is null ? null : new Pooling(pool.Kind, pool.Geometry)));
                    network.SetFeedBias(neurons, new float[neurons.Size]); // the activation's scan adds a zero bias
                    (previous, convolution, pool, spikingReadout) = (neurons, null, null, true);
                    continue;
            }
            var name = k == trained.Layers.Count - 1 ? "output" : $"hidden_{hidden++}";
            var (model, spiking) = layer switch
            {
                SpikingLinear l => (l.Cell.Neuron, true),
                SpikingRecurrent r => (r.Cell.Neuron, true),
                LeakyReadout o => (LeakyReadout.Neuron(o.TauMemMs), false),
                _ => throw new InvalidParameterException($"Layer {k} ({layer.Describe()}) has no simulator form."),
            };
            var population = network.AddPopulation(name, layer.Outputs, model);
            network.Feed(previous is null ? new InputFeed(population, input, Values("weight"))
                : new SpikeFeed(previous, population, Values("weight"), FeedTiming.SameStep, flatten));
            flatten = null;
            if (layer is SpikingRecurrent) network.Feed(new SpikeFeed(population, population, Values("recurrent_weight"), FeedTiming.PreviousStep));
            if (spiking) network.SetFeedBias(population, Values("bias"));
            else network.Inject(new CurrentInput(population, Values("bias")));
            (previous, spikingReadout) = (population, spiking);
        }
        return new SimulatedClassifier(network, input, previous!, spikingReadout, dtMs);
    }

    /// <summary>
    /// The readout's output over <paramref name="steps"/> steps for one encoded sample (<paramref name="encoded"/>: steps ×
    /// inputs, row t), written as rows of <paramref name="output"/> (steps × classes): the potential of a leaky readout, the
    /// spikes of a spiking one — the values training's loss reads.
    /// </summary>
    /// <param name="backend">Where it runs.</param>
    /// <param name="encoded">The encoded sample.</param>
    /// <param name="steps">Steps to run.</param>
    /// <param name="output">The readout's rows.</param>
    /// <param name="observe">Called with the simulation before its first step, to add recordings of its own (a recording of the sample).</param>
    public void Run(IComputeBackend backend, ReadOnlySpan<float> encoded, int steps, Span<float> output, Action<ISimulationEngine>? observe = null)
    {
        using var simulation = new TimeStepSimulation(Network, backend, new TimeStepOptions(DtMs));
        var readout = new Readout(steps * Output.Size, Output.Size, DtMs);
        simulation.Record([SpikingReadout ? new SpikeRecording(Output) : new StateRecording(Output, ReadoutPotential, [.. Enumerable.Range(0, Output.Size)], DtMs)], readout);
        observe?.Invoke(simulation);
        var reordered = ChannelsFirst is null ? null : new float[Input.Width];
        for (var t = 0; t < steps; t++)
        {
            var values = encoded.Slice(t * Input.Width, Input.Width);
            if (ChannelsFirst is { } image)
            {
                // (C, H·W) → (H·W, C)
                for (var c = 0; c < image.Channels; c++)
                    for (var p = 0; p < image.Pixels; p++)
                        reordered![p * image.Channels + c] = values[c * image.Pixels + p];
                values = reordered;
            }
            simulation.SetInput(Input, values);
            simulation.RunSteps(1);
        }
        readout.Rows.CopyTo(output);
    }

    /// <summary>
    /// Accuracy on <paramref name="data"/> run in the time-step engine, sample by sample, with the encoding, steps and loss of
    /// <paramref name="options"/> (see <see cref="Predict"/>).
    /// </summary>
    public double Accuracy(IComputeBackend backend, Dataset data, TrainingOptions options, IProgress<int>? progress = null)
    {
        var predictions = Predict(backend, data, options, progress);
        return (double)predictions.Where((p, i) => p == data.Labels[i]).Count() / data.Count;
    }

    /// <summary>
    /// The predicted class of each sample of <paramref name="data"/>, run in the time-step engine with the encoding, steps and
    /// loss of <paramref name="options"/> (the loss says how the readout's outputs give a class).
    /// </summary>
    public int[] Predict(IComputeBackend backend, Dataset data, TrainingOptions options, IProgress<int>? progress = null)
    {
        var y = new float[options.Steps * Output.Size];
        var predictions = new int[data.Count];
        ForEachEncoded(data, options, (index, encoded) =>
        {
            Run(backend, encoded, options.Steps, y);
            predictions[index] = PredictionOf(y, options, data.Labels[index]);
            progress?.Report(index + 1);
        });
        return predictions;
    }

    /// <summary>The class that the loss of <paramref name="options"/> reads from one sample's readout rows (steps × classes).</summary>
    public static int PredictionOf(ReadOnlySpan<float> outputs, TrainingOptions options, int label)
    {
        var prediction = new int[1];
        var classes = outputs.Length / options.Steps;
        Losses.Loss.Create(options.Loss).Evaluate(outputs, options.Steps, 1, classes, [label], new float[outputs.Length], prediction);
        return prediction[0];
    }

    /// <summary>What <see cref="ForEachEncoded"/> gives for each sample: its index and its encoding (steps × features, row t).</summary>
    public delegate void EncodedSampleAction(int index, ReadOnlySpan<float> encoded);

    /// <summary>
    /// Each sample of <paramref name="data"/> encoded as evaluation during training encodes it: in the evaluation batches
    /// and seeds of training (<see cref="Trainer.EvaluationBatch"/>), so stochastic encoders draw the same inputs.
    /// </summary>
    public static void ForEachEncoded(Dataset data, TrainingOptions options, EncodedSampleAction action)
    {
        var encoder = Encoders.Encoder.Create(options.Encoder);
        var steps = options.Steps;
        var encoded = new float[steps * Trainer.EvaluationBatch * data.Features];
        var sample = new float[steps * data.Features];
        for (var start = 0; start < data.Count; start += Trainer.EvaluationBatch)
        {
            var batch = Math.Min(Trainer.EvaluationBatch, data.Count - start);
            encoder.Encode(data, [.. Enumerable.Range(start, batch)], steps, encoded, Trainer.EvaluationSeed(options.Seed, start));
            for (var b = 0; b < batch; b++)
            {
                for (var t = 0; t < steps; t++)
                    encoded.AsSpan((t * batch + b) * data.Features, data.Features).CopyTo(sample.AsSpan(t * data.Features));
                action(start + b, sample);
            }
        }
    }

    /// <summary>Writes the readout's value (or spike) of each step into its row.</summary>
    private sealed class Readout(int length, int classes, double dtMs) : IRecordingSink
    {
        private readonly float[] _rows = new float[length];
        private readonly int _classes = classes;

        public ReadOnlySpan<float> Rows => _rows;

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) _rows[(int)Math.Round(timesMs[k] / dtMs) * _classes + neurons[k]] = 1f;
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values)
            => values.CopyTo(_rows.AsSpan(((int)Math.Round(timeMs / dtMs) - 1) * _classes, _classes));
    }
}
