// The README's tour, kept compiling by the solution build: dotnet run -c Release --project Examples/Tour
using SpikeSim.Export;
using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

// Build: 100 Poisson inputs onto 50 LIF neurons.
var net = new Network();
var inputs = net.AddPopulation("inputs", 100, new PoissonSource(RateHz: 20));
var lif = net.AddPopulation("lif", 50, new Lif(TauMs: 20, VThreshold: 1, RefractoryMs: 2));
net.Connect(inputs, lif, Connect.FixedProbability(100, 50, 0.2, Connect.Constant(0.15f), new Xoshiro256(1)), delayMs: 1);

// Run for 1 s on the best device (CUDA if ILGPU finds one, else every CPU core), recording spikes and v.
using var backend = Backends.Create(DeviceKind.Auto);
using (var sim = new TimeStepSimulation(net, backend, new TimeStepOptions(DtMs: 0.1)))
{
    var spikes = sim.Observe(new SpikeRecorder(lif));
    var v = sim.Observe(new StateRecorder(lif, Lif.V, neurons: [0, 1]));
    sim.Run(durationMs: 1000);
    Console.WriteLine($"{spikes.Total} spikes ({spikes.MeanRateHz:0.#} Hz); v of neuron 0 at 1 s: {v.Samples[^1][0]:0.###}");
}

// Train a spiking classifier on Yin-Yang with surrogate-gradient BPTT, checkpointing every epoch.
var data = TrainingTasks.Load(TaskKind.YinYang, dataFolder: null, Mnist.DefaultCache, Console.WriteLine);
var spec = new SnnModelSpec(Inputs: 4, Hidden: [64], Classes: 3);
var options = new TrainingOptions(Steps: 30, Epochs: 3, Batch: 32, Seed: 1, LossKind.CeMax, EncoderKind.Current,
    OptimizerKind.Adam, new OptimizerSettings(LearningRate: 2e-3f));
File.Delete("tour.ckpt");
var trained = TrainingSession.Run(backend, TaskKind.YinYang, data, spec, options, checkpoint: "tour.ckpt", resume: false);
Console.WriteLine($"Yin-Yang test accuracy after 3 epochs: {trained.TestAccuracy:P1}");

// Export the simulated network to the SpikeSim model file (spikesim export --model tour.ckpt writes the classifier).
NetworkExporter.Write(NetworkExporter.ToModelFile(net, dtMs: 0.1), "tour.spikesim");
