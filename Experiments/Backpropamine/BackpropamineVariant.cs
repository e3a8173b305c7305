using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Torch.Plasticity;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>The variants of Backpropamine's figure 1, as <c>meta backpropamine --variant</c> names them.</summary>
public enum BackpropamineVariant
{
    /// <summary>A plain recurrent network: no plastic part.</summary>
    None,

    /// <summary>P ← clip(P + η·Hebb, −1, 1), η one learned scalar.</summary>
    Plastic,

    /// <summary>P ← clip(P + M(t)·Hebb, −1, 1), M(t) read out of the network.</summary>
    Modulated,

    /// <summary>P ← clip(P + M(t)·E, −1, 1), E an eligibility trace of Hebb (the ANN path only).</summary>
    Retroactive,
}

/// <summary>Each variant's rule on the two paths, chosen in this one place.</summary>
public static class BackpropamineVariants
{
    /// <summary>The TorchSharp layer's rule.</summary>
    public static PlasticityRule Rule(this BackpropamineVariant variant) => variant switch
    {
        BackpropamineVariant.None => new NonPlastic(),
        BackpropamineVariant.Plastic => new HebbianPlastic(),
        BackpropamineVariant.Modulated => new Modulated(),
        BackpropamineVariant.Retroactive => new Retroactive(),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>The spiking network's rule; the retroactive variant has none there and is refused.</summary>
    public static SpikingPlasticVariant Spiking(this BackpropamineVariant variant) => variant switch
    {
        BackpropamineVariant.None => new NonPlasticSpiking(),
        BackpropamineVariant.Plastic => new HebbianSpiking(),
        BackpropamineVariant.Modulated => new ModulatedSpiking(),
        BackpropamineVariant.Retroactive => throw new InvalidParameterException(
            $"The retroactive variant exists on the ANN path only (--path ann); on --path snn choose {OptionName.Choices(OnSpikingPath.Select(v => OptionName.Of(v)).ToArray())}."),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>The variants the spiking path runs, in the paper's order.</summary>
    public static IReadOnlyList<BackpropamineVariant> OnSpikingPath { get; } = [BackpropamineVariant.None, BackpropamineVariant.Plastic, BackpropamineVariant.Modulated];
}
