using SpikeSim.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SpikeSim.Tests.Torch.References;

/// <summary>
/// The spike nonlinearity as a custom autograd function: forward H(x) (1 where x &gt; 0), backward the
/// SuperSpike fast-sigmoid surrogate σ′(x) = 1/(1 + k|x|)² — the same surrogate as
/// <see cref="SpikeSim.Learning.Surrogates.FastSigmoid"/>, written again in torch operations.
/// </summary>
public sealed class FastSigmoidSpike : autograd.SingleTensorFunction<FastSigmoidSpike>
{
    public override string Name => "SpikeSimFastSigmoidSpike";

    /// <summary>H(<paramref name="margin"/>) with the surrogate gradient of slope <paramref name="slope"/>.</summary>
    public static Tensor Apply(Tensor margin, float slope) => apply(margin, slope);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x.detach()]);
        ctx.save_data("slope", (float)vars[1]);
        return x.gt(HeldScalars.Zero).to_type(x.dtype);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var x = ctx.get_saved_variables()[0];
        using var k = ((float)ctx.get_data("slope")).ToScalar();
        var d = x.abs().mul(k).add(HeldScalars.One);
        return [gradOutput / (d * d), null!];
    }
}
