using SpikeSim.Learning.Data;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Neuromodulation;
using SpikeSim.Learning.Training;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The evolvable learning-rate controller and the training it drives.</summary>
public sealed class NeuromodulationTests
{
    [Fact]
    public void The_controller_keeps_rates_and_momenta_in_their_ranges()
    {
        var rng = new Random(2);
        for (var trial = 0; trial < 50; trial++)
        {
            var genome = Enumerable.Range(0, LearningRateController.GenomeLength).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
            var (lr, momentum) = new LearningRateController(genome).Decide(rng.NextDouble(), rng.NextDouble(), 0.01, 0.5, 1e-3, 0.05);
            Assert.InRange(lr, Math.Pow(10, -3.5), Math.Pow(10, -0.5));
            Assert.InRange(momentum, 0, 0.99);
        }
        Assert.Throws<ArgumentException>(() => new LearningRateController(new double[3]));
    }

    [Fact]
    public void A_zero_genome_is_sgd_at_a_hundredth_with_momentum_0_495()
    {
        var data = new TaskData(YinYang.Generate(300, 42), null, YinYang.Generate(200, 40));
        var spec = new AnnModelSpec(4, [16], 3);
        var controlled = ControlledTraining.Run(spec, data, 2, 20, 3, new LearningRateController(new double[LearningRateController.GenomeLength]), 0, 0);
        var fixedRate = ControlledTraining.Run(spec, data, 2, 20, 3, null, 0.01, 0.99 / 2);
        Assert.Equal(fixedRate, controlled);
        Assert.Equal(fixedRate, ControlledTraining.Run(spec, data, 2, 20, 3, null, 0.01, 0.99 / 2));
    }
}
