using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Training;

/// <summary>
/// What the epoch loop needs from a trainer, so that the SNN (<see cref="Trainer"/>) and the ANN path
/// (TorchSharp) run through the same loop, data and metrics.
/// </summary>
public interface IEpochTrainer : IDisposable
{
    /// <summary>One pass over <paramref name="train"/> in the order of epoch <paramref name="epoch"/>; returns (loss, accuracy).</summary>
    (double Loss, double Accuracy) TrainEpoch(Dataset train, int epoch, IProgress<BatchProgress>? progress = null);

    /// <summary>Loss and accuracy on <paramref name="data"/>, without training.</summary>
    Evaluation Evaluate(Dataset data);
}

/// <summary>The epoch loop shared by every trainer: train, evaluate on test (and validation), report.</summary>
public static class EpochLoop
{
    /// <summary>Runs epochs <paramref name="first"/> … <paramref name="epochs"/> − 1, calling <paramref name="afterEpoch"/> (checkpoints) and <paramref name="onEpoch"/> after each.</summary>
    public static List<EpochMetrics> Run(IEpochTrainer trainer, TaskData data, int first, int epochs,
        Action<EpochMetrics>? onEpoch, IProgress<BatchProgress>? progress, Action<EpochMetrics>? afterEpoch = null)
    {
        var history = new List<EpochMetrics>();
        for (var epoch = first; epoch < epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (trainLoss, trainAccuracy) = trainer.TrainEpoch(data.Train, epoch, progress);
            var seconds = clock.Elapsed.TotalSeconds;
            var test = trainer.Evaluate(data.Test);
            double? validation = data.Validation is null ? null : trainer.Evaluate(data.Validation).Accuracy;
            var metrics = new EpochMetrics(epoch + 1, trainLoss, trainAccuracy, test.Loss, test.Accuracy, validation,
                seconds, data.Train.Count / seconds, test.HiddenRate);
            history.Add(metrics);
            afterEpoch?.Invoke(metrics);
            onEpoch?.Invoke(metrics);
        }
        return history;
    }
}
