using TorchSharp;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch;

/// <summary>
/// Identity in the forward pass; in the backward pass multiplies the incoming gradient by per-node factors
/// (broadcast over the batch): the hook through which propagating GRAPES modulates a layer's error before
/// it reaches the layer's weights and the layers below.
/// </summary>
public sealed class ErrorModulation : autograd.SingleTensorFunction<ErrorModulation>
{
    public override string Name => "SpikeSimErrorModulation";

    /// <summary>Applies the modulation to <paramref name="preActivation"/> with factors [nodes].</summary>
    public static Tensor Apply(Tensor preActivation, Tensor factors) => apply(preActivation, factors);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([((Tensor)vars[1]).detach()]);
        return x.alias();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var factors = ctx.get_saved_variables()[0];
        return [gradOutput * factors, null!];
    }
}
