using SpikeSim.Cluster;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Neuromodulation;
using SpikeSim.Learning.Training;

namespace SpikeSim.Experiments.Neuromodulation;

/// <summary>
/// The fitness of an evolved learning-rate controller — the mean validation accuracy of the small Yin-Yang MLP trained
/// under it with seeds 1 and 2 — as a cluster job, so that <c>meta neuromodulation --cluster …</c> evaluates candidates on
/// workers exactly as on the command's own threads.
/// </summary>
internal sealed class ControllerFitnessJob : FitnessJob<ControllerFitnessJob.Settings>
{
    /// <summary>The training budget of one evaluation.</summary>
    public sealed record Settings(int Epochs);

    /// <summary>The network the controller is evolved on.</summary>
    public static readonly AnnModelSpec Small = new(4, [64, 64], 3);

    /// <inheritdoc />
    public override string Name => "controller-fitness";

    /// <inheritdoc />
    public override Func<double[], ulong, double> Fitness(Settings settings)
    {
        var (train, validation, _) = Learning.Data.YinYang.Standard();
        var yinYang = new TaskData(train, null, validation);
        // One libtorch thread per evaluation, set on the thread that runs it (OpenMP's setting is per thread): candidates
        // are the parallelism, here and on every worker slot.
        return (genome, _) =>
        {
            TorchThreads.Use(1);
            return (ControlledTraining.Run(Small, yinYang, settings.Epochs, 32, 1, new LearningRateController(genome), 0, 0)
                    + ControlledTraining.Run(Small, yinYang, settings.Epochs, 32, 2, new LearningRateController(genome), 0, 0)) / 2;
        };
    }
}
