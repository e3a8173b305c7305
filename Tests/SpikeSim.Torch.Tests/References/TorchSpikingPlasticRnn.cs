using SpikeSim.Learning.Torch;
using TorchSharp;
using SpikeSim.Learning.Plasticity;
using static SpikeSim.Learning.Torch.HeldScalars;
using static TorchSharp.torch;

namespace SpikeSim.Tests.Torch.References;

/// <summary>
/// The equations of <see cref="SpikingPlasticRnn"/> written again in torch operations, so that autograd
/// differentiates them: the reference its hand-written backward pass is checked against. Spikes go through
/// <see cref="FastSigmoidSpike"/>.
/// </summary>
public static class TorchSpikingPlasticRnn
{
    /// <summary>
    /// The readout [T, B, K] of an episode on inputs <paramref name="x"/> [T, B, I], from parameters named as
    /// <see cref="SpikingPlasticRnn.Parameters"/> (input_weight, bias, recurrent_weight, alpha, eta, readout_weight, readout_bias).
    /// </summary>
    public static Tensor Heads(IReadOnlyDictionary<string, Tensor> p, Tensor x, SpikingPlasticVariant variant, SpikingPlasticSettings settings, int actions)
    {
        var (steps, batch) = (x.shape[0], x.shape[1]);
        var hidden = p["bias"].shape[0];
        // Held Scalars, and add(…, One) for + (see HeldScalars): the same values the implicit conversions made.
        using var beta = settings.MembraneDecay.ToScalar();
        using var lambda = settings.TraceDecay.ToScalar();
        using var theta = settings.Threshold.ToScalar();
        using var traceGain = (settings.TraceStep == TraceStep.Rate ? 1 - settings.TraceDecay : 1f).ToScalar();
        var v = zeros(batch, hidden);
        var s = zeros(batch, hidden);
        var z = zeros(batch, hidden);
        var plastic = zeros(batch, hidden, hidden);
        var heads = new List<Tensor>();
        for (var t = 0; t < steps; t++)
        {
            var recurrent = variant.IsPlastic ? p["recurrent_weight"].add(p["alpha"] * plastic, One) : p["recurrent_weight"].expand(batch, hidden, hidden);
            var u = x[t].matmul(p["input_weight"].t()).add(p["bias"], One).add(bmm(recurrent, z.unsqueeze(2)).squeeze(2), One);
            v = (beta * v).add(u, One) - theta * s;
            var zPrevious = z;
            s = FastSigmoidSpike.Apply(v - theta, settings.SurrogateSlope);
            z = (lambda * z).add(traceGain * s, One);
            var head = z.matmul(p["readout_weight"].t()).add(p["readout_bias"], One);
            heads.Add(head);
            if (!variant.IsPlastic) continue;
            var m = variant.IsModulated ? tanh(head[.., actions + 1]) : p["eta"].expand(batch);
            plastic = clamp(plastic.add(m.reshape(batch, 1, 1) * bmm(z.unsqueeze(2), zPrevious.unsqueeze(1)), One), MinusOne, One);
        }
        return stack(heads);
    }
}
