using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Tests.Training;

/// <summary>A trained network is a simulator network: the time-step engine gives the training forward pass's outputs, bit for bit.</summary>
public sealed class SimulatedClassifierTests
{
    public static TheoryData<HiddenCell, bool, ReadoutKind, int[]> Kinds => new()
    {
        { HiddenCell.Lif, false, ReadoutKind.LeakyIntegrator, [16] },
        { HiddenCell.Lif, false, ReadoutKind.LeakyIntegrator, [16, 12] },
        { HiddenCell.Alif, false, ReadoutKind.LeakyIntegrator, [16] },
        { HiddenCell.Lif, true, ReadoutKind.LeakyIntegrator, [16] },
        { HiddenCell.Alif, true, ReadoutKind.Spiking, [16] },
        { HiddenCell.Lif, true, ReadoutKind.LeakyIntegrator, [16, 12] },
        { HiddenCell.Lif, false, ReadoutKind.Spiking, [16] },
    };

    private static float[] Forward(IComputeBackend backend, SpikingNetwork network, float[] encoded, int steps, int batch)
    {
        using var input = backend.Allocate<float>(encoded.Length);
        input.CopyFrom(encoded);
        var output = network.Forward(input.View, steps, batch);
        backend.Synchronize();
        var y = new float[output.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(output, y);
        return y;
    }

    private static void AssertSameOutputs(IComputeBackend backend, HiddenCell cell, bool recurrent, ReadoutKind readout, int[] hidden)
    {
        // A large gain so that every layer spikes within the 12 steps.
        var spec = new SnnModelSpec(4, hidden, 3, cell, recurrent, readout, TauMemMs: 10, TauReadoutMs: 20, InitGain: readout == ReadoutKind.Spiking ? 8f : 3f);
        var data = YinYang.Generate(9, 42);
        var encoded = new float[Steps * Batch * 4];
        Encoder.Create(EncoderKind.Current).Encode(data, [.. Enumerable.Range(0, Batch)], Steps, encoded, 1);
        AssertSameOutputs(backend, spec, encoded);
    }

    private const int Steps = 12, Batch = 9;

    /// <summary>The training forward pass and the simulator, sample by sample, give the same readout bits at every step.</summary>
    private static void AssertSameOutputs(IComputeBackend backend, SnnModelSpec spec, float[] encoded)
    {
        using var network = spec.Build(backend, 7);
        var (inputs, classes) = (spec.Inputs, spec.Classes);
        var expected = Forward(backend, network, encoded, Steps, Batch);
        var simulated = SimulatedClassifier.From(network, spec.DtMs);
        var sample = new float[Steps * inputs];
        var y = new float[Steps * classes];
        var active = 0;
        for (var b = 0; b < Batch; b++)
        {
            for (var t = 0; t < Steps; t++) encoded.AsSpan((t * Batch + b) * inputs, inputs).CopyTo(sample.AsSpan(t * inputs));
            simulated.Run(backend, sample, Steps, y);
            for (var t = 0; t < Steps; t++)
            for (var c = 0; c < classes; c++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[(t * Batch + b) * classes + c]) == BitConverter.SingleToInt32Bits(y[t * classes + c]),
                    $"sample {b}, step {t}, class {c}: training {expected[(t * Batch + b) * classes + c]:R}, simulator {y[t * classes + c]:R}");
                if (y[t * classes + c] != 0) active++;
            }
        }
        Assert.True(active > 0, "the readout never moved");
        Assert.Equal(spec.Readout == ReadoutKind.Spiking, simulated.SpikingReadout);
    }

    public static TheoryData<PoolKind, ReadoutKind> ConvolutionKinds => new()
    {
        { PoolKind.Max, ReadoutKind.LeakyIntegrator },
        { PoolKind.Average, ReadoutKind.Spiking },
        { PoolKind.Sum, ReadoutKind.LeakyIntegrator },
    };

    /// <summary>
    /// Two convolutional stages (the second padded and, for max pooling, unpooled) on 10 × 10 images of two channels, a
    /// flatten, a hidden layer and the readout: the stages become convolution feeds, the flatten a flattening spike feed.
    /// </summary>
    private static void AssertSameConvolutionOutputs(IComputeBackend backend, PoolKind pool, ReadoutKind readout)
    {
        var convolution = new ConvolutionSpec(2, 10, 10, [new ConvStage(4, 3, Pool: pool, PoolSize: 2), new ConvStage(5, 2, Padding: 1, Pool: pool, PoolSize: pool == PoolKind.Max ? 1 : 2)]);
        var spec = new SnnModelSpec(200, [12], 3, Readout: readout, TauMemMs: 10, TauReadoutMs: 20, InitGain: readout == ReadoutKind.Spiking ? 8f : 4f,
            Convolution: convolution);
        var random = new Random(5);
        var encoded = new float[Steps * Batch * spec.Inputs];
        for (var i = 0; i < encoded.Length; i++) encoded[i] = random.NextSingle() < 0.3f ? 1f : 0f;
        AssertSameOutputs(backend, spec, encoded);
    }

    [Theory]
    [MemberData(nameof(ConvolutionKinds))]
    public void A_convolutional_network_gives_the_training_outputs_bit_for_bit_on_the_host(PoolKind pool, ReadoutKind readout)
    {
        using var backend = new HostBackend();
        AssertSameConvolutionOutputs(backend, pool, readout);
    }

    [Theory]
    [MemberData(nameof(ConvolutionKinds))]
    public void A_convolutional_network_gives_the_training_outputs_bit_for_bit_through_ilgpu(PoolKind pool, ReadoutKind readout)
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        AssertSameConvolutionOutputs(emulator, pool, readout);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_simulated_network_gives_the_training_outputs_bit_for_bit_on_the_host(HiddenCell cell, bool recurrent, ReadoutKind readout, int[] hidden)
    {
        using var backend = new HostBackend();
        AssertSameOutputs(backend, cell, recurrent, readout, hidden);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_simulated_network_gives_the_training_outputs_bit_for_bit_through_ilgpu(HiddenCell cell, bool recurrent, ReadoutKind readout, int[] hidden)
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        AssertSameOutputs(emulator, cell, recurrent, readout, hidden);
    }

    [Fact]
    public void A_trained_network_scores_in_the_simulator_exactly_what_training_measured()
    {
        using var backend = new HostBackend();
        var data = new TaskData(YinYang.Generate(400, 42), null, YinYang.Generate(300, 40));
        var spec = new SnnModelSpec(4, [24], 3, TauMemMs: 10, TauReadoutMs: 20);
        var options = new TrainingOptions(Steps: 10, Epochs: 3, Batch: 25, Seed: 3, LossKind.CeMax, EncoderKind.Current, OptimizerKind.Adam, new OptimizerSettings(4e-3f));
        var trained = TrainingSession.Run(backend, TaskKind.YinYang, data, spec, options, checkpoint: null, resume: false);
        using var network = spec.Build(backend, options.Seed);
        using var optimizer = Optimizer.Create(options.Optimizer, backend, network.Parameters, options.Settings);
        using var trainer = new Trainer(network, optimizer, options);
        for (var epoch = 0; epoch < options.Epochs; epoch++) trainer.TrainEpoch(data.Train, epoch);
        Assert.Equal(trained.TestAccuracy, trainer.Evaluate(data.Test).Accuracy);
        Assert.InRange(trained.TestAccuracy, 0.5, 1.0);
        Assert.Equal(trained.TestAccuracy, SimulatedClassifier.From(network, spec.DtMs).Accuracy(backend, data.Test, options));
    }

    [Fact]
    public void The_event_engine_refuses_a_trained_network_by_what_it_lacks()
    {
        using var backend = new HostBackend();
        using var network = new SnnModelSpec(4, [8], 3).Build(backend, 1);
        var simulated = SimulatedClassifier.From(network, 1.0);
        Assert.Contains("per-step affine inputs", Assert.Throws<InvalidParameterException>(() => Simulation.Create(simulated.Network, EngineKind.Event, 1.0, 1, null)).Message);
    }
}
