using System.Runtime.InteropServices;
using System.Text.Json;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Cluster;

/// <summary>
/// An evolution's fitness as a cluster job: the parameters are a JSON record that rebuilds the fitness function on a
/// worker; an item is a few candidates (<see cref="CandidatesPerItem"/>) with their generation's seed, and the result
/// their fitness. Experiments derive one per fitness (say the maze's), and the coordinator gets an
/// <see cref="ICandidateEvaluator"/> for it from <see cref="On"/>.
/// </summary>
public abstract class FitnessJob<TParameters> : IClusterJob
{
    /// <summary>Candidates per call: enough for a worker to batch their work (a maze agent lives 8 lifetimes per vector pass), few enough to spread a generation over many workers.</summary>
    public const int CandidatesPerItem = 4;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The fitness function of a parameter set: candidate and evaluation seed → fitness; thread-safe.</summary>
    public abstract Func<double[], ulong, double> Fitness(TParameters parameters);

    /// <summary>
    /// The fitness of several candidates at once on one thread; by default one after another. A job whose candidates
    /// batch (the maze's lifetimes in vector lanes) overrides it, with the same numbers as <see cref="Fitness"/>.
    /// </summary>
    public virtual ICandidateEvaluator Batch(TParameters parameters) => new ParallelEvaluator(Fitness(parameters), 1);

    /// <inheritdoc />
    public Func<byte[], byte[]> Open(string parameters)
    {
        var batch = Batch(JsonSerializer.Deserialize<TParameters>(parameters, JobJson.Options) ?? throw new InvalidOperationException($"{Name}: no parameters."));
        return item =>
        {
            var seed = BitConverter.ToUInt64(item, 0);
            var length = BitConverter.ToInt32(item, sizeof(ulong));
            var all = MemoryMarshal.Cast<byte, double>(item.AsSpan(sizeof(ulong) + sizeof(int))).ToArray();
            var candidates = all.Chunk(length).ToArray();
            return MemoryMarshal.AsBytes(batch.Evaluate(candidates, seed).AsSpan()).ToArray();
        };
    }

    /// <summary>Evaluates candidates of <paramref name="parameters"/>'s fitness on the workers of <paramref name="session"/>.</summary>
    public ICandidateEvaluator On(ClusterSession session, TParameters parameters) => new Evaluator(session, Name, JsonSerializer.Serialize(parameters, JobJson.Options));

    private sealed class Evaluator(ClusterSession session, string job, string parameters) : ICandidateEvaluator
    {
        public double[] Evaluate(double[][] candidates, ulong seed)
        {
            var items = candidates.Chunk(CandidatesPerItem).Select(chunk =>
            {
                var length = chunk[0].Length;
                var item = new byte[sizeof(ulong) + sizeof(int) + chunk.Length * length * sizeof(double)];
                BitConverter.TryWriteBytes(item, seed);
                BitConverter.TryWriteBytes(item.AsSpan(sizeof(ulong)), length);
                for (var c = 0; c < chunk.Length; c++)
                    MemoryMarshal.AsBytes(chunk[c].AsSpan()).CopyTo(item.AsSpan(sizeof(ulong) + sizeof(int) + c * length * sizeof(double)));
                return item;
            }).ToArray();
            return [.. session.RunAll(job, parameters, items).SelectMany(r => MemoryMarshal.Cast<byte, double>(r).ToArray())];
        }

        public string Description => session.Description;
    }
}
