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

    /// <summary>
    /// False where no current input reaches the population, so that <see cref="Current"/> holds zeros: a host kernel may
    /// then leave it unread (adding 0 as before, so the bits do not change); reading it is never wrong.
    /// </summary>
    public readonly bool HasCurrent;

    /// <summary>Output: 1 where the neuron fired this step, else 0.</summary>
    public readonly ILGPU.ArrayView<byte> Spikes;

    /// <summary>The step index (time = step·dt).</summary>
    public readonly int Step;

    /// <summary>Creates the arguments of one step.</summary>
    public NeuronStepArgs(ILGPU.ArrayView<float> synapticInput, ILGPU.ArrayView<float> current, ILGPU.ArrayView<byte> spikes, int step,
        bool hasCurrent = true)
    {
        SynapticInput = synapticInput;
        Current = current;
        HasCurrent = hasCurrent;
        Spikes = spikes;
        Step = step;
    }
}

/// <summary>
/// The device state of a group of neurons of one model, and its step. A model's group allocates its
/// buffers through <see cref="AddState"/> and <see cref="AddBuffer{T}"/>, which the base class
/// looks up, counts and frees; the model itself only launches its kernel in <see cref="Step"/>.
/// </summary>
public abstract class NeuronGroup : IDisposable
{
    private readonly IComputeBackend _backend;
    private readonly List<(StateVariable Variable, DeviceBuffer<float> Buffer)> _state = [];
    private readonly List<IDisposable> _owned = [];
    private long _bytes;

    /// <summary>Creates a group of <c>context.Count</c> neurons on <c>context.Backend</c>.</summary>
    protected NeuronGroup(in GroupContext context)
    {
        _backend = context.Backend;
        Count = context.Count;
    }

    /// <summary>Number of neurons.</summary>
    public int Count { get; }

    /// <summary>Bytes of device state the group holds.</summary>
    public long StateBytes => _bytes;

    /// <summary>Advances every neuron by one step (launches the model's kernel).</summary>
    public abstract void Step(IComputeBackend backend, in NeuronStepArgs args);

    /// <summary>The buffer of a state variable, for recorders and initial states.</summary>
    public DeviceBuffer<float> State(StateVariable variable)
    {
        foreach (var (known, buffer) in _state)
            if (known == variable) return buffer;
        throw new Errors.InvalidParameterException(
            $"This model has no state variable '{variable.Name}'; it has {(_state.Count == 0 ? "none" : string.Join(", ", _state.Select(s => s.Variable.Name)))}.");
    }

    /// <summary>Allocates a state variable of one float per neuron, every neuron starting at <paramref name="initial"/>.</summary>
    protected DeviceBuffer<float> AddState(StateVariable variable, double initial = 0)
    {
        var buffer = AddBuffer<float>(Count);
        if (initial != 0) buffer.CopyFrom(Enumerable.Repeat((float)initial, Count).ToArray());
        _state.Add((variable, buffer));
        return buffer;
    }

    /// <summary>Allocates an internal buffer (a refractory counter, a table) that the group owns.</summary>
    protected DeviceBuffer<T> AddBuffer<T>(long length) where T : unmanaged
    {
        var buffer = _backend.Allocate<T>(length);
        _owned.Add(buffer);
        _bytes += buffer.Bytes;
        return buffer;
    }

    /// <summary>Frees the device state.</summary>
    public void Dispose()
    {
        foreach (var buffer in _owned) buffer.Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}
