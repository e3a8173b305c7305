using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Synapses;

/// <summary>Who connects to whom with which weight: a host-side description, no device state.</summary>
public abstract record Connectivity(int Sources, int Targets)
{
    /// <summary>Number of synapses.</summary>
    public abstract long SynapseCount { get; }

    /// <summary>Throws if a weight is NaN or infinite, or a shape does not match.</summary>
    public abstract void Validate();

    /// <summary>The number of synapses leaving each source.</summary>
    public abstract int[] OutDegrees();

    /// <summary>
    /// This connectivity with its synapses as arrays: itself, except for a <see cref="GeneratedConnectivity"/>, which generates
    /// them on up to <paramref name="threads"/> threads. Engines and exporters call it where they build.
    /// </summary>
    public virtual Connectivity Explicit(int threads) => this;

    /// <summary>Checks that every weight is finite.</summary>
    protected static void CheckFinite(ReadOnlySpan<float> weights)
    {
        foreach (var w in weights)
            if (!float.IsFinite(w)) throw new InvalidParameterException($"A synaptic weight is {w}; weights must be finite.");
    }
}

/// <summary>
/// All-to-all weights, source-major: <c>Weights[source·Targets + target]</c> (a zero weight is a synapse of weight zero).
/// Source-major because the engines deliver a spike as its source's row (contiguous, vectorised across targets). Feeds
/// (<see cref="Networks.AffineFeed"/>: trained layers, NIR graphs) and files (NIR's and the model file's <c>Linear</c>,
/// PyTorch) are target-major, [target, source]; <see cref="FromTargetMajor"/> and <see cref="TargetMajor"/> are the one
/// place the two meet.
/// </summary>
public sealed record DenseConnectivity(int Sources, int Targets, float[] Weights) : Connectivity(Sources, Targets)
{
    /// <summary>The projection whose weight from source i to target j is <paramref name="weights"/>[j·sources + i], each times <paramref name="scale"/> (in double, then rounded).</summary>
    public static DenseConnectivity FromTargetMajor(int sources, int targets, ReadOnlySpan<float> weights, double scale = 1)
    {
        if (weights.Length != (long)sources * targets)
            throw new InvalidParameterException($"A dense projection of {sources}×{targets} needs {(long)sources * targets} weights, not {weights.Length}.");
        var sourceMajor = new float[weights.Length]; // sources·targets fits an int: it is a span's length
        for (var j = 0; j < targets; j++)
            for (var i = 0; i < sources; i++) sourceMajor[i * targets + j] = (float)(weights[j * sources + i] * scale);
        return new DenseConnectivity(sources, targets, sourceMajor);
    }

    /// <summary>The weights target-major, [target, source]: element j·Sources + i is the weight from source i to target j.</summary>
    public float[] TargetMajor()
    {
        var t = new float[Weights.Length];
        for (var i = 0; i < Sources; i++)
            for (var j = 0; j < Targets; j++) t[(long)j * Sources + i] = Weights[(long)i * Targets + j];
        return t;
    }

    /// <inheritdoc />
    public override long SynapseCount => (long)Sources * Targets;

    /// <inheritdoc />
    public override int[] OutDegrees() => Enumerable.Repeat(Targets, Sources).ToArray();

    /// <inheritdoc />
    public override void Validate()
    {
        if (Weights.LongLength != SynapseCount)
            throw new InvalidParameterException($"A dense projection of {Sources}×{Targets} needs {SynapseCount} weights, not {Weights.Length}.");
        CheckFinite(Weights);
    }
}

/// <summary>Source i to target i, with one weight each.</summary>
public sealed record OneToOneConnectivity(float[] Weights) : Connectivity(Weights.Length, Weights.Length)
{
    /// <inheritdoc />
    public override long SynapseCount => Weights.Length;

    /// <inheritdoc />
    public override int[] OutDegrees() => Enumerable.Repeat(1, Sources).ToArray();

    /// <inheritdoc />
    public override void Validate() => CheckFinite(Weights);
}

/// <summary>
/// Sparse synapses in compressed sparse rows by source: the synapses of source i are
/// <c>RowStart[i] .. RowStart[i+1]−1</c>, each with a target, a weight, and optionally its own
/// delay in ms (else the projection's delay).
/// </summary>
public sealed record SparseConnectivity(int Sources, int Targets, int[] RowStart, int[] TargetIndex, float[] Weights, float[]? DelaysMs = null)
    : Connectivity(Sources, Targets)
{
    /// <inheritdoc />
    public override long SynapseCount => TargetIndex.Length;

    /// <inheritdoc />
    public override int[] OutDegrees() => Enumerable.Range(0, Sources).Select(i => RowStart[i + 1] - RowStart[i]).ToArray();

    /// <inheritdoc />
    public override void Validate()
    {
        if (RowStart.Length != Sources + 1 || RowStart[0] != 0 || RowStart[^1] != TargetIndex.Length)
            throw new InvalidParameterException($"A sparse projection's row starts must run from 0 to its {TargetIndex.Length} synapses over {Sources} + 1 entries.");
        for (var i = 0; i < Sources; i++)
            if (RowStart[i + 1] < RowStart[i]) throw new InvalidParameterException($"Sparse row {i} ends before it starts.");
        if (Weights.Length != TargetIndex.Length || (DelaysMs is not null && DelaysMs.Length != TargetIndex.Length))
            throw new InvalidParameterException("A sparse projection needs one weight (and delay, if any) per synapse.");
        foreach (var t in TargetIndex)
            if ((uint)t >= (uint)Targets) throw new InvalidParameterException($"A synapse targets neuron {t} of a population of {Targets}.");
        CheckFinite(Weights);
    }

    /// <summary>Builds the CSR form from unordered (source, target, weight) triples.</summary>
    public static SparseConnectivity FromTriples(int sources, int targets, IReadOnlyList<(int Source, int Target, float Weight)> synapses)
    {
        var rowStart = new int[sources + 1];
        foreach (var s in synapses) rowStart[s.Source + 1]++;
        for (var i = 0; i < sources; i++) rowStart[i + 1] += rowStart[i];
        var fill = (int[])rowStart.Clone();
        var target = new int[synapses.Count];
        var weight = new float[synapses.Count];
        foreach (var s in synapses)
        {
            var k = fill[s.Source]++;
            target[k] = s.Target;
            weight[k] = s.Weight;
        }
        return new SparseConnectivity(sources, targets, rowStart, target, weight);
    }
}
