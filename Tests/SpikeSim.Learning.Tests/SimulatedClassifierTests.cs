using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
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
        using var network = spec.Build(backend, 7);
        var data = YinYang.Generate(9, 42);
        const int steps = 12, batch = 9;
        var encoded = new float[steps * batch * 4];
        Encoder.Create(EncoderKind.Current).Encode(data, [.. Enumerable.Range(0, batch)], steps, encoded, 1);
        var expected = Forward(backend, network, encoded, steps, batch);
        var simulated = SimulatedClassifier.From(network, spec.DtMs);
        var sample = new float[steps * 4];
        var y = new float[steps * 3];
        var active = 0;
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < steps; t++) encoded.AsSpan((t * batch + b) * 4, 4).CopyTo(sample.AsSpan(t * 4));
            simulated.Run(backend, sample, steps, y);
            for (var t = 0; t < steps; t++)
            for (var c = 0; c < 3; c++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[(t * batch + b) * 3 + c]) == BitConverter.SingleToInt32Bits(y[t * 3 + c]),
                    $"sample {b}, step {t}, class {c}: training {expected[(t * batch + b) * 3 + c]:R}, simulator {y[t * 3 + c]:R}");
                if (y[t * 3 + c] != 0) active++;
            }
        }
        Assert.True(active > 0, "the readout never moved");
        Assert.Equal(readout == ReadoutKind.Spiking, simulated.SpikingReadout);
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
