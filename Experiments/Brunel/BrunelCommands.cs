using System.CommandLine;
using SpikeSim.Simulator.Engines;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Experiments.Brunel;

/// <summary>
/// Brunel's (2000) network: <c>simulate brunel</c>, <c>bench engines</c> (the two engines on Brunel and CUBA) and
/// <c>export --network brunel</c> (regime D).
/// </summary>
public sealed class BrunelCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Simulate, Brunel());
        tree.Add(CommandGroup.Bench, EngineBench.Create());
        tree.Add(new NetworkRecipe("brunel", "Brunel's (2000) network, regime D (--n neurons; default 12500)",
            request => (Build(Brunel2000.Parameters(Brunel2000.Regime.D), request.N is { } n ? n / (double)Brunel2000.FullSize : 1, request.Seed), request.DtMs ?? 0.1)));
    }

    private static Simulator.Networks.Network Build((double G, double Eta) regime, double scale, ulong seed) => Brunel2000.Build(regime.G, regime.Eta, scale, seed).Network;

    private static Command Brunel()
    {
        var regime = new ChoiceOption<Brunel2000.Regime>("--regime", "a, b, c or d (either case): sets g and eta as in the paper's figure 8", Brunel2000.Regime.D);
        var g = new Option<double?>("--g") { Description = "Relative strength of inhibition (default: the regime's; D: 4.5)" }.Within(0, 1000);
        var eta = new Option<double?>("--eta") { Description = "External rate in units of the threshold rate (default: the regime's; D: 0.9)" }.Within(0, 1000);
        var scale = new Option<double>("--n-scale") { Description = "Scale the network: population sizes and in-degrees times S (0.1 a tenth, 2 twice)", DefaultValueFactory = _ => 1.0 }.Within(0, 100, minExclusive: true);
        var run = new SimulationOptions();
        var command = new Command("brunel", "Brunel's (2000) sparse excitatory-inhibitory network with delta synapses") { regime.Option, g, eta, scale };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var (gValue, etaValue) = Brunel2000.Parameters(regime.From(parse));
            gValue = parse.GetValue(g) ?? gValue;
            etaValue = parse.GetValue(eta) ?? etaValue;
            var (network, _, _) = Brunel2000.Build(gValue, etaValue, parse.GetValue(scale), parse.GetValue(run.Seed));
            var transient = Math.Min(100, parse.GetValue(run.DurationMs) / 2);
            var result = run.Run(parse, network, "Brunel", $"Brunel, g = {gValue}, η = {etaValue}, N = {network.NeuronCount}", statisticsFromMs: transient);
            var cv = result.Isi.MeanCv();
            var synchrony = result.Rate.Cv(transient, result.DurationMs);
            Console.WriteLine($"ISI CV {cv:0.###}, population-rate CV (1 ms bins) {synchrony:0.###}, {result.SynapticEventsPerSecond / 1e6:0.##} M synaptic events/s");
            if (parse.GetValue(run.Json) is { } path)
                JsonFile.Write(path, new
                {
                    engine = OptionName.Of(result.Engine), n = result.Neurons, synapses = result.Synapses, spikes = result.SpikeCount,
                    mean_rate_hz = result.MeanRateHz, run_s = result.RunSeconds, synaptic_events_per_s = result.SynapticEventsPerSecond,
                    g = gValue, eta = etaValue, isi_cv = cv, rate_cv = synchrony, device = result.Device,
                });
            return 0;
        });
        return command;
    }
}
