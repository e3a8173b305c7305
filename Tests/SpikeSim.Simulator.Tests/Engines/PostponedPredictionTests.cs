using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Tests.Engines;

/// <summary>
/// The event engine does not predict a CUBA-LIF neuron's crossing again after an inhibitory input (which can only postpone
/// it); it keeps the queued crossing as a lower bound and predicts again when that comes due. The spikes are those of a
/// prediction after every input — the same network with the shortcut turned off — to the root finder's precision.
/// </summary>
public sealed class PostponedPredictionTests
{
    [Fact]
    public void Skipping_predictions_after_inhibitory_inputs_changes_no_spike()
    {
        var model = new CubaLif(TauMemMs: 20, TauSynExcMs: 5, TauSynInhMs: 10, VLeak: -49, VThreshold: -50, VReset: -60, RefractoryMs: 5);
        var (lazy, lazyEngine) = Run(model);
        var (eager, eagerEngine) = Run(new EagerCubaLif(model));
        Assert.True(lazy.Length > 1000, $"{lazy.Length} spikes");
        Assert.Equal(eager.Length, lazy.Length);
        for (var k = 0; k < lazy.Length; k++)
        {
            Assert.Equal(eager[k].Neuron, lazy[k].Neuron);
            Assert.True(Math.Abs(eager[k].TimeMs - lazy[k].TimeMs) < 1e-9, $"spike {k}: {eager[k].TimeMs:R} against {lazy[k].TimeMs:R}");
        }
        Assert.True(lazyEngine.SkippedPredictions > 0);
        Assert.Equal(0, eagerEngine.SkippedPredictions);
    }

    /// <summary>The Vogels–Abbott CUBA network at 800 neurons, 0.4 s, in the event engine.</summary>
    private static ((int Neuron, double TimeMs)[] Spikes, EventSimulation Engine) Run(INeuronModel model)
    {
        var rng = new Xoshiro256(4);
        var network = new Network();
        var neurons = network.AddPopulation("cuba", 800, model);
        neurons.SetInitial(CubaLif.V, [.. Enumerable.Range(0, 800).Select(_ => (float)(-60 + 10 * rng.NextDouble()))]);
        network.Connect(neurons, neurons, Connect.FixedProbability(800, 800, 0.1, Connect.Constant(1.62f), rng, connectedSources: ..640), CubaLif.Excitatory);
        network.Connect(neurons, neurons, Connect.FixedProbability(800, 800, 0.1, Connect.Constant(-9f), rng, connectedSources: 640..), CubaLif.Inhibitory);
        var engine = new EventSimulation(network, new EventOptions(4));
        var spikes = engine.Observe(new SpikeTimeRecorder(neurons));
        engine.Run(400);
        return ([.. spikes.Neurons.ToArray().Zip(spikes.TimesMs.ToArray())], engine);
    }

    /// <summary>CubaLif whose exact neurons say that no input only postpones a crossing: the engine predicts after every input.</summary>
    private sealed record EagerCubaLif(CubaLif Model) : IExactNeuronModel
    {
        public int InputChannels => Model.InputChannels;
        public IReadOnlyList<StateVariable> StateVariables => Model.StateVariables;
        public NeuronGroup CreateGroup(in GroupContext context) => ((INeuronModel)Model).CreateGroup(context);
        public ExactNeuronGroup CreateExact(int count, ulong seed) => new Eager(((IExactNeuronModel)Model).CreateExact(count, seed));

        private sealed class Eager(ExactNeuronGroup inner) : ExactNeuronGroup(inner.Count)
        {
            public override int BytesPerNeuron => inner.BytesPerNeuron;
            public override bool Receive(int i, double t, int channel, double weight) => inner.Receive(i, t, channel, weight);
            public override double NextSpike(int i, double t) => inner.NextSpike(i, t);
            public override void Fire(int i, double t) => inner.Fire(i, t);
            public override double Voltage(int i, double t) => inner.Voltage(i, t);
            public override void SetCurrent(int i, double current) => inner.SetCurrent(i, current);
            public override void SetInitial(StateVariable variable, float[] values) => inner.SetInitial(variable, values);
        }
    }
}
