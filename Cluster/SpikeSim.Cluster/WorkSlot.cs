using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace SpikeSim.Cluster;

/// <summary>
/// One thread of one worker silo, as a grain. Its key names the silo it lives on and the slot number
/// (<see cref="WorkSlot.Key"/>); calls to one slot run one at a time, so a worker with K threads is K slots. The coordinator
/// decides placement (it knows the live workers), so a slot is never moved, and an item is retried on another slot —
/// never recomputed differently — when a worker is lost.
/// </summary>
public interface IWorkSlot : IGrainWithStringKey
{
    /// <summary>Runs one item of a job (see <see cref="IClusterJob"/>).</summary>
    Task<byte[]> Run(string job, string parameters, byte[] item);

    /// <summary>How many slots this worker serves (its thread count).</summary>
    Task<int> Threads();
}

/// <summary>The thread count a worker silo serves, set by <c>spikesim worker --threads</c>.</summary>
public sealed record WorkerThreads(int Count);

/// <summary>The grain behind <see cref="IWorkSlot"/>: runs items of the worker's <see cref="JobCatalog"/> off the Orleans scheduler.</summary>
[WorkerSlotPlacement]
public sealed class WorkSlot(JobCatalog jobs, WorkerThreads threads) : Grain, IWorkSlot
{
    /// <summary>The key of slot <paramref name="slot"/> on <paramref name="silo"/>.</summary>
    public static string Key(SiloAddress silo, int slot) => $"{silo.ToParsableString()}/{slot}";

    /// <inheritdoc />
    public Task<byte[]> Run(string job, string parameters, byte[] item) => Task.Run(() => jobs.Run(job, parameters, item));

    /// <inheritdoc />
    public Task<int> Threads() => Task.FromResult(threads.Count);
}

/// <summary>Places a <see cref="WorkSlot"/> on the silo its key names (see <see cref="WorkSlot.Key"/>).</summary>
public sealed class WorkerSlotPlacement : PlacementStrategy;

/// <summary>Marks a grain class as placed by <see cref="WorkerSlotPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class WorkerSlotPlacementAttribute() : PlacementAttribute(new WorkerSlotPlacement());

/// <summary>Reads the silo out of a slot's key; a silo that has left the cluster fails the call, and the coordinator retries the item elsewhere.</summary>
public sealed class WorkerSlotPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloAddress.FromParsableString(key[..key.LastIndexOf('/')]);
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Worker {silo} is not in the cluster.");
    }
}
