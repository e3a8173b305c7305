using static SpikeSim.Learning.Torch.HeldScalars;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Plasticity;

/// <summary>
/// How the plastic component P (and the eligibility trace E) of a Backpropamine layer changes after each step
/// (Miconi et al. 2019), given Hebb(t) = h(t) ⊗ h(t−1) (row = postsynaptic), the learned rate η and the
/// network's own modulator M(t). One type per variant.
/// </summary>
public abstract record PlasticityRule
{
    /// <summary>The variant's name, for output.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the layer uses P at all (the non-plastic RNN does not).</summary>
    public virtual bool IsPlastic => true;

    /// <summary>Whether the layer computes a modulator M(t) = tanh(w_M·h(t) + b_M).</summary>
    public virtual bool IsModulated => false;

    /// <summary>The new (P, E) after a step; <paramref name="modulator"/> is [batch, 1, 1] or null.</summary>
    public abstract (Tensor P, Tensor E) Update(Tensor p, Tensor e, Tensor hebb, Tensor eta, Tensor? modulator);

    /// <summary>All four, in the paper's order.</summary>
    public static IReadOnlyList<PlasticityRule> All { get; } = [new NonPlastic(), new HebbianPlastic(), new Modulated(), new Retroactive()];
}

/// <summary>A plain RNN: no plastic component.</summary>
public sealed record NonPlastic : PlasticityRule
{
    public override string Name => "none";
    public override bool IsPlastic => false;
    public override (Tensor P, Tensor E) Update(Tensor p, Tensor e, Tensor hebb, Tensor eta, Tensor? modulator) => (p, e);
}

/// <summary>P ← clip(P + η·Hebb, −1, 1), η one learned scalar.</summary>
public sealed record HebbianPlastic : PlasticityRule
{
    public override string Name => "plastic";
    public override (Tensor P, Tensor E) Update(Tensor p, Tensor e, Tensor hebb, Tensor eta, Tensor? modulator)
        => (clamp(p.add(eta * hebb, One), MinusOne, One), e);
}

/// <summary>Simple neuromodulation: P ← clip(P + M(t)·Hebb, −1, 1).</summary>
public sealed record Modulated : PlasticityRule
{
    public override string Name => "modulated";
    public override bool IsModulated => true;
    public override (Tensor P, Tensor E) Update(Tensor p, Tensor e, Tensor hebb, Tensor eta, Tensor? modulator)
        => (clamp(p.add(modulator! * hebb, One), MinusOne, One), e);
}

/// <summary>
/// Retroactive neuromodulation: P ← clip(P + M(t)·E, −1, 1) with E from before this step, then
/// E ← (1 − η)·E + η·Hebb(t): an eligibility trace that the modulator turns into weight change later.
/// </summary>
public sealed record Retroactive : PlasticityRule
{
    public override string Name => "retroactive";
    public override bool IsModulated => true;
    public override (Tensor P, Tensor E) Update(Tensor p, Tensor e, Tensor hebb, Tensor eta, Tensor? modulator)
        => (clamp(p.add(modulator! * e, One), MinusOne, One), (eta.neg().add(One, One) * e).add(eta * hebb, One));
}
