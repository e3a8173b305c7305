using SpikeSim.Simulator.Engines;
using SpikeSim.Experiments.DistalReward;
using SpikeSim.Experiments.PatternAssociation;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Experiments.PatternAssociation.Tests;

/// <summary>Reward-modulated STDP associates two patterns with their outputs, and without learning it does not.</summary>
public sealed class PatternAssociationTests
{
    private static double Accuracy(ulong seed, double learningRate)
    {
        var setup = PatternAssociation.Build(2, 400, seed, learningRate);
        using var simulation = new TimeStepSimulation(setup.Network, Probe.Host.Value, new TimeStepOptions(PatternAssociation.DtMs, Seed: seed));
        var trainer = simulation.Observe(new PatternAssociation.Trainer(setup, simulation));
        simulation.RunSteps((int)(400 * PatternAssociation.TrialMs / PatternAssociation.DtMs));
        return trainer.Accuracy(100);
    }

    [Fact]
    public void Learning_reaches_ninety_percent_where_the_untrained_network_is_at_chance()
    {
        Assert.True(Accuracy(5, 0.0005) >= 0.9);
        Assert.InRange(Accuracy(5, 0), 0.2, 0.8);
    }
}
