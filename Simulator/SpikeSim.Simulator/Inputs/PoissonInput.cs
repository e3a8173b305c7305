using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Inputs;

/// <summary>
/// Independent Poisson spike trains of rate <see cref="RateHz"/> into every neuron of a population,
/// each event adding <see cref="Weight"/> on input channel <see cref="Channel"/> (NEST's
/// <c>poisson_generator</c> connected one-to-one; the superposition of C inputs at ν each is one
/// train at C·ν). The time-step engine adds a Poisson-distributed count of events per step, so rates
/// far above 1/dt stay exact in distribution; the event engine draws exact event times.
/// </summary>
public sealed record PoissonInput(Population Target, double RateHz, float Weight, int Channel = 0) : NetworkInput(Target)
{
    internal override void Validate()
    {
        if (!(RateHz >= 0) || double.IsInfinity(RateHz))
            throw new InvalidParameterException($"A Poisson input rate must be zero or positive and finite (got {RateHz} Hz).");
        if (!float.IsFinite(Weight)) throw new InvalidParameterException($"A Poisson input weight must be finite (got {Weight}).");
        if ((uint)Channel >= (uint)Target.Model.InputChannels)
            throw new InvalidParameterException($"'{Target.Name}' has {Target.Model.InputChannels} input channel(s); channel {Channel} does not exist.");
    }
}
