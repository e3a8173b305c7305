namespace SpikeSim.Learning.Plasticity;

/// <summary>
/// The evolved numbers of one matrix's decomposed rule (Wang et al. 2022), for export: ΔW_ij = A_ij·post_i·pre_j +
/// B_ij·post_i + C_ij·pre_j + D_ij with A_ij = APost_i·APre_j (likewise B, C, D), and the modulation readout
/// m = sigmoid(ModulationWeight·post + ModulationBias).
/// </summary>
public sealed record DecomposedRuleValues(
    float[] APost, float[] APre, float[] BPost, float[] BPre, float[] CPost, float[] CPre, float[] DPost, float[] DPre,
    float[] ModulationWeight, float ModulationBias);
