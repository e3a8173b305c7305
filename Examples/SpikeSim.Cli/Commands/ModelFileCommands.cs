using System.CommandLine;
using SpikeSim.Simulator.Engines;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Quantisation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim export</c>, <c>spikesim inspect</c> and <c>spikesim simulate model</c>: the SpikeSim model file.</summary>
internal static class ModelFileCommands
{
    /// <param name="recipes">The networks the experiments register, by name.</param>
    public static Command Export(IReadOnlyList<NetworkRecipe> recipes)
    {
        var network = new Option<string?>("--network")
        {
            Description = "A built-in network to export: " + string.Join("; ", recipes.Select(r => $"{r.Name} ({r.Description})")),
            HelpName = string.Join('|', recipes.Select(r => r.Name)),
        };
        network.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && recipes.All(r => r.Name != name))
                result.AddError($"Unknown --network '{name}'; choose {OptionName.Choices(recipes.Select(r => r.Name).ToArray())}.");
        });
        var model = new Option<string?>("--model") { Description = "A training checkpoint (spikesim train --checkpoint) or a model file to write again" };
        var format = new ChoiceOption<ExportFormat>("--format", "File format", ExportFormat.SpikeSim);
        var nirFor = NirDialectOption.Create("--nir-for",
            "With --format nir: the importer the file is written for, whose discretisation gives back the trained network (docs/nir.md) [default: generic]");
        var target = new ChoiceOption<QuantisationTarget>("--target", "Quantise a trained checkpoint for this hardware, and report what it costs");
        var data = new Option<string?>("--data") { Description = "MNIST: the IDX folder the checkpoint was trained on, for the quantisation report" };
        var json = CommonOptions.Json();
        var output = OutputFile.Create("-o", "The file to write", "--output");
        output.Required = true;
        var n = new Option<int?>("--n") { Description = "Number of neurons, for a --network that takes a size (default: the network's own)" }.Within(1);
        var seed = CommonOptions.Seed();
        var dt = new Option<double?>("--dt-ms") { Description = "Time step in ms (default: the one the network is built for)" }.Within(0, 1000, minExclusive: true);
        var command = new Command("export", "Write a network, or a trained classifier (optionally quantised), as a SpikeSim model file")
        {
            network, model, format.Option, nirFor, output, n, seed, dt, target.Option, data, json,
        };
        command.SetAction(parse =>
        {
            var nir = format.From(parse) == ExportFormat.Nir;
            if (!nir) CommonOptions.Refuse(parse, nirFor, "it chooses the importer of a NIR file; add --format nir");
            var dialect = NirDialectOption.From(parse, nirFor) ?? NirDialect.Generic;
            if (parse.GetValue(network) is not null && parse.GetValue(model) is not null)
                throw new InvalidParameterException("Give --network or --model, not both.");
            if (parse.GetValue(model) is { } evolved && Learning.Evolution.EvolutionCheckpoint.IsCheckpoint(evolved))
                throw new InvalidParameterException($"{evolved} is an evolution checkpoint (meta maze, meta neuromodulation): write its agent with the command that made it, --checkpoint {evolved} --resume --export FILE.");
            if (parse.GetValue(model) is { } modelPath && TrainedExport.IsCheckpoint(modelPath))
                return TrainedExport.Run(modelPath, parse.GetValue(output)!, target.Given(parse), parse.GetValue(data), parse.GetValue(json), nir ? dialect : null);
            if (target.Given(parse) is not null) throw new InvalidParameterException("--target quantises a trained classifier: pass a training checkpoint with --model.");
            if (parse.GetValue(model) is { } trainedPath && TrainedExport.IsTrainedModelFile(trainedPath))
                return TrainedExport.Rewrite(trainedPath, parse.GetValue(output)!, nir ? dialect : null);
            // A NIR file is read once: a classifier is written again as such, a simulation network below.
            var nirGraph = parse.GetValue(model) is { } nirPath && TrainedExport.IsHdf5(nirPath) ? NirFile.Read(nirPath) : null;
            if (nirGraph is not null && nirGraph.Nodes.Any(node => node.Node.Type == "Input"))
                return TrainedExport.FromNir(parse.GetValue(model)!, nirGraph, parse.GetValue(output)!, nir ? dialect : null);
            if (dialect != NirDialect.Generic)
                throw new InvalidParameterException($"--nir-for {dialect.Name} writes trained classifiers; a simulation network is written in the generic convention (docs/nir.md), so leave --nir-for out.");
            var builtin = parse.GetValue(network);
            ModelFile? source = null;
            Network net;
            double dtMs;
            if (parse.GetValue(model) is { } path)
            {
                if (nirGraph is not null)
                {
                    (net, dtMs) = SimulationNir.ToNetwork(nirGraph);
                }
                else
                {
                    source = ModelFileCodec.Decode(Simulator.Files.InputFile.ReadAllBytes(path, "model file"));
                    (net, dtMs) = NetworkImporter.FromModelFile(source);
                }
            }
            else
            {
                (net, dtMs) = recipes.Single(r => r.Name == (builtin ?? throw new InvalidParameterException("Name a --network or a --model to export.")))
                    .Build(new NetworkRequest(parse.GetValue(n), parse.GetValue(seed), parse.GetValue(dt)));
            }
            if (nir)
            {
                var (graph, warnings) = SimulationNir.FromNetwork(net, dtMs);
                foreach (var w in warnings) Console.Error.WriteLine($"warning: {w}");
                NirFile.Write(graph, parse.GetValue(output)!);
            }
            else if (source is not null)
            {
                // A model file written again keeps its node names and metadata; only the header (producer, time, checksum) is new.
                source.Header = ModelFileCodec.NewHeader();
                NetworkExporter.Write(source, parse.GetValue(output)!);
            }
            else
            {
                NetworkExporter.Write(NetworkExporter.ToModelFile(net, dtMs, new Dictionary<string, string> { ["source"] = builtin ?? parse.GetValue(model)! }),
                    parse.GetValue(output)!);
            }
            Console.WriteLine($"wrote {parse.GetValue(output)}: {net.Populations.Count} populations, {net.NeuronCount} neurons, {net.SynapseCount} synapses, dt {dtMs} ms");
            return 0;
        });
        return command;
    }

    /// <param name="inspectors">Inspectors of the model-file kinds the experiments register, asked before the library's own.</param>
    public static Command Inspect(IReadOnlyList<ModelFileInspector> inspectors)
    {
        var file = new Argument<string>("file") { Description = "A SpikeSim model file or a NIR file" };
        var nirFrom = NirDialectOption.Create("--nir-from", "A NIR classifier written by another framework: read it with that framework's semantics (docs/nir.md)");
        var command = new Command("inspect", "Summarise a model file or a NIR file and say whether it is valid") { file, nirFrom };
        command.SetAction(parse =>
        {
            var parsed = TrainedExport.TryParse(parse.GetValue(file)!);
            if (parsed?.Trained is not null) return TrainedExport.Inspect(parse.GetValue(file)!, parsed);
            if (parsed is not null && inspectors.Any(inspect => inspect(parse.GetValue(file)!, parsed))) return 0;
            if (TrainedExport.IsHdf5(parse.GetValue(file)!)) return TrainedExport.InspectNir(parse.GetValue(file)!, NirDialectOption.From(parse, nirFrom));
            CommonOptions.Refuse(parse, nirFrom, "the file is not a NIR file");
            var (network, dt) = parsed is null ? NetworkImporter.Read(parse.GetValue(file)!) : NetworkImporter.FromModelFile(parsed);
            Console.WriteLine($"{parse.GetValue(file)}: valid SpikeSim model file, format {parsed!.Header.Major}.{parsed.Header.Minor}, dt {dt} ms");
            foreach (var p in network.Populations) Console.WriteLine($"  population {p.Name}: {p.Size} × {p.Model.GetType().Name}");
            foreach (var p in network.Projections)
                Console.WriteLine($"  projection {p.Source.Name} → {p.Target.Name} (channel {p.Channel}): {p.Connectivity.SynapseCount} synapses, " +
                                  $"{p.Connectivity.GetType().Name.Replace("Connectivity", "").ToLowerInvariant()}" + (p.Plasticity is null ? "" : $", learns by {p.Plasticity.GetType().Name}"));
            Console.WriteLine($"  inputs: {network.Currents.Count} current, {network.PoissonInputs.Count} Poisson, {network.NoiseCurrents.Count} noise");
            return 0;
        });
        return command;
    }
}
