using System.Diagnostics;
using System.Text.Json;
using SpikeSim.Experiments.Brunel;
using SpikeSim.Experiments.Cuba;
using SpikeSim.Experiments.Microcircuit;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Recording;

// spikesim-device-check [--device cuda|opencl|ilgpu-cpu-emulator] [--size tiny|full] [--json FILE]
//
// One call on a GPU machine: the device against the host launcher (CUBA, Brunel, the microcircuit at scale 0.1, a training
// step through the device's GEMM — cuBLAS on CUDA), then the benchmarks (CUBA at 4k, 40k and 400k neurons, the full
// microcircuit, and Linear→LIF training at the Open Neuromorphic benchmark's sizes: 16,384 LIF neurons, batch 16, T 500,
// forward + backward timed after a device synchronisation). `--size tiny` runs the same code at sizes the ILGPU CPU emulator
// finishes in a minute, which is how CI proves the script before a GPU arrives. Exit code 0: every check passed.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: spikesim-device-check [--device cuda|opencl|ilgpu-cpu-emulator] [--size tiny|full] [--json FILE]");
    return 2;
}
var clock = Stopwatch.StartNew();
using var device = IlgpuBackend.TryCreate(options.Device);
if (device is null)
{
    Console.Error.WriteLine($"error: ILGPU finds no {options.Device} device on this machine.");
    return 3;
}
using var host = new HostBackend();
var tiny = options.Tiny;
Console.WriteLine($"device: {device.Description}; reference: {host.Description}; sizes: {(tiny ? "tiny" : "full")}");

// train --arch conv's network at full size; a 1×8×8 image through two small stages at tiny sizes (the emulator in CI).
var conv = tiny
    ? new SnnModelSpec(64, [], 10, Convolution: new ConvolutionSpec(1, 8, 8, [new ConvStage(4, 3, Padding: 1), new ConvStage(6, 3, Stride: 2, PoolSize: 1)]))
    : new SnnModelSpec(784, [], 10, Convolution: ConvolutionSpec.SnnTorchMnist);
var checks = new List<Check>
{
    Checks.Network("cuba", () => VogelsAbbottCuba.Build(tiny ? 200 : 4000, 1).Network, tiny ? 30 : 200, device, host),
    Checks.Network("brunel", () => Brunel2000.Build(5, 2, tiny ? 0.02 : 0.1, 1).Network, tiny ? 30 : 200, device, host),
    Checks.Network("microcircuit", () => PotjansDiesmann2014.Build(PotjansDiesmann2014.Derive(tiny ? 0.01 : 0.1, tiny ? 0.1 : 1, BackgroundInput.Poisson), 1).Network,
        tiny ? 30 : 200, device, host),
    Checks.Training(tiny ? 32 : 784, tiny ? 48 : 512, 8, tiny ? 10 : 50, device, host),
    Checks.ConvTraining(conv, tiny ? 2 : 16, tiny ? 3 : 10, device, host),
};
foreach (var check in checks) Console.WriteLine($"{(check.Passed ? "pass" : "FAIL")}  {check.Name}: {check.Detail}");

var benchmarks = new List<Benchmark>();
foreach (var n in tiny ? new[] { 400, 4000 } : [4000, 40_000, 400_000])
    benchmarks.Add(Benchmarks.Network($"cuba_{n}", () => VogelsAbbottCuba.Build(n, 1).Network, tiny ? 50 : 1000, device));
benchmarks.Add(Benchmarks.Network("microcircuit", () => PotjansDiesmann2014.Build(PotjansDiesmann2014.Derive(tiny ? 0.01 : 1, tiny ? 0.1 : 1, BackgroundInput.Poisson), 1).Network,
    tiny ? 50 : 1000, device));
benchmarks.Add(Benchmarks.Training(tiny ? 64 : 1024, tiny ? 256 : 16_384, tiny ? 4 : 16, tiny ? 20 : 500, device));
benchmarks.Add(Benchmarks.ConvTraining(conv, tiny ? 2 : 64, tiny ? 3 : 25, device));
foreach (var b in benchmarks) Console.WriteLine($"bench {b.Name}: {b.Detail}");

var passed = checks.All(c => c.Passed);
Console.WriteLine($"{(passed ? "all checks passed" : "some checks FAILED")} in {clock.Elapsed.TotalSeconds:0.0} s");
if (options.Json is { } path)
{
    var json = JsonSerializer.Serialize(new
    {
        device = device.Description, size = tiny ? "tiny" : "full", passed, total_s = clock.Elapsed.TotalSeconds,
        checks = checks.Select(c => new { name = c.Name, passed = c.Passed, detail = c.Detail, figures = c.Figures }),
        benchmarks = benchmarks.Select(b => new { name = b.Name, detail = b.Detail, figures = b.Figures }),
    }, new JsonSerializerOptions { WriteIndented = true });
    File.WriteAllText(path, json);
}
return passed ? 0 : 1;

internal sealed record Options(DeviceKind Device, bool Tiny, string? Json)
{
    public static Options? Parse(string[] args)
    {
        var (device, tiny, json) = (DeviceKind.Cuda, false, (string?)null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--device" when value is "cuda" or "opencl" or "ilgpu-cpu-emulator":
                    device = value switch { "cuda" => DeviceKind.Cuda, "opencl" => DeviceKind.OpenCl, _ => DeviceKind.IlgpuCpuEmulator };
                    i++;
                    break;
                case "--size" when value is "tiny" or "full":
                    tiny = value == "tiny";
                    i++;
                    break;
                case "--json" when value is not null:
                    json = value;
                    i++;
                    break;
                default:
                    return null;
            }
        }
        return new Options(device, tiny, json);
    }
}

internal sealed record Check(string Name, bool Passed, string Detail, object Figures);

internal sealed record Benchmark(string Name, string Detail, object Figures);

/// <summary>Counts each recording's spikes and keeps them, for comparing two runs.</summary>
internal sealed class SpikeList : IRecordingSink
{
    public List<(int Recording, int Neuron, double TimeMs)> Received { get; } = [];

    public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
    {
        for (var k = 0; k < neurons.Length; k++) Received.Add((recording, neurons[k], timesMs[k]));
    }

    public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }
}
