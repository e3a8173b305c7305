using SpikeSim.Simulator.Engines;
using SpikeSim.Experiments.DistalReward;
using SpikeSim.Experiments.PatternAssociation;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Experiments.DistalReward.Tests;

/// <summary>Izhikevich's (2007) distal reward experiment, short: the rewarded synapse stands out within minutes.</summary>
public sealed class DistalRewardTests
{
    [Fact]
    public void The_rewarded_synapse_rises_above_the_others_within_four_minutes()
    {
        var setup = DistalReward.Build(seed: 1);
        using var simulation = new TimeStepSimulation(setup.Network, Probe.Host.Value, new TimeStepOptions(DistalReward.DtMs, Seed: 1));
        var reward = simulation.Observe(new DistalReward.Reward(setup, simulation, 1));
        simulation.RunSteps(DistalReward.Steps(4));
        var weights = simulation.Weights(setup.ExcitatoryToExcitatory);
        var others = weights.Where((_, k) => k != setup.ChosenSynapse).Order().ToArray();
        Assert.True(reward.Delivered > 0);
        Assert.True(weights[setup.ChosenSynapse] > others[(int)(0.99 * (others.Length - 1))],
            $"chosen {weights[setup.ChosenSynapse]} against the others' 99th percentile {others[(int)(0.99 * (others.Length - 1))]}");
        Assert.True(others.Average() < DistalReward.InitialWeight, "unrewarded synapses drift down on average");
    }

    [Fact]
    public void Rewards_follow_only_pre_then_post_within_the_window()
    {
        // Chosen pre fires at step 100; post at 105 (rewarded) and, after a pre at 200, at 215 (too late).
        var setup = DistalReward.Build(seed: 2);
        var view = new FakeView(setup);
        using var simulation = new TimeStepSimulation(setup.Network, Probe.Host.Value, new TimeStepOptions(DistalReward.DtMs));
        var reward = new DistalReward.Reward(setup, simulation, 2);
        for (var step = 0; step < 1300; step++)
            reward.OnStep(view.At(step, pre: step is 100 or 200, post: step is 105 or 215));
        Assert.Equal(1, reward.Delivered);
    }

    private sealed class FakeView(DistalReward.Setup setup) : IStepView
    {
        private int[] _spikes = [];

        public int Step { get; private set; }
        public double DtMs => 1;

        public FakeView At(int step, bool pre, bool post)
        {
            Step = step;
            _spikes = [.. pre ? [setup.ChosenPre] : Array.Empty<int>(), .. post ? [setup.ChosenPost] : Array.Empty<int>()];
            return this;
        }

        public ReadOnlySpan<int> Spikes(Simulator.Networks.Population population) => population == setup.Excitatory ? _spikes : [];

        public void ReadState(Simulator.Networks.Population population, Simulator.Neurons.StateVariable variable, ReadOnlySpan<int> neurons, Span<float> destination) { }
    }
}
