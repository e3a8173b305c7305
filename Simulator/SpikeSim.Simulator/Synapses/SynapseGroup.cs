using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// The spikes of a projection's source population in the current step: a flag per neuron, the list of those that fired, and
/// their <see cref="Count"/> where the host knows it (the host launcher). On a GPU the count stays on the device
/// (<see cref="DeviceCount"/>; <see cref="Count"/> is −1), so that no step waits for the host.
/// </summary>
public readonly record struct SourceSpikes(ArrayView<byte> Flags, ArrayView<int> List, int Count)
{
    /// <summary>The count on the device (one element), for launches that cannot ask the host.</summary>
    public ArrayView<int> DeviceCount { get; init; }

    /// <summary>Neurons in the population: the most spikes a step can have.</summary>
    public int Size { get; init; }

    /// <summary>False only where the host knows that nothing fired.</summary>
    public bool MayHaveSpikes => Count != 0;

    /// <summary>
    /// Launches <paramref name="kernel"/> with one index per spike: exactly <see cref="Count"/> indices where the host knows
    /// the count; else one per neuron, and the indices at or past the device's count return at once (<see cref="BoundedKernel{TKernel}"/>).
    /// </summary>
    public void LaunchPerSpike<TKernel>(IComputeBackend backend, in TKernel kernel) where TKernel : struct, IKernel
    {
        if (Count >= 0) backend.Launch(Count, kernel);
        else backend.Launch(Size, new BoundedKernel<TKernel>(DeviceCount, kernel));
    }
}

/// <summary>
/// The device state of one projection in the time-step engine (weights, indices, delays) and
/// its delivery of a step's spikes into the target's ring buffer.
/// </summary>
public abstract class SynapseGroup : IDisposable
{
    /// <summary>The longest delay of this projection in steps.</summary>
    public abstract int MaxDelaySteps { get; }

    /// <summary>Bytes of device memory the synapses hold.</summary>
    public abstract long Bytes { get; }

    /// <summary>Delivers this step's spikes.</summary>
    public abstract void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target);

    /// <summary>The weights, for reading.</summary>
    public abstract DeviceBuffer<float> Weights { get; }

    /// <summary>
    /// Applies the projection's learning rule after this step's deliveries, given the spikes of its
    /// source and target populations and the neuromodulator level; static synapses do nothing.
    /// </summary>
    public virtual void Learn(IComputeBackend backend, in SourceSpikes pre, in SourceSpikes post, in Plasticity.ModulatorLevel modulator)
    {
    }

    /// <summary>Frees the device state.</summary>
    public abstract void Dispose();

    /// <summary>Creates the device form of <paramref name="connectivity"/>.</summary>
    public static SynapseGroup Create(IComputeBackend backend, Connectivity connectivity, double delayMs, double dtMs, PropagationMode mode,
        Plasticity.IPlasticityRule? plasticity = null)
        => plasticity is not null
            ? (plasticity as Plasticity.ITimeStepRule ?? throw Plasticity.IPlasticityRule.Refuse(plasticity, "time-step engine", "time-step"))
                .CreateSynapses(backend, (SparseConnectivity)connectivity, delayMs, dtMs)
            : connectivity.Explicit(backend.HostThreads) switch
        {
            SparseConnectivity sparse => new SparseSynapses(backend, sparse, delayMs, dtMs),
            DenseConnectivity dense => new DenseSynapses(backend, dense, SynapticDelay.ToSteps(delayMs, dtMs), mode),
            OneToOneConnectivity oneToOne => new OneToOneSynapses(backend, oneToOne, SynapticDelay.ToSteps(delayMs, dtMs)),
            _ => throw new NotSupportedException($"No time-step synapses for {connectivity.GetType().Name}."),
        };
}
