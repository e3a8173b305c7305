using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// NEST's <c>fixed_total_number</c> rule with multapses and autapses allowed: <see cref="Count"/> synapses, each from a
/// source and to a target drawn uniformly and independently, with a weight and a delay (ms) from their
/// <see cref="RedrawnNormal"/> distributions. Synapse k draws its pair, weight and delay from counter k of three streams
/// derived from <see cref="Stream"/>, so the network is the same for any thread count; within a source's row the synapses
/// keep the order of k.
/// </summary>
public sealed record FixedTotalNumberConnectivity(int Sources, int Targets, long Count, RedrawnNormal Weight, RedrawnNormal DelayMs,
    ulong Seed, uint Stream) : GeneratedConnectivity(Sources, Targets)
{
    /// <summary>The largest stream: three streams per projection, and redraws use the top 8 bits.</summary>
    public const uint MaxStream = (1u << 22) - 1;

    /// <summary>Synapses per unit of parallel work; fixed, so that no result depends on the thread count.</summary>
    private const int ChunkSize = 1 << 20;

    /// <inheritdoc />
    public override long SynapseCount => Count;

    /// <inheritdoc />
    /// <remarks>A counting pass over the synapses' source draws, on all cores; nothing is cached in the rule.</remarks>
    public override int[] OutDegrees()
    {
        var rowStart = RowStarts(Environment.ProcessorCount, out _);
        return [.. Enumerable.Range(0, Sources).Select(i => rowStart[i + 1] - rowStart[i])];
    }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Count < 0 || Count > int.MaxValue)
            throw new InvalidParameterException($"A projection holds 0 to {int.MaxValue} synapses (got {Count}); split it into several.");
        if (Count > 0 && (Sources <= 0 || Targets <= 0))
            throw new InvalidParameterException($"{Count} synapses need at least one source and one target (got {Sources}×{Targets}).");
        if (Stream > MaxStream) throw new InvalidParameterException($"A connectivity stream lies in 0..{MaxStream} (got {Stream}).");
        Weight.Validate("weight");
        DelayMs.Validate("delay");
        if (DelayMs.Min < 0 && !(DelayMs.Sd == 0 && DelayMs.Mean >= 0))
            throw new InvalidParameterException($"A delay distribution must not reach below 0 ms (its minimum is {DelayMs.Min} ms).");
        if (!float.IsFinite((float)Weight.Mean)) throw new InvalidParameterException($"A weight of {Weight.Mean} is not a finite float.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each chunk is first sorted by source in a local buffer (a stable counting sort of its k), then written row segment by
    /// row segment: the three arrays of a full-scale microcircuit (1.2 GB each) are written in runs rather than at a random
    /// place per synapse, whose cache misses were most of the build. Every synapse lands where k order puts it.
    /// </remarks>
    public override SparseConnectivity Generate(int threads)
    {
        var rowStart = RowStarts(threads, out var cursors);
        var target = new int[Count];
        var weight = new float[Count];
        var delay = new float[Count];
        Parallel.For(0, cursors.Length, Options(threads), chunk =>
        {
            var (first, end) = Range(chunk);
            var n = end - first;
            var pool = System.Buffers.ArrayPool<int>.Shared;
            int[] sources = pool.Rent(n), targets = pool.Rent(n), order = pool.Rent(n);
            var local = new int[Sources + 1];
            try
            {
                for (var k = 0; k < n; k++)
                {
                    (sources[k], targets[k]) = Pair(first + k);
                    local[sources[k] + 1]++;
                }
                for (var source = 0; source < Sources; source++) local[source + 1] += local[source];
                var next = (int[])local.Clone();
                for (var k = 0; k < n; k++) order[next[sources[k]]++] = k;
                var cursor = cursors[chunk];
                for (var source = 0; source < Sources; source++)
                {
                    var i = cursor[source];
                    for (var j = local[source]; j < local[source + 1]; j++, i++)
                    {
                        var k = order[j];
                        target[i] = targets[k];
                        weight[i] = (float)Weight.Draw(Seed, 3 * Stream + 1, (uint)(first + k));
                        delay[i] = (float)DelayMs.Draw(Seed, 3 * Stream + 2, (uint)(first + k));
                    }
                }
            }
            finally
            {
                pool.Return(sources);
                pool.Return(targets);
                pool.Return(order);
            }
        });
        return new SparseConnectivity(Sources, Targets, rowStart, target, weight, delay);
    }

    /// <summary>
    /// Counts each chunk's synapses per source and turns the counts into row starts and, per chunk, the position its first
    /// synapse of each source goes to (chunk order, then k order, within a row).
    /// </summary>
    private int[] RowStarts(int threads, out int[][] cursors)
    {
        var chunks = (int)((Count + ChunkSize - 1) / ChunkSize);
        var counts = new int[chunks][];
        Parallel.For(0, chunks, Options(threads), chunk =>
        {
            var n = new int[Sources];
            var (first, end) = Range(chunk);
            for (var k = first; k < end; k++) n[Pair(k).Source]++;
            counts[chunk] = n;
        });
        var rowStart = new int[Sources + 1];
        for (var s = 0; s < Sources; s++)
        {
            var at = rowStart[s];
            foreach (var n in counts)
            {
                var here = n[s];
                n[s] = at;
                at += here;
            }
            rowStart[s + 1] = at;
        }
        cursors = counts;
        return rowStart;
    }

    private (int Source, int Target) Pair(int k)
    {
        var h = CounterRng.Hash(Seed, 3 * Stream, (uint)k);
        return (CounterRng.Below((uint)(h >> 32), Sources), CounterRng.Below((uint)h, Targets));
    }

    private (int First, int End) Range(int chunk) => (chunk * ChunkSize, (int)Math.Min(Count, (long)(chunk + 1) * ChunkSize));

    private static ParallelOptions Options(int threads) => new() { MaxDegreeOfParallelism = Math.Max(1, threads) };
}
