using System.CommandLine;
using System.Globalization;
using SpikeSim.Export.Recordings;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>--record WHAT …</c> and <c>-o FILE.h5</c>, the same on every command that runs a network. WHAT is
/// <c>spikes[:POP]</c>, <c>rate[:POP[:BIN_MS]]</c> or <c>VAR:POP[:NEURONS][@EVERY_MS]</c> (NEURONS: <c>0-9</c> or
/// <c>0,4,7</c>; default the first ten; EVERY_MS default one step), for example
/// <c>--record spikes v:exc:0-4@1 rate:inh -o run.h5</c>. See <see cref="RecordingFile"/> for the file's layout.
/// </summary>
public sealed class RecordOptions
{
    /// <summary>What to record.</summary>
    public Option<string[]> Record { get; } = new("--record")
    {
        Description = "What to keep, written to -o FILE.h5: spikes[:POP], rate[:POP[:BIN_MS]], VAR:POP[:NEURONS][@EVERY_MS] (e.g. v:exc:0-9@1)",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "WHAT",
        DefaultValueFactory = _ => [],
    };

    /// <summary>The HDF5 file.</summary>
    public Option<string?> Output { get; } = OutputFile.Create("-o", "The HDF5 file --record writes (temporary file, then rename)", "--output");

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Record);
        command.Add(Output);
    }

    /// <summary>
    /// The recordings asked for, checked against <paramref name="network"/>, with the file to write, or null where
    /// nothing is recorded. Refuses, before any work, a record without a file or a file without a record, and a
    /// file that exists (without <c>--force</c>) or whose folder does not.
    /// </summary>
    public (IReadOnlyList<Recording> Recordings, string Path)? From(ParseResult parse, Network network, double dtMs)
    {
        var what = parse.GetValue(Record) ?? [];
        var path = parse.GetValue(Output);
        if (what.Length == 0 && path is null) return null;
        if (what.Length == 0) throw new InvalidParameterException("-o writes recordings: name them with --record (for example --record spikes).");
        if (path is null) throw new InvalidParameterException("--record needs -o FILE.h5, the file to write.");
        return ([.. what.SelectMany(w => Parse(w, network, dtMs))], path);
    }

    /// <summary>
    /// Starts what --record asks for on <paramref name="simulation"/> (null where nothing is recorded); the caller runs the
    /// simulation and then calls <see cref="RecordingSession.Complete"/>.
    /// </summary>
    public RecordingSession? Start(ParseResult parse, ISimulationEngine simulation, double dtMs)
    {
        if (From(parse, simulation.Network, dtMs) is not { } request) return null;
        var file = new RecordingFile(request.Path, request.Recordings);
        simulation.Record(request.Recordings, file);
        return new RecordingSession(file, simulation, request.Path, dtMs);
    }

    /// <summary>The recordings one WHAT names.</summary>
    public static IEnumerable<Recording> Parse(string what, Network network, double dtMs)
    {
        var (spec, every) = what.Split('@') switch
        {
            [var s] => (s, (double?)null),
            [var s, var e] => (s, Number(e, what)),
            _ => throw Bad(what),
        };
        var parts = spec.Split(':');
        var populations = parts.Length > 1 ? [Find(network, parts[1], what)] : network.Populations.ToArray();
        switch (parts[0])
        {
            case "spikes" when parts.Length <= 2 && every is null:
                return populations.Select(p => (Recording)new SpikeRecording(p));
            case "rate" when parts.Length <= 3 && every is null:
                var bin = parts.Length == 3 ? Number(parts[2], what) : 1.0;
                return populations.Select(p => (Recording)new RateRecording(p, bin).Validated());
            case var variable when parts.Length is 2 or 3 && variable.Length > 0 && variable is not ("spikes" or "rate"):
                var population = populations[0];
                var neurons = parts.Length == 3 ? Neurons(parts[2], what) : [.. Enumerable.Range(0, Math.Min(10, population.Size))];
                var known = population.Model.StateVariables.FirstOrDefault(v => v.Name == variable)
                    ?? throw new InvalidParameterException($"--record {what}: '{population.Name}' ({population.Model.GetType().Name}) has no state variable '{variable}'; " +
                                                           $"it has {(population.Model.StateVariables.Count == 0 ? "none" : string.Join(", ", population.Model.StateVariables.Select(v => v.Name)))}.");
                var state = new StateRecording(population, known, neurons, every ?? dtMs);
                return [state.Validated()];
            default:
                throw Bad(what);
        }
    }

    private static Population Find(Network network, string name, string what)
        => network.Populations.FirstOrDefault(p => p.Name == name)
           ?? throw new InvalidParameterException($"--record {what}: the network has no population '{name}'; it has {string.Join(", ", network.Populations.Select(p => p.Name))}.");

    private static int[] Neurons(string text, string what)
    {
        try
        {
            return [.. text.Split(',').SelectMany(part => part.Split('-') switch
            {
                [var one] => [int.Parse(one, CultureInfo.InvariantCulture)],
                [var from, var to] when int.Parse(from, CultureInfo.InvariantCulture) <= int.Parse(to, CultureInfo.InvariantCulture)
                    => Enumerable.Range(int.Parse(from, CultureInfo.InvariantCulture), int.Parse(to, CultureInfo.InvariantCulture) - int.Parse(from, CultureInfo.InvariantCulture) + 1),
                _ => throw new FormatException(),
            })];
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidParameterException($"--record {what}: '{text}' is not a list of neurons such as 0-9 or 0,4,7.");
        }
    }

    private static double Number(string text, string what)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value : throw new InvalidParameterException($"--record {what}: '{text}' is not a positive time in ms.");

    private static InvalidParameterException Bad(string what) => new(
        $"--record {what}: expected spikes[:POP], rate[:POP[:BIN_MS]] or VAR:POP[:NEURONS][@EVERY_MS] (for example v:exc:0-9@1).");
}

/// <summary>A recording under way: <see cref="Complete"/> writes the file after the run, <see cref="Dispose"/> drops it otherwise.</summary>
public sealed class RecordingSession(RecordingFile file, ISimulationEngine simulation, string path, double dtMs) : IDisposable
{
    /// <summary>Writes the HDF5 file for the run so far and says so.</summary>
    public void Complete(ulong seed)
    {
        file.Complete(new RunDescription(Learning.Training.OptionName.Of(simulation.Kind), simulation.Description,
            simulation.Kind == EngineKind.Step ? dtMs : 0, simulation.TimeMs, seed));
        Console.WriteLine($"recorded: {path}");
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();
}
