namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// The evolved numbers of one matrix's decomposed rule (Wang et al. 2022): ΔW_ij = A_ij·post_i·pre_j +
/// B_ij·post_i + C_ij·pre_j + D_ij with A_ij = APost_i·APre_j (likewise B, C, D), and the modulation readout
/// m = sigmoid(ModulationWeight·post + ModulationBias). Post vectors have one value per postsynaptic neuron, pre
/// vectors one per presynaptic neuron (or input).
/// </summary>
public sealed record DecomposedRuleValues(
    float[] APost, float[] APre, float[] BPost, float[] BPre, float[] CPost, float[] CPre, float[] DPost, float[] DPre,
    float[] ModulationWeight, float ModulationBias);

/// <summary>The checks of a <see cref="DecomposedRuleValues"/>.</summary>
public static class DecomposedRuleChecks
{
    /// <summary>(post, pre): the lengths of the post and pre vectors; refuses unequal lengths or a value that is not finite.</summary>
    public static (int Post, int Pre) Shape(this DecomposedRuleValues v)
    {
        var (post, pre) = (v.APost.Length, v.APre.Length);
        foreach (var (name, values, length) in new[] { ("b_post", v.BPost, post), ("c_post", v.CPost, post), ("d_post", v.DPost, post),
                     ("modulation_weight", v.ModulationWeight, post), ("b_pre", v.BPre, pre), ("c_pre", v.CPre, pre), ("d_pre", v.DPre, pre) })
            if (values.Length != length)
                throw new Errors.InvalidParameterException($"The decomposed rule's {name} has {values.Length} values; its {(length == post ? "a_post" : "a_pre")} has {length}.");
        foreach (var values in new[] { v.APost, v.APre, v.BPost, v.BPre, v.CPost, v.CPre, v.DPost, v.DPre, v.ModulationWeight, [v.ModulationBias] })
            if (values.Any(x => !float.IsFinite(x))) throw new Errors.InvalidParameterException("The decomposed rule's coefficients must be finite.");
        return (post, pre);
    }
}
