// A neuron model defined in this project (QuadraticIntegrateAndFire.cs) runs in SpikeSim's engine
// unchanged, on the host launcher and through ILGPU's GPU path (here its CPU emulator), with the
// same spikes.
//
//   dotnet run -c Release --project Examples/CustomNeuron
using CustomNeuron;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

int[] Run(IComputeBackend backend)
{
    var network = new Network();
    var drive = network.AddPopulation("drive", 50, new PoissonSource(RateHz: 30));
    var qif = network.AddPopulation("qif", 20, new QuadraticIntegrateAndFire());
    network.Connect(drive, qif, new DenseConnectivity(50, 20, Enumerable.Range(0, 1000).Select(k => (k % 7) / 4f).ToArray()), delayMs: 1);
    network.Inject(CurrentInput.Constant(qif, 2f));
    using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(DtMs: 0.1, Seed: 3));
    var spikes = simulation.Observe(new SpikeRecorder(qif));
    simulation.Run(5000);
    return [.. spikes.Neurons.ToArray().Zip(spikes.SpikeSteps.ToArray(), (n, s) => s * 100 + n)];
}

using var host = new HostBackend();
using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
var onHost = Run(host);
var onIlgpu = Run(emulator);
Console.WriteLine($"QIF: {onHost.Length} spikes on the host launcher, {onIlgpu.Length} through ILGPU; identical: {onHost.SequenceEqual(onIlgpu)}");
return onHost.SequenceEqual(onIlgpu) && onHost.Length > 0 ? 0 : 1;
