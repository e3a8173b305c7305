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
    public override SparseConnectivity Generate(int threads)
    {
        var rowStart = RowStarts(threads, out var cursors);
        var target = new int[Count];
        var weight = new float[Count];
        var delay = new float[Count];
        Parallel.For(0, cursors.Length, Options(threads), chunk =>
        {
            var cursor = cursors[chunk];
            var (first, end) = Range(chunk);
            for (var k = first; k < end; k++)
            {
                var (source, to) = Pair(k);
                var i = cursor[source]++;
                target[i] = to;
                weight[i] = (float)Weight.Draw(Seed, 3 * Stream + 1, (uint)k);
                delay[i] = (float)DelayMs.Draw(Seed, 3 * Stream + 2, (uint)k);
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
