using System.CommandLine;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
public static class CommonOptions
{
    public static Option<int> N(int fallback) => new("--n") { Description = "Number of neurons", DefaultValueFactory = _ => fallback };

    public static Option<double> DurationMs() => new("--duration-ms") { Description = "Simulated time in ms", DefaultValueFactory = _ => 1000.0 };

    public static Option<ulong> Seed() => new("--seed") { Description = "Seed of the network and its random inputs", DefaultValueFactory = _ => 1UL };

    public static ChoiceOption<DeviceKind> Device() => new("--device",
        "auto (CUDA if ILGPU finds one, else the CPU), cpu, cuda, opencl, or ilgpu-cpu-emulator (ILGPU's GPU emulation on the CPU: a debugging aid, far slower than cpu)",
        DeviceKind.Auto);

    public static Option<int> Threads() => new("--threads") { Description = "CPU threads (0: all cores)", DefaultValueFactory = _ => 0 };

    public static Option<double> DtMs() => new("--dt-ms") { Description = "Time step in ms (time-step engine)", DefaultValueFactory = _ => 0.1 };

    public static ChoiceOption<SpikeSim.Simulator.Engines.EngineKind> Engine() =>
        new("--engine", "step (every neuron every dt) or event (exact spike times)", SpikeSim.Simulator.Engines.EngineKind.Step);

    public static Option<string?> Raster() => new("--raster") { Description = "Save a spike raster and population rate as PNG to FILE" };

    public static Option<string?> Json() => new("--json") { Description = "Write the results as JSON to FILE" };

    /// <summary>Opens the device and says which one was taken (on standard error, so JSON on stdout stays clean).</summary>
    public static IComputeBackend OpenDevice(DeviceKind kind, int threads)
    {
        var backend = Backends.Create(kind, threads);
        var why = kind == DeviceKind.Auto && backend.Kind == DeviceKind.Cpu ? " (auto: ILGPU found no CUDA device)" : "";
        Console.Error.WriteLine($"device: {backend.Description}{why}");
        return backend;
    }
}
