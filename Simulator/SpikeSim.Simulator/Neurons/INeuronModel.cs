using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// A neuron model: a parameter record in physical units that knows how many synaptic input
/// channels it has, which state variables it exposes, and how to create the device state of a
/// group of its neurons for a given dt. Engines and backends see only this interface and
/// <see cref="NeuronGroup"/>; adding a model is adding one file.
/// </summary>
public interface INeuronModel
{
    /// <summary>Synaptic input channels (LIF 1; CUBA-LIF 2, excitatory and inhibitory; sources 0).</summary>
    int InputChannels { get; }

    /// <summary>The state variables a recorder or an initial state may address.</summary>
    IReadOnlyList<StateVariable> StateVariables { get; }

    /// <summary>Validates the parameters against the context's dt and allocates a group's state.</summary>
    NeuronGroup CreateGroup(in GroupContext context);
}

/// <summary>A named state variable of a model, with its unit; models expose these as static fields.</summary>
public sealed record StateVariable(string Name, string Unit);

/// <summary>What a model needs to create a group: where, how many, the step and a seed.</summary>
public readonly record struct GroupContext(IComputeBackend Backend, int Count, double DtMs, ulong Seed);

/// <summary>The buffers a neuron group's step reads and writes.</summary>
public readonly struct NeuronStepArgs
{
    /// <summary>
    /// Synaptic input arriving this step, channel-major (<c>[channel·count + neuron]</c>); the
    /// step consumes it and leaves zeros behind.
    /// </summary>
    public readonly ILGPU.ArrayView<float> SynapticInput;

    /// <summary>External current per neuron, held constant over the step.</summary>
    public readonly ILGPU.ArrayView<float> Current;

    /// <summary>Output: 1 where the neuron fired this step, else 0.</summary>
    public readonly ILGPU.ArrayView<byte> Spikes;

    /// <summary>The step index (time = step·dt).</summary>
    public readonly int Step;

    /// <summary>Creates the arguments of one step.</summary>
    public NeuronStepArgs(ILGPU.ArrayView<float> synapticInput, ILGPU.ArrayView<float> current, ILGPU.ArrayView<byte> spikes, int step)
    {
        SynapticInput = synapticInput;
        Current = current;
        Spikes = spikes;
        Step = step;
    }
}

/// <summary>The device state of a group of neurons of one model, and its step.</summary>
public abstract class NeuronGroup : IDisposable
{
    /// <summary>Creates a group of <paramref name="count"/> neurons.</summary>
    protected NeuronGroup(int count) => Count = count;

    /// <summary>Number of neurons.</summary>
    public int Count { get; }

    /// <summary>Advances every neuron by one step (launches the model's kernel).</summary>
    public abstract void Step(IComputeBackend backend, in NeuronStepArgs args);

    /// <summary>The buffer of a state variable, for recorders and initial states.</summary>
    public abstract DeviceBuffer<float> State(StateVariable variable);

    /// <summary>Bytes of device state the group holds.</summary>
    public abstract long StateBytes { get; }

    /// <summary>Frees the device state.</summary>
    public abstract void Dispose();

    /// <summary>The error for a variable this model does not have.</summary>
    protected Exception Unknown(StateVariable variable, IEnumerable<StateVariable> known)
        => new Errors.InvalidParameterException(
            $"This model has no state variable '{variable.Name}'; it has {string.Join(", ", known.Select(k => k.Name))}.");
}
