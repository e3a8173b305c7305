namespace SpikeSim.Learning.Grapes;

/// <summary>Which GRAPES variant (Dellaferrera et al. 2022).</summary>
public enum GrapesVariant
{
    /// <summary>M scales only the rows of the layer's own weight gradient; the unmodulated error goes upstream.</summary>
    Local,

    /// <summary>The modulated error M ⊙ δ is used for the layer's gradient and sent upstream, so factors compound with depth.</summary>
    Propagating,
}

/// <summary>Where a node's importance comes from.</summary>
public enum ImportanceSource
{
    /// <summary>I_j = Σ_i |w_ji| over the node's incoming weights (the paper's default).</summary>
    Incoming,

    /// <summary>I_j = Σ_k |w_kj| over the node's outgoing weights (the next layer's column j); the output layer, which has none, falls back to incoming.</summary>
    Outgoing,
}

/// <summary>GRAPES settings: the variant and the importance source.</summary>
public sealed record GrapesOptions(GrapesVariant Variant, ImportanceSource Importance = ImportanceSource.Incoming);

/// <summary>
/// The GRAPES factor math, shared by the SNN and the ANN path: per layer, node importance
/// I_j = Σ |w| over its incoming (or outgoing) weights, and the modulation factor
/// <c>M_j = max(1, 2·I_j / max_k I_k)</c>, so M ∈ [1, 2] and the most important node gets exactly 2.
/// Recomputed from the current weights before every update.
/// </summary>
/// <remarks>
/// Checked against the paper's Methods as summarised in shared/PAPERS.md (its description comes from the
/// authors' patent; the reference code was not available): the factor there is max(1, 2·I/max I)
/// per layer. One thing the Methods leave open is biases: SpikeSim scales a node's bias gradient by
/// the node's factor like its weight row.
/// </remarks>
public static class GrapesFactors
{
    /// <summary>Importance from incoming weights: <paramref name="weight"/> is [outputs, inputs] row-major; adds Σ_i |w_ji| into importance[j].</summary>
    public static void AddIncoming(ReadOnlySpan<float> weight, int outputs, int inputs, Span<double> importance)
    {
        for (var j = 0; j < outputs; j++)
        {
            double sum = 0;
            foreach (var w in weight.Slice(j * inputs, inputs)) sum += Math.Abs(w);
            importance[j] += sum;
        }
    }

    /// <summary>Importance from outgoing weights: <paramref name="nextWeight"/> is the next layer's [nextOutputs, outputs]; adds Σ_k |w_kj| into importance[j].</summary>
    public static void AddOutgoing(ReadOnlySpan<float> nextWeight, int nextOutputs, int outputs, Span<double> importance)
    {
        for (var k = 0; k < nextOutputs; k++)
        {
            var row = nextWeight.Slice(k * outputs, outputs);
            for (var j = 0; j < outputs; j++) importance[j] += Math.Abs(row[j]);
        }
    }

    /// <summary>M_j = max(1, 2·I_j / max_k I_k); all ones where every importance is zero.</summary>
    public static float[] Factors(ReadOnlySpan<double> importance)
    {
        var max = 0.0;
        foreach (var i in importance) max = Math.Max(max, i);
        var m = new float[importance.Length];
        for (var j = 0; j < m.Length; j++) m[j] = max > 0 ? (float)Math.Max(1.0, 2.0 * importance[j] / max) : 1f;
        return m;
    }

    /// <summary>Scales row j of a [rows, columns] gradient (and element j of a bias gradient) by M_j.</summary>
    public static void ScaleRows(Span<float> gradient, int rows, int columns, ReadOnlySpan<float> factors)
    {
        for (var j = 0; j < rows; j++)
            foreach (ref var g in gradient.Slice(j * columns, columns)) g *= factors[j];
    }
}
