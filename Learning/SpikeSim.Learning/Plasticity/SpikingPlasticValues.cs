namespace SpikeSim.Learning.Plasticity;

/// <summary>
/// Every learned number of a <see cref="SpikingPlasticRnn"/>, row-major with rows postsynaptic: input_weight
/// [N, I], bias [N], recurrent_weight W [N, N], alpha [N, N], eta, readout_weight [K, N] and readout_bias [K]
/// with K = actions + 2 (the policy logits, the value, the modulator's pre-activation). alpha and eta are
/// carried for every variant; a variant that does not use them ignores them.
/// </summary>
public sealed record SpikingPlasticValues(float[] InputWeight, float[] Bias, float[] RecurrentWeight, float[] Alpha, float Eta,
    float[] ReadoutWeight, float[] ReadoutBias);
