using System.Text.Json.Serialization;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;

namespace SpikeSim.Learning.Training;

/// <summary>How the learning rate changes over epochs.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same rate every epoch.</summary>
    Constant,

    /// <summary>Cosine annealing from the rate to zero over the run: lr·(1 + cos(π·e/E))/2 in epoch e of E.</summary>
    Cosine,
}

/// <summary>
/// Settings of a training run (everything but the model and the data). The choices are written to checkpoints by
/// their <see cref="OptionName"/> (ce-max, spike-times, adam), as the command line spells them.
/// </summary>
/// <param name="Steps">Time steps per sample, T.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="Batch">Samples per step of the optimiser.</param>
/// <param name="Seed">Seeds the weights, the batch order and stochastic encoders.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Encoder">How samples become input over time.</param>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="Settings">Optimiser hyper-parameters.</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="ClipNorm">Gradient-norm clipping threshold; 0 turns clipping off.</param>
/// <param name="Grapes">GRAPES modulation of the gradients, or null for plain BPTT.</param>
public sealed record TrainingOptions(
    int Steps,
    int Epochs,
    int Batch,
    int Seed,
    [property: JsonConverter(typeof(OptionNameConverter<LossKind>))] LossKind Loss,
    [property: JsonConverter(typeof(OptionNameConverter<EncoderKind>))] EncoderKind Encoder,
    [property: JsonConverter(typeof(OptionNameConverter<OptimizerKind>))] OptimizerKind Optimizer,
    OptimizerSettings Settings,
    LearningRateSchedule Schedule = LearningRateSchedule.Cosine,
    double ClipNorm = 0,
    Grapes.GrapesOptions? Grapes = null)
{
    /// <summary>Refuses options no run can use, naming the value: counts below 1, a learning rate or decay that is not finite, a member of no enum.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new Simulator.Errors.InvalidParameterException(message);
        }
        Check(Steps is >= 1 and <= 100_000 && Epochs >= 1 && Batch >= 1, $"Steps must be 1–100000 and epochs and batch at least 1 (got {Steps}, {Epochs}, {Batch}).");
        Check(Enum.IsDefined(Loss) && Enum.IsDefined(Encoder) && Enum.IsDefined(Optimizer) && Enum.IsDefined(Schedule),
            $"Unknown loss, encoder, optimiser or schedule ({(int)Loss}, {(int)Encoder}, {(int)Optimizer}, {(int)Schedule}).");
        Check(Settings is { LearningRate: > 0 } && float.IsFinite(Settings.LearningRate) && Settings.WeightDecay >= 0 && float.IsFinite(Settings.WeightDecay),
            $"The learning rate must be positive and the weight decay not negative, both finite (got {Settings?.LearningRate}, {Settings?.WeightDecay}).");
        Check(ClipNorm >= 0 && double.IsFinite(ClipNorm), $"The gradient clip must be finite and not negative (got {ClipNorm}).");
    }

    /// <summary>The learning rate in epoch <paramref name="epoch"/> (0-based).</summary>
    public float LearningRateAt(int epoch) => Schedule == LearningRateSchedule.Constant
        ? Settings.LearningRate
        : (float)(Settings.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)));
}

/// <summary>Metrics of one epoch.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double? ValidationAccuracy, double Seconds, double SamplesPerSecond, double HiddenRate);
