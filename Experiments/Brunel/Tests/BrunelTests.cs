using SpikeSim.Simulator.Engines;
using SpikeSim.Experiments.Brunel;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Experiments.Brunel.Tests;

/// <summary>Brunel (2000): the regimes of figure 8 show their signatures, and the two engines agree on the network's activity.</summary>
public sealed class BrunelTests
{
    private const double DurationMs = 400, TransientMs = 100;

    private static (double RateHz, double IsiCv, double RateCv) StepStatistics(Brunel2000.Regime regime, double scale = 1)
    {
        var (g, eta) = Brunel2000.Parameters(regime);
        var (network, excitatory, inhibitory) = Brunel2000.Build(g, eta, scale, seed: 1);
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1, Seed: 1));
        var spikes = simulation.Observe(new SpikeRecorder(excitatory));
        simulation.RunSteps((int)(DurationMs / 0.1));
        var trains = spikes.TrainsMs().Select(t => (IReadOnlyList<double>)t.Where(x => x >= TransientMs).ToList());
        var times = spikes.SpikeSteps.ToArray().Select(s => s * 0.1);
        var late = spikes.SpikeSteps.ToArray().Count(s => s * 0.1 >= TransientMs);
        return (late / (excitatory.Size * (DurationMs - TransientMs) * 1e-3), SpikeStatistics.MeanIsiCv(trains),
            SpikeStatistics.PopulationRateCv(times, TransientMs, DurationMs));
    }

    [Fact]
    public void Regime_A_is_synchronous_and_regular_at_a_high_rate()
    {
        var (rate, isiCv, _) = StepStatistics(Brunel2000.Regime.A);
        Assert.True(rate > 150, $"rate {rate} Hz");
        Assert.True(isiCv < 0.1, $"ISI CV {isiCv}");
    }

    [Fact]
    public void Regime_D_oscillates_slowly_at_a_low_rate_and_regime_C_is_far_more_stationary()
    {
        var (rateD, _, synchronyD) = StepStatistics(Brunel2000.Regime.D);
        var (rateC, isiCvC, synchronyC) = StepStatistics(Brunel2000.Regime.C);
        Assert.True(rateD < 15, $"D: rate {rateD} Hz");
        Assert.True(synchronyD > 1, $"D: population-rate CV {synchronyD}");
        Assert.True(synchronyC < synchronyD / 2, $"C: population-rate CV {synchronyC} against D's {synchronyD}");
        Assert.True(isiCvC > 0.2, $"C: ISI CV {isiCvC}");
        Assert.True(rateC > rateD, $"C: rate {rateC} Hz");
    }

    [Fact]
    public void Step_and_event_engines_agree_on_the_rate_and_regularity()
    {
        var (g, eta) = Brunel2000.Parameters(Brunel2000.Regime.C);
        var (network, excitatory, _) = Brunel2000.Build(g, eta, scale: 0.2, seed: 3);
        using var stepped = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1, Seed: 3));
        var stepSpikes = stepped.Observe(new SpikeRecorder(excitatory));
        stepped.RunSteps(2000);
        var exact = new EventSimulation(network, new EventOptions(3));
        var eventSpikes = exact.Observe(new SpikeTimeRecorder(excitatory));
        exact.Run(200);
        var stepRate = stepSpikes.Total / (excitatory.Size * 0.2);
        var eventRate = eventSpikes.Total / (excitatory.Size * 0.2);
        Assert.True(stepRate > 10, $"step engine rate {stepRate} Hz");
        Assert.InRange(eventRate, 0.9 * stepRate, 1.1 * stepRate);
        var stepCv = SpikeStatistics.MeanIsiCv(stepSpikes.TrainsMs().Select(t => (IReadOnlyList<double>)t));
        var eventCv = SpikeStatistics.MeanIsiCv(eventSpikes.TrainsMs().Select(t => (IReadOnlyList<double>)t));
        Assert.InRange(eventCv, stepCv - 0.1, stepCv + 0.1);
    }
}
