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
    /// <summary>The learning rate in epoch <paramref name="epoch"/> (0-based).</summary>
    public float LearningRateAt(int epoch) => Schedule == LearningRateSchedule.Constant
        ? Settings.LearningRate
        : (float)(Settings.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)));
}

/// <summary>Metrics of one epoch.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double? ValidationAccuracy, double Seconds, double SamplesPerSecond, double HiddenRate);
