using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>
/// One vocabulary of resets with the timing in each name: <see cref="Lif"/>, <see cref="AdaptiveLif"/> and
/// <see cref="CubaLif"/> take both timings in the time-step engine (the next-step ones are the trained layers'), the
/// integrate-and-fire neuron and the event engine only the step of the spike, and
/// every model refuses by name what it does not have instead of running it as another reset.
/// </summary>
public sealed class ResetModeTests
{
    [Theory]
    [InlineData(ResetMode.SubtractAtNextStep)]
    [InlineData(ResetMode.ZeroAtNextStep)]
    public void The_integrate_and_fire_neuron_and_the_event_engine_refuse_a_reset_at_the_next_step_by_name(ResetMode reset)
    {
        var stepError = Assert.Throws<InvalidParameterException>(() => new IntegrateAndFire(Reset: reset).Discretize(0.1));
        Assert.Contains(reset.ToString(), stepError.Message);
        Assert.Contains("IntegrateAndFire resets in the step of the spike", stepError.Message);
        // Lif, ALIF and CUBA-LIF take it in the time-step engine; the event engine has no next-step form of any model.
        new Lif(Reset: reset).Discretize(0.1);
        new AdaptiveLif(Reset: reset).Discretize(0.1);
        new CubaLif(Reset: reset).Discretize(0.1);
        foreach (var model in new IExactNeuronModel[] { new Lif(Reset: reset), new CubaLif(Reset: reset), new IntegrateAndFire(Reset: reset) })
        {
            var eventError = Assert.Throws<InvalidParameterException>(() => model.CreateExact(1, 1));
            Assert.Contains(model.GetType().Name, eventError.Message);
            Assert.Contains(reset.ToString(), eventError.Message);
        }
    }

    [Fact]
    public void An_undefined_reset_is_refused_by_name()
    {
        Assert.Contains("Lif resets in the step of the spike", Assert.Throws<InvalidParameterException>(() => new Lif(Reset: (ResetMode)17).Discretize(1)).Message);
        Assert.Contains("AdaptiveLif", Assert.Throws<InvalidParameterException>(() => new AdaptiveLif(Reset: (ResetMode)17).Discretize(1)).Message);
        Assert.Contains("CubaLif", Assert.Throws<InvalidParameterException>(() => new CubaLif(Reset: (ResetMode)17).Discretize(1)).Message);
    }

    /// <summary>A reset at the next step sets 0 or subtracts θ and has no refractory period or ≥ test: each is refused by name.</summary>
    [Fact]
    public void A_reset_at_the_next_step_refuses_what_it_has_no_form_for()
    {
        const ResetMode next = ResetMode.SubtractAtNextStep;
        Assert.Contains("v_reset must be 0", Assert.Throws<InvalidParameterException>(() => new Lif(VReset: -0.5, Reset: next).Discretize(1)).Message);
        Assert.Contains("refractory 0 ms", Assert.Throws<InvalidParameterException>(() => new AdaptiveLif(RefractoryMs: 2, Reset: next).Discretize(1)).Message);
        Assert.Contains("v > θ", Assert.Throws<InvalidParameterException>(() => new Lif(Reset: ResetMode.ZeroAtNextStep, Comparison: SpikeComparison.GreaterOrEqual).Discretize(1)).Message);
        Assert.Contains("θ must be finite", Assert.Throws<InvalidParameterException>(() => new Lif(VThreshold: double.PositiveInfinity, Reset: next).Discretize(1)).Message);
        new Lif(VThreshold: double.PositiveInfinity, Reset: ResetMode.ZeroAtNextStep).Discretize(1); // never fires; the reset to 0 never acts
    }

    /// <summary>
    /// The two subtractions, side by side: a neuron driven from 0 by 0.7 a step with θ = 1 and β = 1/2 crosses at the
    /// second step (0.7, then 1.05). <see cref="ResetMode.Subtract"/> leaves 0.05 in that step; <see cref="ResetMode.SubtractAtNextStep"/>
    /// leaves 1.05 until the next step takes θ back undecayed: 0.5·1.05 + 0.7 − 1 = 0.225.
    /// </summary>
    [Fact]
    public void The_two_subtractions_differ_only_in_timing()
    {
        var tau = -1 / Math.Log(0.5);
        var inStep = new Lif(TauMs: tau, VThreshold: 1, VReset: 0, Reset: ResetMode.Subtract).Discretize(1);
        var state = new LifState(0f, 0);
        Assert.False(Lif.Step(ref state, inStep, 0.7f, 0f));
        Assert.True(Lif.Step(ref state, inStep, 0.7f, 0f));
        Assert.Equal(0.05f, state.V, 1e-6f);

        var nextStep = AdaptiveLifConstants.WithoutAdaptation(
            new Lif(TauMs: tau, VThreshold: 1, VReset: 0, Reset: ResetMode.SubtractAtNextStep, Integrator: Integrator.DiscreteTime).Discretize(1));
        float u = 0, a = 0, s = 0;
        foreach (var expected in new[] { 0.7f, 1.05f, 0.225f })
        {
            var margin = nextStep.StepAtNextStep(ref u, ref a, s, 0.7f);
            Assert.Equal(expected, u, 1e-6f);
            s = margin > 0 ? 1f : 0f;
        }
    }
}
