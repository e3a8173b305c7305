using System.CommandLine;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
public static class CommonOptions
{
    public static Option<int> N(int fallback) => new Option<int>("--n") { Description = "Number of neurons", DefaultValueFactory = _ => fallback }.Within(1);

    public static Option<double> DurationMs() => new Option<double>("--duration-ms") { Description = "Simulated time in ms", DefaultValueFactory = _ => 1000.0 }.Within(0, 1e9, minExclusive: true);

    public static Option<ulong> Seed() => new("--seed") { Description = "Seed of the network and its random inputs", DefaultValueFactory = _ => 1UL };

    public static ChoiceOption<DeviceKind> Device() => new("--device",
        "auto (CUDA if ILGPU finds one, else the CPU), cpu, cuda, opencl, or ilgpu-cpu-emulator (ILGPU's GPU emulation on the CPU: a debugging aid, far slower than cpu)",
        DeviceKind.Auto);

    /// <summary><c>--threads K</c>: 0 (all cores) up to the cores present; more would only oversubscribe them.</summary>
    public static Option<int> Threads()
    {
        var option = new Option<int>("--threads") { Description = $"CPU threads, at most the {Environment.ProcessorCount} cores here (0: all cores)", DefaultValueFactory = _ => 0 };
        option.Validators.Add(result =>
        {
            if (!OptionChecks.TryValue(result, out int value)) return;
            if (value < 0 || value > Environment.ProcessorCount)
                result.AddError($"--threads {value}: this machine has {Environment.ProcessorCount} cores; give 1 to {Environment.ProcessorCount}, or 0 for all of them.");
        });
        return option;
    }

    public static Option<double> DtMs() => new Option<double>("--dt-ms") { Description = "Time step in ms (time-step engine)", DefaultValueFactory = _ => 0.1 }.Within(0, 1000, minExclusive: true);

    public static ChoiceOption<SpikeSim.Simulator.Engines.EngineKind> Engine() =>
        new("--engine", "step (every neuron every dt) or event (exact spike times)", SpikeSim.Simulator.Engines.EngineKind.Step);

    public static Option<string?> Raster() => OutputFile.Create("--raster", "Save a spike raster and population rate as PNG to FILE");

    public static Option<string?> Json() => OutputFile.Create("--json", "Write the results as JSON to FILE");

    /// <summary>Whether <paramref name="option"/> was given on the command line (not just its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Refuses, in one line, an option that was given but that <paramref name="reason"/> makes meaningless.</summary>
    public static void Refuse(ParseResult parse, Option option, string reason)
    {
        if (Given(parse, option)) throw new SpikeSim.Simulator.Errors.InvalidParameterException($"{option.Name} does not apply: {reason}.");
    }

    /// <summary>Opens the device and says which one was taken (on standard error, so JSON on stdout stays clean).</summary>
    public static IComputeBackend OpenDevice(DeviceKind kind, int threads)
    {
        var backend = Backends.Create(kind, threads);
        var why = kind == DeviceKind.Auto && backend.Kind == DeviceKind.Cpu ? " (auto: ILGPU found no CUDA device)" : "";
        Console.Error.WriteLine($"device: {backend.Description}{why}");
        return backend;
    }
}
