using System.CommandLine;
using SpikeSim.Cli.Commands;
using System.Diagnostics;
using ScottPlot;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Plasticity;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;
using SpikeSim.Learning.Training;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary><c>spikesim meta backpropamine</c>: differentiable neuromodulated plasticity on the cue–reward task.</summary>
public sealed class BackpropamineCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Meta, Create());
        tree.Add(new CueRewardRunJob());
        tree.Add((path, file) => file.TrainedAgent is not null && BackpropamineAgentExport.Inspect(path, file) == 0);
    }

    private static Command Create()
    {
        var path = new ChoiceOption<NetworkFamily>("--path", "ann (TorchSharp RNN) or snn (recurrent LIF on the compute core)", NetworkFamily.Ann);
        var variant = new ChoiceOption<BackpropamineVariant>("--variant", "The rule (retroactive: ann only)", BackpropamineVariant.Modulated);
        var cues = new Option<int>("--cues") { Description = "Number of cues (2 is the easiest; the paper's figure uses 4)", DefaultValueFactory = _ => 2 }.Within(2, 64).Check(c => c % 2 == 0, "an even number (a trial shows half the cues)");
        var episodes = new Option<int>("--episodes") { Description = "Training episodes", DefaultValueFactory = _ => 2000 }.Within(1, 10_000_000);
        var hidden = new Option<int>("--hidden") { Description = "Recurrent neurons (the paper: 200)", DefaultValueFactory = _ => 200 }.Within(1, 100_000);
        var lr = new Option<float>("--lr") { Description = "Adam learning rate (the paper: 1e-4)", DefaultValueFactory = _ => 1e-4f }.Within(0, 100, minExclusive: true);
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds") { Description = "With --compare: seeds per variant", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var compare = new Option<bool>("--compare") { Description = "Run all variants (or --variants) over --seeds seeds; plot median and quartiles" };
        var variants = ChoiceOption<BackpropamineVariant>.List("--variants", "With --compare: a comma-separated subset, e.g. none,modulated,retroactive");
        var json = CommonOptions.Json();
        var plot = OutputFile.Create("--plot", "Save reward curves as PNG to FILE");
        var threads = CommonOptions.Threads();
        var cluster = new ClusterOption(new CueRewardRunJob());
        var parallel = new Option<int>("--parallel") { Description = "Runs trained at once (each on one thread)", DefaultValueFactory = _ => 1 }.Within(1, 1024);
        var tauMem = new Option<float>("--tau-mem") { Description = "snn: membrane time constant in steps", DefaultValueFactory = _ => new SpikingPlasticSettings().MembraneTauSteps }.Within(0, 1e6, minExclusive: true);
        var inputGain = new Option<float>("--input-gain") { Description = "snn: gain of the initial input weights", DefaultValueFactory = _ => new SpikingPlasticSettings().InputGain }.Within(0, 1e6, minExclusive: true);
        var alphaScale = new Option<float>("--alpha-init") { Description = "snn: α starts at this × U[0, 1)", DefaultValueFactory = _ => new SpikingPlasticSettings().AlphaScale }.Within(0, 1e6);
        var traceStep = new Option<TraceStep>("--trace-step") { Description = "snn: what a spike adds to its trace: Rate (1 − λ) or Count (1)", DefaultValueFactory = _ => TraceStep.Rate };
        var export = OutputFile.Create("--export", "snn, one run: write the trained network, its rule included, as a SpikeSim model file");
        var checkpoint = new CheckpointOptions("run", "--seeds");
        var tauTrace = new Option<float>("--tau-trace") { Description = "snn: spike-trace time constant in steps", DefaultValueFactory = _ => new SpikingPlasticSettings().TraceTauSteps }.Within(0, 1e6, minExclusive: true);
        var command = new Command("backpropamine", "Backpropamine (Miconi et al. 2019) on the cue-reward task, trained by A2C")
        {
            path.Option, variant.Option, cues, episodes, hidden, lr, seed, seeds, compare, variants, json, plot, parallel, threads, tauMem, tauTrace, inputGain, alphaScale, traceStep, export,
        };
        checkpoint.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            var (checkpointPath, resume) = checkpoint.From(parse);
            var spiking = path.From(parse) == NetworkFamily.Snn;
            var (n, c) = (parse.GetValue(episodes), parse.GetValue(cues));
            if (n < 1 || c < 2 || parse.GetValue(hidden) < 1) throw new InvalidParameterException("--episodes must be at least 1, --cues at least 2, --hidden at least 1.");
            var settings = new A2CSettings(Hidden: parse.GetValue(hidden), LearningRate: parse.GetValue(lr));
            var neurons = new SpikingPlasticSettings(MembraneTauSteps: parse.GetValue(tauMem), TraceTauSteps: parse.GetValue(tauTrace), InputGain: parse.GetValue(inputGain), AlphaScale: parse.GetValue(alphaScale), TraceStep: parse.GetValue(traceStep));
            if (neurons.MembraneTauSteps <= 0 || neurons.TraceTauSteps <= 0) throw new InvalidParameterException("--tau-mem and --tau-trace must be positive.");
            var all = spiking ? BackpropamineVariants.OnSpikingPath : Enum.GetValues<BackpropamineVariant>();
            var named = parse.GetValue(variants) ?? [];
            if (named.Length > 0 && !parse.GetValue(compare)) throw new InvalidParameterException("--variants goes with --compare; for one run use --variant.");
            var exportPath = parse.GetValue(export);
            if (exportPath is not null && checkpointPath is not null)
                throw new InvalidParameterException("--export writes the network of one run as it ends; use it without --checkpoint.");
            if (exportPath is not null && (!spiking || parse.GetValue(compare)))
                throw new InvalidParameterException("--export writes one spiking network: use it with --path snn and without --compare.");
            List<BackpropamineVariant> chosen = !parse.GetValue(compare) ? [variant.From(parse)] : named.Length == 0 ? [.. all] : [.. named.Distinct()];
            var seedList = parse.GetValue(compare) ? Enumerable.Range(1, parse.GetValue(seeds)).ToArray() : [parse.GetValue(seed)];
            if (CommonOptions.Given(parse, cluster.Option) && !parse.GetValue(compare))
                throw new InvalidParameterException("--cluster spreads the runs of --compare over workers; one run is one thread.");
            var setup = new CueRewardSetup(spiking, c, n, settings, neurons);
            Console.WriteLine($"backpropamine: {(spiking ? "spiking (LIF, compute core)" : "ANN (TorchSharp)")}, cue-reward task, {c} cues, hidden {settings.Hidden}, " +
                              $"batch {settings.Batch}, Adam lr {settings.LearningRate:g}, {n} episodes × {chosen.Count} variant(s) × {seedList.Length} seed(s)" +
                              (spiking ? $", τ_mem {neurons.MembraneTauSteps:g} and τ_trace {neurons.TraceTauSteps:g} steps, input gain {neurons.InputGain:g}, α init {neurons.AlphaScale:g}·U[0, 1), trace step {neurons.TraceStep}" : ""));
            // More seeds than a checkpoint's run had extend it; every other setting must match.
            var ledger = RunLedger<CueRewardRun>.Open(checkpointPath, resume, new
            {
                path = OptionName.Of(path.From(parse)), cues = c, episodes = n, settings, neurons = spiking ? neurons : null,
            });
            if (ledger.Count > 0) Console.WriteLine($"  {ledger.Count} finished runs taken from {checkpointPath}");
            var curves = new List<CueRewardRun>();
            var runs = chosen.SelectMany(v => seedList.Select(s => (v, s))).ToList();
            var workers = Math.Max(1, parse.GetValue(parallel));
            // Each run gets its share of the cores: libtorch's pools (ann) or one host thread (snn).
            var torchThreads = Math.Max(1, (parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount) / workers);
            if (!spiking) TorchThreads.Use(torchThreads);
            void Finished(CueRewardRun run)
            {
                ledger.Add($"{OptionName.Of(run.Variant)}/{run.Seed}", run);
                lock (curves) curves.Add(run);
            }
            foreach (var (name, s) in runs)
                if (ledger.TryGet($"{OptionName.Of(name)}/{s}", out var done)) curves.Add(done);
            var missing = runs.Where(r => !ledger.TryGet($"{OptionName.Of(r.v)}/{r.s}", out _)).ToList();
            using var session = cluster.Start(parse, parse.GetValue(threads));
            if (session is not null)
            {
                CueRewardRunJob.RunOn(session, setup, missing, run =>
                {
                    Console.WriteLine($"  {OptionName.Of(run.Variant),-11} seed {run.Seed}: done on a worker, {run.Seconds:0} s");
                    Finished(run);
                });
                Console.WriteLine($"  workers: {session.LastRound}");
            }
            else
                Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = workers }, run => Finished(setup.Train(run.v, run.s, line => Console.WriteLine($"  {line}"), (trainer, reward) =>
                {
                    if (exportPath is not null && trainer is SpikingA2CTrainer trained)
                        BackpropamineAgentExport.Write(exportPath, trained.Network, trained.Task, new TrainedAgent
                        {
                            Episodes = (uint)n, Batch = (uint)settings.Batch, LearningRate = settings.LearningRate, Seed = (uint)run.s,
                            FinalReward = reward[^Math.Max(1, n / 10)..].Average(),
                        });
                })));
            curves = curves.OrderBy(x => chosen.IndexOf(x.Variant)).ThenBy(x => x.Seed).ToList();
            var window = Math.Max(1, n / 10);
            Console.WriteLine();
            foreach (var g in curves.GroupBy(x => x.Variant))
            {
                var finals = g.Select(x => x.Reward[^window..].Average()).Order().ToArray();
                var max = g.Average(x => x.Trials);
                Console.WriteLine($"{OptionName.Of(g.Key),-11}: reward per episode over the last {window} episodes, median {finals[finals.Length / 2]:0.00} " +
                                  $"(seeds: {string.Join(", ", finals.Select(f => f.ToString("0.00")))}); at most about {max:0} per episode; " +
                                  $"{g.Average(x => x.Seconds):0} s per run");
            }
            if (parse.GetValue(json) is { } file)
                JsonFile.Write(file, new
                {
                    path = spiking ? "snn" : "ann", cues = c, episodes = n, hidden = settings.Hidden, batch = settings.Batch, lr = settings.LearningRate,
                    runs = curves.Select(x => new { variant = OptionName.Of(x.Variant), seed = x.Seed, reward = x.Reward, max_reward = x.Trials, seconds = x.Seconds }),
                });
            if (parse.GetValue(plot) is { } png) Plot(png, curves.Select(x => (OptionName.Of(x.Variant), x.Reward)).ToList(), c, spiking ? "spiking LIF" : "ANN");
            return 0;
        });
        return command;
    }

    // Median and quartiles across seeds of the reward smoothed over a window, per variant (as the paper's figure 1).
    private static void Plot(string path, List<(string Variant, double[] Reward)> curves, int cues, string network)
    {
        var plot = new Plot();
        foreach (var g in curves.GroupBy(x => x.Variant))
        {
            var smoothed = g.Select(x => Smooth(x.Reward, Math.Max(1, x.Reward.Length / 50))).ToArray();
            var n = smoothed[0].Length;
            var xs = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
            double Quantile(int i, double q) { var v = smoothed.Select(s => s[i]).Order().ToArray(); return v[(int)Math.Round(q * (v.Length - 1))]; }
            var median = plot.Add.Scatter(xs, Enumerable.Range(0, n).Select(i => Quantile(i, 0.5)).ToArray());
            median.LegendText = g.Key;
            median.MarkerSize = 0;
            if (smoothed.Length > 1)
            {
                var band = plot.Add.FillY(xs, Enumerable.Range(0, n).Select(i => Quantile(i, 0.25)).ToArray(), Enumerable.Range(0, n).Select(i => Quantile(i, 0.75)).ToArray());
                band.FillColor = median.Color.WithAlpha(0.2);
            }
        }
        plot.Title($"Cue-reward task, {cues} cues, {network}: reward per episode (median and quartiles over seeds)");
        plot.XLabel("episode");
        plot.YLabel("reward per episode");
        plot.ShowLegend(Alignment.UpperLeft);
        AtomicFile.Write(path, temporary => plot.SavePng(temporary, 1000, 500));
    }

    private static double[] Smooth(double[] values, int window)
        => Enumerable.Range(0, values.Length).Select(i => values.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average()).ToArray();
}

/// <summary>One finished run of <c>meta backpropamine</c>: its variant, seed, mean reward per episode, the most reward an episode could hold, and its wall time.</summary>
public sealed record CueRewardRun(BackpropamineVariant Variant, int Seed, double[] Reward, double Trials, double Seconds);
