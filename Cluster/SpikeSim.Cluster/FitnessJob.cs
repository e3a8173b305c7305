using System.Runtime.InteropServices;
using System.Text.Json;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Cluster;

/// <summary>
/// An evolution's fitness as a cluster job: the parameters are a JSON record that rebuilds the fitness function on a
/// worker; an item is one candidate with its generation's seed, and the result its fitness. Experiments derive one per
/// fitness (say the maze's), and the coordinator gets an <see cref="ICandidateEvaluator"/> for it from <see cref="On"/>.
/// </summary>
public abstract class FitnessJob<TParameters> : IClusterJob
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The fitness function of a parameter set: candidate and evaluation seed → fitness; thread-safe.</summary>
    public abstract Func<double[], ulong, double> Fitness(TParameters parameters);

    /// <inheritdoc />
    public virtual Func<byte[], byte[]> Open(string parameters)
    {
        var fitness = Fitness(JsonSerializer.Deserialize<TParameters>(parameters) ?? throw new InvalidOperationException($"{Name}: no parameters."));
        return item =>
        {
            var seed = BitConverter.ToUInt64(item, 0);
            var candidate = MemoryMarshal.Cast<byte, double>(item.AsSpan(sizeof(ulong))).ToArray();
            return BitConverter.GetBytes(fitness(candidate, seed));
        };
    }

    /// <summary>Evaluates candidates of <paramref name="parameters"/>'s fitness on the workers of <paramref name="session"/>.</summary>
    public ICandidateEvaluator On(ClusterSession session, TParameters parameters) => new Evaluator(session, Name, JsonSerializer.Serialize(parameters));

    private sealed class Evaluator(ClusterSession session, string job, string parameters) : ICandidateEvaluator
    {
        public double[] Evaluate(double[][] candidates, ulong seed)
        {
            var items = candidates.Select(c =>
            {
                var item = new byte[sizeof(ulong) + c.Length * sizeof(double)];
                BitConverter.TryWriteBytes(item, seed);
                MemoryMarshal.AsBytes(c.AsSpan()).CopyTo(item.AsSpan(sizeof(ulong)));
                return item;
            }).ToArray();
            return session.RunAll(job, parameters, items).Select(r => BitConverter.ToDouble(r, 0)).ToArray();
        }

        public string Description => session.Description;
    }
}
