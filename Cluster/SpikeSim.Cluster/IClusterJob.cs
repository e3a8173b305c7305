namespace SpikeSim.Cluster;

/// <summary>
/// A kind of work a worker silo can do, known by name to the coordinator and to every worker (both run the same
/// <c>spikesim</c>). A job is opened once per parameter set and then runs many items: an item's result must depend on
/// the parameters and the item alone — never on the worker, the time or the order — so that placement and retries cannot
/// change a result.
/// </summary>
public interface IClusterJob
{
    /// <summary>The name calls carry (say "maze-fitness").</summary>
    string Name { get; }

    /// <summary>Prepares the job for one parameter set (its encoding is the job's own); the runner must be thread-safe.</summary>
    Func<byte[], byte[]> Open(string parameters);
}

/// <summary>The jobs one process can run, by name, each opened once per parameter set.</summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, IClusterJob> _jobs;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Lazy<Func<byte[], byte[]>>> _open = new();

    /// <summary>A catalogue of <paramref name="jobs"/>; names must be distinct.</summary>
    public JobCatalog(IEnumerable<IClusterJob> jobs) => _jobs = jobs.ToDictionary(j => j.Name);

    /// <summary>The names, for messages.</summary>
    public IEnumerable<string> Names => _jobs.Keys.Order();

    /// <summary>Runs one item of job <paramref name="job"/> with <paramref name="parameters"/>.</summary>
    public byte[] Run(string job, string parameters, byte[] item)
    {
        if (!_jobs.TryGetValue(job, out var kind))
            throw new InvalidOperationException($"This worker has no job '{job}' (it has {string.Join(", ", Names)}): coordinator and workers must run the same spikesim.");
        return _open.GetOrAdd((job, parameters), _ => new Lazy<Func<byte[], byte[]>>(() => kind.Open(parameters))).Value(item);
    }
}
