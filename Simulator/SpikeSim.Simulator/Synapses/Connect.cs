using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// Builders of random connectivity from a seeded <see cref="Xoshiro256"/>: the same seed builds
/// the same network on every backend and engine.
/// </summary>
public static class Connect
{
    /// <summary>
    /// Each (source, target) pair is connected independently with probability
    /// <paramref name="p"/> (Bernoulli, as Brian2's <c>connect(p=…)</c>); targets are drawn by
    /// geometric skipping, so the cost is proportional to the synapses made.
    /// </summary>
    /// <param name="sources">Source population size.</param>
    /// <param name="targets">Target population size.</param>
    /// <param name="p">Connection probability.</param>
    /// <param name="weight">Draws each synapse's weight.</param>
    /// <param name="rng">The seeded generator.</param>
    /// <param name="allowAutapses">Whether i → i is allowed (for a projection of a population onto itself).</param>
    /// <param name="connectedSources">Only these source rows get synapses (Brian2's <c>connect("i &lt; n", p=…)</c>); all when null.</param>
    public static SparseConnectivity FixedProbability(int sources, int targets, double p, Func<Xoshiro256, float> weight,
        Xoshiro256 rng, bool allowAutapses = true, Range? connectedSources = null)
    {
        if (!(p >= 0 && p <= 1)) throw new InvalidParameterException($"A connection probability must lie in [0, 1] (got {p}).");
        var (first, length) = (connectedSources ?? Range.All).GetOffsetAndLength(sources);
        var rowStart = new int[sources + 1];
        var target = new List<int>((int)Math.Min(int.MaxValue, (long)(sources * (double)targets * p * 1.05) + 16));
        var logQ = Math.Log(1 - p);
        for (var i = 0; i < sources; i++)
        {
            if (p > 0 && i >= first && i < first + length)
            {
                var j = -1L;
                while (true)
                {
                    j += p >= 1 ? 1 : 1 + (long)Math.Floor(Math.Log(1 - rng.NextDouble()) / logQ);
                    if (j >= targets) break;
                    if (allowAutapses || j != i) target.Add((int)j);
                }
            }
            rowStart[i + 1] = target.Count;
        }
        var weights = new float[target.Count];
        for (var k = 0; k < weights.Length; k++) weights[k] = weight(rng);
        return new SparseConnectivity(sources, targets, rowStart, target.ToArray(), weights);
    }

    /// <summary>
    /// Every target receives exactly <paramref name="inDegree"/> synapses from sources drawn
    /// uniformly with replacement (multapses allowed, as NEST's <c>fixed_indegree</c>).
    /// </summary>
    public static SparseConnectivity FixedInDegree(int sources, int targets, int inDegree, Func<Xoshiro256, float> weight,
        Xoshiro256 rng, bool allowAutapses = true)
    {
        if (inDegree < 0) throw new InvalidParameterException($"An in-degree cannot be negative (got {inDegree}).");
        if (inDegree > 0 && (sources == 0 || (!allowAutapses && sources == 1)))
            throw new InvalidParameterException("Fixed in-degree needs at least one admissible source per target.");
        var pairs = new List<(int Source, int Target, float Weight)>((int)Math.Min(int.MaxValue, (long)targets * inDegree));
        for (var j = 0; j < targets; j++)
        {
            for (var k = 0; k < inDegree; k++)
            {
                int i;
                do i = rng.NextInt(sources); while (!allowAutapses && i == j);
                pairs.Add((i, j, weight(rng)));
            }
        }
        return SparseConnectivity.FromTriples(sources, targets, pairs);
    }

    /// <summary>A weight that is always <paramref name="value"/>.</summary>
    public static Func<Xoshiro256, float> Constant(float value) => _ => value;
}
