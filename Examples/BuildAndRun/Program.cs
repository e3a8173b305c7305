// Build a small network in code — Poisson inputs onto LIF neurons with recurrent inhibition —
// and run the same description in the time-step engine and in the event engine.
//
//   dotnet run -c Release --project Examples/BuildAndRun
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

var rng = new Xoshiro256(seed: 42);
var network = new Network();
var inputs = network.AddPopulation("inputs", 200, new PoissonSource(RateHz: 20));
var neurons = network.AddPopulation("neurons", 100, new Lif(TauMs: 20, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 2));
network.Connect(inputs, neurons, Connect.FixedProbability(200, 100, 0.2, r => 0.08f + 0.04f * (float)r.NextDouble(), rng), delayMs: 1);
network.Connect(neurons, neurons, Connect.FixedInDegree(100, 100, 10, Connect.Constant(-0.05f), rng, allowAutapses: false), delayMs: 1.5);

// The time-step engine, on whatever device --device auto would pick.
using (var backend = Backends.Create(DeviceKind.Auto))
using (var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(DtMs: 0.1, Seed: 1)))
{
    var spikes = simulation.Observe(new SpikeRecorder(neurons));
    var voltage = simulation.Observe(new StateRecorder(neurons, Lif.V, [0, 1, 2], everySteps: 10));
    simulation.Run(durationMs: 1000);
    Console.WriteLine($"time-step engine on {backend.Description}: {spikes.Total} spikes, {spikes.MeanRateHz:0.##} Hz; " +
                      $"v of neuron 0 at 1 s: {voltage.Samples[^1][0]:0.###}");
}

// The event engine: the same description, exact spike times.
var exact = new EventSimulation(network, new EventOptions(Seed: 1));
var times = exact.Observe(new SpikeTimeRecorder(neurons));
exact.Run(1000);
Console.WriteLine($"event engine: {times.Total} spikes, first at {times.TimesMs.FirstOrDefault():0.######} ms " +
                  $"(neuron {times.Neurons.FirstOrDefault()}), peak queue {exact.PeakPendingEvents} events");
