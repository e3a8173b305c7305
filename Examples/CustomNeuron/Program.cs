// A neuron model defined in this project (QuadraticIntegrateAndFire.cs) runs in SpikeSim's engine
// unchanged, on the host launcher and through ILGPU's GPU path (here its CPU emulator), with the
// same spikes; with its codec (QuadraticIntegrateAndFireCodec.cs) it is written to a model file and
// read back into the same network.
//
//   dotnet run -c Release --project Examples/CustomNeuron
using CustomNeuron;
using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

Network Build()
{
    var network = new Network();
    var drive = network.AddPopulation("drive", 50, new PoissonSource(RateHz: 30));
    var qif = network.AddPopulation("qif", 20, new QuadraticIntegrateAndFire());
    network.Connect(drive, qif, new DenseConnectivity(50, 20, Enumerable.Range(0, 1000).Select(k => (k % 7) / 4f).ToArray()), delayMs: 1);
    network.Inject(CurrentInput.Constant(qif, 2f));
    return network;
}

int[] Run(Network network, IComputeBackend backend)
{
    var qif = network.Populations.Single(p => p.Name == "qif");
    using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(DtMs: 0.1, Seed: 3));
    var spikes = simulation.Observe(new SpikeRecorder(qif));
    simulation.RunSteps(5000);
    return [.. spikes.Neurons.ToArray().Zip(spikes.SpikeSteps.ToArray(), (n, s) => s * 100 + n)];
}

using var host = new HostBackend();
using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
var onHost = Run(Build(), host);
var onIlgpu = Run(Build(), emulator);
Console.WriteLine($"QIF: {onHost.Length} spikes on the host launcher, {onIlgpu.Length} through ILGPU; identical: {onHost.SequenceEqual(onIlgpu)}");

var codecs = ModelCodecs.BuiltIn.With(new QuadraticIntegrateAndFireCodec());
var bytes = ModelFileCodec.Encode(NetworkExporter.ToModelFile(Build(), 0.1, codecs: codecs));
var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(bytes), codecs);
var fromFile = Run(read, host);
Console.WriteLine($"written to a model file ({bytes.Length} bytes) and read back: {fromFile.Length} spikes; identical: {fromFile.SequenceEqual(onHost)}");
return onHost.SequenceEqual(onIlgpu) && fromFile.SequenceEqual(onHost) && onHost.Length > 0 ? 0 : 1;
