using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Learning.Training;

namespace SpikeSim.Experiments.Microcircuit;

/// <summary>
/// Potjans and Diesmann's (2014) cortical microcircuit: <c>simulate microcircuit</c> and <c>bench microcircuit</c> (against
/// a Brian2 C++ standalone script of the same model).
/// </summary>
public sealed class MicrocircuitCommands : ICommandSource
{
    /// <summary>Rates and ISI CVs are taken after this transient, as the issue and NEST's example do.</summary>
    public const double TransientMs = 100;

    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Simulate, Simulate());
        tree.Add(CommandGroup.Bench, MicrocircuitBench.Create());
    }

    /// <summary>--scale, --k-scale and --input, defined once for both commands.</summary>
    internal sealed class ModelOptions
    {
        public Option<double> Scale { get; } = new Option<double>("--scale") { Description = "Scale the population sizes (1: the full 77,169 neurons)", DefaultValueFactory = _ => 1.0 }.Within(0, 1, minExclusive: true);
        public Option<double> KScale { get; } = new Option<double>("--k-scale") { Description = "Scale the in-degrees; weights ÷ √K and a DC current compensate (van Albada et al. 2015)", DefaultValueFactory = _ => 1.0 }.Within(0, 1, minExclusive: true);
        public ChoiceOption<BackgroundInput> Input { get; } = new("--input", "poisson (8 Hz × K_ext trains into every neuron) or dc (a constant current of the same mean)", BackgroundInput.Poisson);

        public void AddTo(Command command)
        {
            command.Add(Scale);
            command.Add(KScale);
            command.Add(Input.Option);
        }

        public PotjansDiesmann2014.Parameters From(ParseResult parse, double? scale = null)
            => PotjansDiesmann2014.Derive(scale ?? parse.GetValue(Scale), parse.GetValue(KScale), Input.From(parse));
    }

    private static Command Simulate()
    {
        var model = new ModelOptions();
        var run = new SimulationOptions();
        var command = new Command("microcircuit", "Potjans and Diesmann's (2014) cortical microcircuit, as NEST's PyNEST example defines it");
        model.AddTo(command);
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var parameters = model.From(parse);
            var seed = parse.GetValue(run.Seed);
            var clock = Stopwatch.StartNew();
            var built = PotjansDiesmann2014.Build(parameters, seed, parse.GetValue(run.DtMs));
            var describe = clock.Elapsed.TotalSeconds;
            var transient = Math.Min(TransientMs, parse.GetValue(run.DurationMs) / 2);
            var result = run.Run(parse, built.Network, "microcircuit",
                $"Potjans–Diesmann microcircuit, scale {parameters.Scale}, {parameters.TotalNeurons} neurons", transient);
            var report = MicrocircuitReport.Of(parameters, result, transient, describe);
            report.Print();
            if (parse.GetValue(run.Json) is { } path) JsonFile.Write(path, report.Json(OptionName.Of(result.Engine), seed));
            return 0;
        });
        return command;
    }
}
