namespace SpikeSim.Learning.Plasticity;

/// <summary>
/// How the plastic component P of a <see cref="SpikingPlasticRnn"/> changes, given the Hebbian term
/// z(t) ⊗ z(t−1) of the spike traces: the spiking counterparts of Backpropamine's variants. The retroactive
/// variant (an eligibility trace E between Hebb and P) exists on the TorchSharp path only.
/// </summary>
public abstract record SpikingPlasticVariant
{
    /// <summary>The variant's name, for output.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the recurrent weights have a plastic part α ⊙ P.</summary>
    public virtual bool IsPlastic => true;

    /// <summary>Whether M(t) = tanh(w_M·z(t) + b_M) comes from the network (else M = η, one learned scalar).</summary>
    public virtual bool IsModulated => false;

    /// <summary>The three, in the paper's order.</summary>
    public static IReadOnlyList<SpikingPlasticVariant> All { get; } = [new NonPlasticSpiking(), new HebbianSpiking(), new ModulatedSpiking()];
}

/// <summary>A recurrent LIF network with fixed (trained) weights W: no P.</summary>
public sealed record NonPlasticSpiking : SpikingPlasticVariant
{
    /// <inheritdoc />
    public override string Name => "none";

    /// <inheritdoc />
    public override bool IsPlastic => false;
}

/// <summary>P ← clip(P + η·z(t) ⊗ z(t−1), −1, 1), η one learned scalar.</summary>
public sealed record HebbianSpiking : SpikingPlasticVariant
{
    /// <inheritdoc />
    public override string Name => "plastic";
}

/// <summary>P ← clip(P + M(t)·z(t) ⊗ z(t−1), −1, 1), M(t) = tanh(w_M·z(t) + b_M) read out of the network.</summary>
public sealed record ModulatedSpiking : SpikingPlasticVariant
{
    /// <inheritdoc />
    public override string Name => "modulated";

    /// <inheritdoc />
    public override bool IsModulated => true;
}
