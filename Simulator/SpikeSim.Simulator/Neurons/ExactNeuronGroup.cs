namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// A model the event engine can integrate exactly between events: its state is advanced in closed
/// form, and the time of its next spike without further input is computed, not stepped.
/// </summary>
public interface IExactNeuronModel : INeuronModel
{
    /// <summary>Creates the double-precision state of <paramref name="count"/> neurons.</summary>
    ExactNeuronGroup CreateExact(int count, ulong seed);
}

/// <summary>
/// The event engine's view of a group: state in double precision, advanced lazily to the time of
/// each event that touches a neuron. Times are in ms.
/// </summary>
public abstract class ExactNeuronGroup(int count)
{
    /// <summary>Number of neurons.</summary>
    public int Count { get; } = count;

    /// <summary>
    /// An input event of weight <paramref name="weight"/> on <paramref name="channel"/> reaches neuron
    /// <paramref name="i"/> at time <paramref name="t"/>. Returns true if it makes the neuron fire at
    /// <paramref name="t"/> (the engine then calls <see cref="Fire"/>).
    /// </summary>
    public abstract bool Receive(int i, double t, int channel, double weight);

    /// <summary>
    /// The time of the neuron's next spike after <paramref name="t"/> if no further input arrives,
    /// or +∞. For a neuron this is its next threshold crossing and depends only on its state; for a
    /// source it draws the next spike of its train.
    /// </summary>
    public abstract double NextSpike(int i, double t);

    /// <summary>
    /// True when an input of <paramref name="weight"/> on <paramref name="channel"/> can only postpone the next threshold
    /// crossing or remove it, never bring it forward. The engine then keeps the crossing it has queued as a lower bound and
    /// predicts again only when that time comes, instead of after every such input. The default, false, predicts after every input.
    /// </summary>
    public virtual bool OnlyPostpones(int channel, double weight) => false;

    /// <summary>The neuron fires at <paramref name="t"/>: reset and start of refractoriness.</summary>
    public abstract void Fire(int i, double t);

    /// <summary>The membrane potential at <paramref name="t"/> (no later event may precede it).</summary>
    public abstract double Voltage(int i, double t);

    /// <summary>Sets a constant injected current; models without one refuse.</summary>
    public virtual void SetCurrent(int i, double current)
        => throw new Errors.InvalidParameterException($"{GetType().Name} takes no injected current in the event engine.");

    /// <summary>Sets initial values of a state variable.</summary>
    public abstract void SetInitial(StateVariable variable, float[] values);

    /// <summary>Bytes of state per neuron.</summary>
    public abstract int BytesPerNeuron { get; }
}
