using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Torch.Plasticity;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Experiments.Backpropamine.Tests;

/// <summary>Each variant name chooses the matching rule on both paths; the spiking path refuses the retroactive one.</summary>
public sealed class BackpropamineVariantTests
{
    [Theory]
    [InlineData(BackpropamineVariant.None, typeof(NonPlastic), typeof(NonPlasticSpiking))]
    [InlineData(BackpropamineVariant.Plastic, typeof(HebbianPlastic), typeof(HebbianSpiking))]
    [InlineData(BackpropamineVariant.Modulated, typeof(Modulated), typeof(ModulatedSpiking))]
    public void Each_variant_chooses_its_rule_on_both_paths(BackpropamineVariant variant, Type ann, Type snn)
    {
        Assert.IsType(ann, variant.Rule());
        Assert.IsType(snn, variant.Spiking());
        Assert.Equal(variant.Rule().Name, variant.Spiking().Name);
    }

    [Fact]
    public void Retroactive_is_refused_on_the_spiking_path()
    {
        Assert.IsType<Retroactive>(BackpropamineVariant.Retroactive.Rule());
        var e = Assert.Throws<InvalidParameterException>(() => BackpropamineVariant.Retroactive.Spiking());
        Assert.Contains("--path ann", e.Message);
        Assert.DoesNotContain(BackpropamineVariant.Retroactive, BackpropamineVariants.OnSpikingPath);
    }
}
