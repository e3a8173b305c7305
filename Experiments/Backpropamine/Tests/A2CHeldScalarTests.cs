using SpikeSim.Learning.Torch;
using SpikeSim.Tests.Support;
using TorchSharp;
using Xunit;

namespace SpikeSim.Experiments.Backpropamine.Tests;

/// <summary>Runs alone: the finalizer count is process-wide.</summary>
[CollectionDefinition(nameof(A2CHeldScalarTests), DisableParallelization = true)]
public sealed class A2CHeldScalarCollection;

/// <summary>
/// An A2C episode leaves no TorchSharp <see cref="Scalar"/> to the finalizer (see <see cref="HeldScalars"/>): a CI run of
/// Backpropamine on two workers once crashed inside <c>Episode</c>, in libtorch's <c>add</c>, reading an implicit alpha
/// the garbage collector had freed.
/// </summary>
[Collection(nameof(A2CHeldScalarTests))]
public sealed class A2CHeldScalarTests
{
    [Fact]
    public void Episodes_of_every_variant_leave_no_scalar_to_the_finalizer()
    {
        using var counter = new FinalizationCounter(typeof(Scalar));
        foreach (var variant in Enum.GetValues<BackpropamineVariant>())
        {
            using var trainer = new A2CTrainer(variant.Rule(), cues: 2, seed: 3, new A2CSettings(Hidden: 8, Batch: 4));
            trainer.Episode(0);
            trainer.Episode(1);
        }
        Assert.Equal(0, counter.Finalized());
    }
}
