using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Experiments.FiCurve.Tests;

/// <summary>The simulated f–I curve against the closed form ν(I) = 1/(t_ref + τ·ln((v_∞ − v_reset)/(v_∞ − θ))).</summary>
public sealed class FiCurveTests
{
    [Fact]
    public void Rates_follow_the_closed_form_and_neurons_below_rheobase_stay_silent()
    {
        using var backend = new HostBackend(threads: 1);
        var points = FiCurve.Run(backend, n: 31, maxCurrent: 3, durationMs: 2000, dtMs: 0.05);
        Assert.Equal(11, points.Count(p => p.TheoryHz == 0));
        Assert.All(points.Where(p => p.TheoryHz == 0), p => Assert.Equal(0, p.RateHz));
        // The step grid makes each interval up to one step longer than the closed form's, never shorter:
        // ν/(1 + ν·dt) ≤ rate ≤ ν (float rounding of the potential allowed for).
        foreach (var p in points.Where(p => p.TheoryHz > 0))
            Assert.InRange(p.RateHz, p.TheoryHz / (1 + p.TheoryHz * 0.05e-3) * (1 - 1e-4), p.TheoryHz * (1 + 1e-4));
        Assert.True(points[^1].RateHz > 100, $"the strongest drive fires at {points[^1].RateHz} Hz");
    }

    [Fact]
    public void The_closed_form_is_zero_at_rheobase_and_bounded_by_the_refractory_period()
    {
        Assert.Equal(0, FiCurve.TheoryHz(FiCurve.Neuron, 1.0));
        Assert.InRange(FiCurve.TheoryHz(FiCurve.Neuron, 1.0001), 1e-9, FiCurve.TheoryHz(FiCurve.Neuron, 1.01));
        Assert.InRange(FiCurve.TheoryHz(FiCurve.Neuron, 1e6), 499, 500);
    }

    [Fact]
    public void The_event_engine_meets_the_closed_form_to_rounding()
    {
        var (network, neurons, currents) = FiCurve.Build(21, 3);
        using var simulation = SpikeSim.Simulator.Engines.Simulation.Create(network, SpikeSim.Simulator.Engines.EngineKind.Event, 0.1, 1, null);
        foreach (var p in FiCurve.Run(simulation, neurons, currents, 1000))
            Assert.Equal(p.TheoryHz, p.RateHz, 1e-6 * Math.Max(1, p.TheoryHz));
    }
}
