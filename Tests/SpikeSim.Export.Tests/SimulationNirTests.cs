using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>Simulation networks as NIR: identical spikes after a round trip, and a named refusal for what NIR cannot hold.</summary>
public sealed class SimulationNirTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-simnir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Network Build()
    {
        var rng = new Random(3);
        float W() => rng.Next(-32, 96) / 64f;
        var network = new Network();
        var a = network.AddPopulation("a", 20, new Lif(TauMs: 20, R: 2, VLeak: 3, VThreshold: 1, VReset: 0));
        var b = network.AddPopulation("b", 10, new IntegrateAndFire(VThreshold: 1.5));
        var c = network.AddPopulation("c", 10, new LeakyIntegrator(TauMs: 10));
        var d = network.AddPopulation("d", 8, new CubaLif(TauMemMs: 15, TauSynExcMs: 4, TauSynInhMs: 4, VThreshold: 0.8));
        network.Connect(a, b, new DenseConnectivity(20, 10, Enumerable.Range(0, 200).Select(_ => W()).ToArray()), delayMs: 1);
        network.Connect(b, c, new OneToOneConnectivity(Enumerable.Range(0, 10).Select(_ => W()).ToArray()));
        network.Connect(a, d, SparseConnectivity.FromTriples(20, 8, Enumerable.Range(0, 40).Select(k => (k % 20, (k * 7) % 8, W())).DistinctBy(t => (t.Item1, t.Item2)).ToList()), delayMs: 0.5);
        network.Connect(d, a, new DenseConnectivity(8, 20, Enumerable.Range(0, 160).Select(_ => -Math.Abs(W())).ToArray()), delayMs: 0.2);
        return network;
    }

    private static int[][] Spikes(Network network, double dt)
    {
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(dt, Seed: 1));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
        simulation.RunSteps(2000);
        return recorders.Select(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray()).ToArray();
    }

    [Fact]
    public void A_network_nir_can_hold_comes_back_with_identical_spikes()
    {
        var original = Build();
        var path = Path.Combine(_dir, "net.nir");
        var (graph, warnings) = SimulationNir.FromNetwork(original, 0.1);
        Assert.Equal(["Projection 'a->d#2' is sparse (40 synapses) and NIR has no sparse projections: written as a dense 8×20 Linear (120 of its elements zero)."], warnings);
        NirFile.Write(graph, path);
        var (imported, dt) = SimulationNir.ToNetwork(NirFile.Read(path));
        Assert.Equal(0.1, dt, 12);
        Assert.Equal(original.Populations.Select(p => p.Model), imported.Populations.Select(p => p.Model));
        Assert.Equal(original.Projections.Select(p => p.DelayMs), imported.Projections.Select(p => p.DelayMs));
        var (before, after) = (Spikes(original, 0.1), Spikes(imported, dt));
        Assert.True(before.Sum(s => s.Length) > 100, "the network should be active");
        Assert.All(new[] { 0, 1, 3 }, i => Assert.NotEmpty(before[i])); // LIF, IF and CubaLIF all spike (LI never does)
        Assert.Equal(before, after);
        Assert.Contains(graph.Nodes, n => n.Node.Type == "Delay");
        Assert.Equal("LIF", graph["a"].Type);
        Assert.Equal(0.02f, graph["a"].Fields["r"].Floats![0]);
    }

    [Fact]
    public void What_nir_cannot_hold_is_refused_naming_the_population_or_projection()
    {
        var network = new Network();
        var a = network.AddPopulation("exc", 4, new Lif(RefractoryMs: 2));
        Assert.Contains("'exc'", Assert.Throws<SpikeSimException>(() => SimulationNir.FromNetwork(network, 0.1)).Message);

        network = new Network();
        var x = network.AddPopulation("x", 4, new Lif());
        var y = network.AddPopulation("y", 4, new Lif());
        network.Connect(x, y, SparseConnectivity.FromTriples(4, 4, [(0, 1, 0.5f)]), plasticity: new PairStdp());
        Assert.Contains("learns", Assert.Throws<SpikeSimException>(() => SimulationNir.FromNetwork(network, 0.1)).Message);

        network = new Network();
        network.AddPopulation("izh", 4, new Izhikevich());
        Assert.Contains("'izh' is Izhikevich", Assert.Throws<SpikeSimException>(() => SimulationNir.FromNetwork(network, 0.1)).Message);

        network = new Network();
        network.AddPopulation("cuba", 4, new CubaLif(TauSynExcMs: 5, TauSynInhMs: 10));
        Assert.Contains("separate excitatory and inhibitory", Assert.Throws<SpikeSimException>(() => SimulationNir.FromNetwork(network, 0.1)).Message);
    }

    [Fact]
    public void Initial_states_are_dropped_with_a_warning()
    {
        var network = new Network();
        network.AddPopulation("p", 3, new Lif()).SetInitial(Lif.V, [0.1f, 0.2f, 0.3f]);
        var (_, warnings) = SimulationNir.FromNetwork(network, 0.1);
        Assert.Contains(warnings, w => w.Contains("'p'"));
    }
}

/// <summary>Damaged NIR files: every one ends in a SpikeSimException, never anything else.</summary>
public sealed class NirMutationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-nirmut-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Corrupted_nir_files_give_clear_errors_and_never_an_unhandled_exception()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 6, new Lif());
        var b = network.AddPopulation("b", 4, new Lif());
        network.Connect(a, b, new DenseConnectivity(6, 4, Enumerable.Range(0, 24).Select(i => i / 64f).ToArray()), delayMs: 1);
        var path = Path.Combine(_dir, "valid.nir");
        NirFile.Write(SimulationNir.FromNetwork(network, 0.1).Graph, path);
        var valid = File.ReadAllBytes(path);
        var rng = new SpikeSim.Simulator.Random.Xoshiro256(11);
        var refused = 0;
        for (var trial = 0; trial < 600; trial++)
        {
            var bytes = Damage.Apply(valid, trial, rng);
            var damaged = Path.Combine(_dir, "damaged.nir");
            File.WriteAllBytes(damaged, bytes);
            try
            {
                SimulationNir.ToNetwork(NirFile.Read(damaged));
            }
            catch (SpikeSimException)
            {
                refused++;
            }
        }
        Assert.True(refused > 100, $"only {refused} of 600 damaged files were refused");
    }
}
