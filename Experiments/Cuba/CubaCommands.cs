using System.CommandLine;
using SpikeSim.Simulator.Engines;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Training;

namespace SpikeSim.Experiments.Cuba;

/// <summary>
/// The Vogels–Abbott CUBA benchmark's commands: <c>simulate cuba</c>, <c>bench cuba</c> (against Brian2),
/// <c>bench stdp</c> (the cost of plasticity on CUBA's synapses), and <c>export --network cuba</c>.
/// </summary>
public sealed class CubaCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Simulate, Simulate());
        tree.Add(CommandGroup.Bench, CubaBench.Create());
        tree.Add(CommandGroup.Bench, StdpBench.Create());
        tree.Add(new NetworkRecipe("cuba", "Vogels and Abbott's CUBA benchmark (--n neurons)",
            request => (VogelsAbbottCuba.Build(request.N ?? 4000, request.Seed).Network, request.DtMs ?? VogelsAbbottCuba.DtMs)));
    }

    private static Command Simulate()
    {
        var n = CommonOptions.N(4000);
        var run = new SimulationOptions();
        var command = new Command("cuba", "The Vogels–Abbott CUBA benchmark network (Brette et al. 2007, benchmark 2)") { n };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var seed = parse.GetValue(run.Seed);
            var (network, _) = VogelsAbbottCuba.Build(parse.GetValue(n), seed);
            var result = run.Run(parse, network, "CUBA", $"CUBA, N = {parse.GetValue(n)}, seed {seed}");
            if (parse.GetValue(run.Json) is { } path)
                JsonFile.Write(path, new
                {
                    engine = OptionName.Of(result.Engine), n = result.Neurons, synapses = result.Synapses, spikes = result.SpikeCount,
                    mean_rate_hz = result.MeanRateHz, run_s = result.RunSeconds, device = result.Device,
                    synaptic_events_per_s = result.SynapticEventsPerSecond,
                });
            return 0;
        });
        return command;
    }
}
