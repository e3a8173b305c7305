// A learning rule defined in this project (VogelsSprekelerStdp.cs: Vogels et al. 2011's inhibitory STDP) runs in
// SpikeSim's engines unchanged: the time-step engine on the host launcher and through ILGPU (here its CPU emulator)
// with the same weights, and the event engine; with its codec (VogelsSprekelerStdpCodec.cs) it is written to a model
// file and read back into the same network.
//
//   dotnet run -c Release --project Examples/CustomRule
using CustomRule;
using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;

var rule = new VogelsSprekelerStdp(Eta: 0.005, Alpha: 0.2, TauMs: 20, WMax: -1);
const double durationMs = 20_000;

// 1. The time-step engine on the host launcher: inhibition grows until the neurons fire near α/(2τ).
using var host = new HostBackend();
var (network, post, plastic) = InhibitoryBalance.Build(rule);
using (var step = new TimeStepSimulation(network, host, new TimeStepOptions(DtMs: 0.1, Seed: 5)))
{
    var (early, late) = InhibitoryBalance.Rates(step, post, durationMs);
    Console.WriteLine($"time-step engine: {early:F1} Hz in the first 5 s, {late:F1} Hz in the last 5 s (target {rule.TargetRateHz:F1} Hz); " +
                      $"mean inhibitory weight {step.Weights(plastic).Average():F3}");
}

// 2. The same first 100 ms through ILGPU's emulator: the same weights, bit for bit.
float[] Weights100(IComputeBackend backend)
{
    var (n, p, w) = InhibitoryBalance.Build(rule);
    using var simulation = new TimeStepSimulation(n, backend, new TimeStepOptions(DtMs: 0.1, Seed: 5));
    InhibitoryBalance.Rates(simulation, p, 100);
    return simulation.Weights(w);
}
using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
var ilgpuSame = Weights100(host).SequenceEqual(Weights100(emulator));
Console.WriteLine($"host launcher and ILGPU after 100 ms: identical weights: {ilgpuSame}");

// 3. The event engine (exact spike times, double precision): the same rule through its event-driven form.
var (eventNetwork, eventPost, _) = InhibitoryBalance.Build(rule);
using (var exact = new EventSimulation(eventNetwork, new EventOptions(Seed: 5)))
{
    var (early, late) = InhibitoryBalance.Rates(exact, eventPost, durationMs);
    Console.WriteLine($"event engine:     {early:F1} Hz in the first 5 s, {late:F1} Hz in the last 5 s");
}

// 4. A model file: the rule is a CustomRule named by its codec, and reads back as the same rule.
var codecs = ModelCodecs.BuiltIn.With(new VogelsSprekelerStdpCodec());
var bytes = ModelFileCodec.Encode(NetworkExporter.ToModelFile(network, 0.1, codecs: codecs));
var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(bytes), codecs);
var sameRule = Equals(read.Projections.Single(p => p.Plasticity is not null).Plasticity, rule);
Console.WriteLine($"written to a model file ({bytes.Length} bytes) and read back: same rule: {sameRule}");
return ilgpuSame && sameRule ? 0 : 1;
