using PureHDF;
using SpikeSim.Export.Recordings;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export.Recordings;

/// <summary>Recordings written as HDF5 in the documented layout, by both engines, against closed forms.</summary>
public sealed class RecordingFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-recording-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // LIF with τ 20 ms, v_leak 0, R 1, threshold 1: a current I drives v(t) = R·I·(1 − e^(−t/τ)) from rest.
    private static (Network Network, Population Population) Lif(float current)
    {
        var network = new Network();
        var population = network.AddPopulation("lif", 3, new Lif(TauMs: 20, R: 1, VLeak: 0, VThreshold: 1, VReset: 0));
        network.Inject(new CurrentInput(population, [current, current / 2, current / 4]));
        return (network, population);
    }

    [Theory]
    [InlineData(EngineKind.Step)]
    [InlineData(EngineKind.Event)]
    public void A_recorded_membrane_trace_below_threshold_equals_the_closed_form(EngineKind engine)
    {
        var (network, lif) = Lif(0.9f);
        var path = Path.Combine(_dir, $"trace-{engine}.h5");
        using (var simulation = Simulation.Create(network, engine, 0.1, 1, Probe.Host.Value))
        {
            var recordings = new Recording[] { new StateRecording(lif, SpikeSim.Simulator.Neurons.Lif.V, [0, 1, 2], 0.5), new SpikeRecording(lif) };
            using var file = new RecordingFile(path, recordings);
            simulation.Record(recordings, file);
            simulation.Run(100);
            file.Complete(new RunDescription(engine.ToString(), simulation.Description, 0.1, 100, 1));
        }
        using var h5 = H5File.OpenRead(path);
        var values = h5.Dataset("lif/v/values");
        Assert.Equal([200UL, 3UL], values.Space.Dimensions);
        Assert.Equal(0.5, values.Attribute("dt_ms").Read<double>());
        Assert.Equal(0.5, values.Attribute("start_ms").Read<double>());
        Assert.Equal([0, 1, 2], h5.Dataset("lif/v/neuron").Read<int[]>());
        var v = values.Read<float[]>();
        for (var row = 0; row < 200; row++)
        for (var k = 0; k < 3; k++)
        {
            var t = 0.5 * (row + 1);
            var expected = 0.9 / (1 << k) * (1 - Math.Exp(-t / 20));
            Assert.True(Math.Abs(v[row * 3 + k] - expected) <= 1e-5 * Math.Max(expected, 1e-3), $"t {t} neuron {k}: {v[row * 3 + k]} against {expected}");
        }
        Assert.Equal([0UL], h5.Dataset("lif/spikes/neuron").Space.Dimensions);
        Assert.Equal(100.0, h5.Attribute("duration_ms").Read<double>());
    }

    [Fact]
    public void Spikes_and_rates_of_a_long_record_come_back_whole_through_the_chunked_path()
    {
        var (network, lif) = Lif(0f);
        var path = Path.Combine(_dir, "many.h5");
        const int spikes = 200_003;
        using (var file = new RecordingFile(path, [new SpikeRecording(lif), new RateRecording(lif, BinMs: 10)]))
        {
            for (var k = 0; k < spikes; k++)
            {
                file.Spikes(0, [k % 3], [k * 0.005]);
                file.Spikes(1, [k % 3], [k * 0.005]);
            }
            Assert.Equal(spikes, file.Count(0));
            file.Complete(new RunDescription("step", "test", 0.1, 1000.01, 3));
        }
        using var h5 = H5File.OpenRead(path);
        var neurons = h5.Dataset("lif/spikes/neuron").Read<int[]>();
        var times = h5.Dataset("lif/spikes/time_ms").Read<double[]>();
        Assert.Equal(spikes, neurons.Length);
        Assert.All(Enumerable.Range(0, spikes), k => Assert.Equal((k % 3, k * 0.005), (neurons[k], times[k])));
        var rate = h5.Dataset("lif/rate/values").Read<float[]>();
        Assert.Equal(101, rate.Length);
        Assert.Equal(2000 / (3 * 10e-3), rate[0], 0.01); // 2000 spikes of 3 neurons in 10 ms, as float32
        Assert.Equal(10.0, h5.Dataset("lif/rate/values").Attribute("bin_ms").Read<double>());
        Assert.Empty(Directory.GetDirectories(_dir, ".many.h5.spool-*"));
    }

    [Fact]
    public void A_recording_named_twice_or_a_population_that_cannot_name_a_group_is_refused()
    {
        var (_, lif) = Lif(0f);
        Assert.Contains("recorded twice", Assert.Throws<InvalidParameterException>(() =>
            new RecordingFile(Path.Combine(_dir, "x.h5"), [new SpikeRecording(lif), new SpikeRecording(lif)])).Message);
        var network = new Network();
        var slashed = network.AddPopulation("a/b", 2, new Lif());
        Assert.Contains("HDF5 group", Assert.Throws<InvalidParameterException>(() => new RecordingFile(Path.Combine(_dir, "y.h5"), [new SpikeRecording(slashed)])).Message);
        Assert.False(File.Exists(Path.Combine(_dir, "x.h5")));
    }

    [Fact]
    public void The_event_engine_refuses_a_variable_without_a_closed_form_and_the_step_engine_an_interval_off_its_grid()
    {
        var network = new Network();
        var cuba = network.AddPopulation("cuba", 2, new CubaLif());
        var sink = new RecordingFile(Path.Combine(_dir, "z.h5"), []);
        using var exact = Simulation.Create(network, EngineKind.Event, 0.1, 1, null);
        Assert.Contains("--engine step", Assert.Throws<InvalidParameterException>(() =>
            exact.Record([new StateRecording(cuba, CubaLif.ISynExc, [0], 1)], sink)).Message);
        using var step = Simulation.Create(network, EngineKind.Step, 0.1, 1, Probe.Host.Value);
        Assert.Contains("not a multiple of dt", Assert.Throws<InvalidParameterException>(() =>
            step.Record([new StateRecording(cuba, CubaLif.V, [0], 0.25)], sink)).Message);
        sink.Dispose();
    }
}
