using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>
/// One vocabulary of resets with the timing in each name: the continuous-time models reset in the step of the spike,
/// the discrete-time neurons at the next step, and each refuses the other timing by name instead of running it as
/// another reset.
/// </summary>
public sealed class ResetModeTests
{
    [Theory]
    [InlineData(ResetMode.SubtractAtNextStep)]
    [InlineData(ResetMode.ZeroAtNextStep)]
    public void A_continuous_time_model_refuses_a_reset_at_the_next_step_in_both_engines(ResetMode reset)
    {
        Action[] discretize =
        [
            () => new Lif(Reset: reset).Discretize(0.1), () => new AdaptiveLif(Reset: reset).Discretize(0.1),
            () => new CubaLif(Reset: reset).Discretize(0.1), () => new IntegrateAndFire(Reset: reset).Discretize(0.1),
        ];
        foreach (var step in discretize)
        {
            var stepError = Assert.Throws<InvalidParameterException>(step);
            Assert.Contains(reset.ToString(), stepError.Message);
            Assert.Contains("in the step of the spike", stepError.Message);
        }
        foreach (var model in new IExactNeuronModel[] { new Lif(Reset: reset), new CubaLif(Reset: reset), new IntegrateAndFire(Reset: reset) })
        {
            var eventError = Assert.Throws<InvalidParameterException>(() => model.CreateExact(1, 1));
            Assert.Contains(model.GetType().Name, eventError.Message);
            Assert.Contains(reset.ToString(), eventError.Message);
        }
    }

    [Theory]
    [InlineData(ResetMode.ToValue)]
    [InlineData(ResetMode.Subtract)]
    [InlineData((ResetMode)17)]
    public void A_discrete_time_neuron_refuses_a_reset_in_the_step_of_the_spike(ResetMode reset)
    {
        var lif = Assert.Throws<InvalidParameterException>(() => new DiscreteLif(Reset: reset).Discretize(1));
        Assert.Contains("DiscreteLif resets at the next step", lif.Message);
        var cuba = Assert.Throws<InvalidParameterException>(() => new DiscreteCubaLif(Reset: reset).Discretize(1));
        Assert.Contains("DiscreteCubaLif resets at the next step", cuba.Message);
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

        var nextStep = new DiscreteLif(TauMemMs: tau, VThreshold: 1, Reset: ResetMode.SubtractAtNextStep).Discretize(1);
        float u = 0, a = 0, s = 0;
        foreach (var expected in new[] { 0.7f, 1.05f, 0.225f })
        {
            var margin = nextStep.Integrate(ref u, ref a, s, 0.7f);
            Assert.Equal(expected, u, 1e-6f);
            s = margin > 0 ? 1f : 0f;
        }
    }
}
