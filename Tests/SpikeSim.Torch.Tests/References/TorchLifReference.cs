using SpikeSim.Learning.Torch;
using TorchSharp;
using SpikeSim.Learning.Layers;
using static SpikeSim.Learning.Torch.HeldScalars;
using static TorchSharp.torch;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Tests.Torch.References;

/// <summary>
/// A two-layer SNN written in TorchSharp, used as the autograd reference for SpikeSim's BPTT kernels:
/// Linear → LIF (the scan of <see cref="ISpikingCell"/> with b = 0, reset by subtraction and detached from
/// the gradient) → Linear → LI readout, spikes through <see cref="FastSigmoidSpike"/>. Autograd then computes
/// the gradients that SpikeSim's hand-written reverse scans must reproduce.
/// </summary>
public static class TorchLifReference
{
    /// <summary>Parameters of the two layers (row-major [out, in] weights) and their constants.</summary>
    public sealed record Network(float[] W1, float[] B1, float[] W2, float[] B2, int Inputs, int Hidden, int Outputs,
        AdaptiveLifConstants Lif, float ReadoutBeta, float Slope);

    /// <summary>
    /// The gradients (W1, B1, W2, B2) of L = Σ c[t,b,k]·y[t,b,k] for input x[t,b,i] (both flattened,
    /// steps × batch × width), computed by torch autograd in float32.
    /// </summary>
    public static float[][] Gradients(Network n, float[] input, float[] coefficients, int steps, int batch)
    {
        using var scope = NewDisposeScope();
        var w1 = tensor(n.W1).reshape(n.Hidden, n.Inputs).requires_grad_();
        var b1 = tensor(n.B1).requires_grad_();
        var w2 = tensor(n.W2).reshape(n.Outputs, n.Hidden).requires_grad_();
        var b2 = tensor(n.B2).requires_grad_();
        var x = tensor(input).reshape(steps, batch, n.Inputs);
        var c = tensor(coefficients).reshape(steps, batch, n.Outputs);
        var u = zeros(batch, n.Hidden);
        var s = zeros(batch, n.Hidden);
        var y = zeros(batch, n.Outputs);
        var loss = zeros(1);
        // Held Scalars, and add(…, One) for + (see HeldScalars): the same values the implicit conversions made.
        using var beta = n.Lif.MembraneDecay.ToScalar();
        using var threshold = n.Lif.Threshold.ToScalar();
        using var readoutBeta = n.ReadoutBeta.ToScalar();
        for (var t = 0; t < steps; t++)
        {
            var h = x[t].matmul(w1.t()).add(b1, One);
            u = (u * beta).add(h, One) - s.detach() * threshold;
            s = FastSigmoidSpike.Apply(u - threshold, n.Slope);
            y = (y * readoutBeta).add(s.matmul(w2.t()), One).add(b2, One);
            loss = loss.add((c[t] * y).sum(), One);
        }
        loss.backward();
        return [Flat(w1), Flat(b1), Flat(w2), Flat(b2)];

        static float[] Flat(Tensor p) => p.grad!.contiguous().data<float>().ToArray();
    }
}
