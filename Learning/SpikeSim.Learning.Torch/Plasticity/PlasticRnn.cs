using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Plasticity;

/// <summary>The state a Backpropamine network carries through an episode: h, P and E (zero at its start).</summary>
public sealed record PlasticState(Tensor H, Tensor P, Tensor E);

/// <summary>
/// A Backpropamine recurrent network (Miconi et al. 2019), row = postsynaptic:
/// <code>
/// h(t)   = tanh(W_in·x(t) + b + (W + α ⊙ P(t))·h(t−1))
/// π, V   = softmax(W_π·h(t) + b_π), W_V·h(t) + b_V
/// M(t)   = tanh(w_M·h(t) + b_M)                       (modulated variants)
/// P, E   ← the <see cref="PlasticityRule"/>'s update with Hebb(t) = h(t) ⊗ h(t−1)
/// </code>
/// in that order within a step. W and α start at 0.01·U[0, 1); everything, η and the modulator included, is
/// learned by backpropagation through the whole episode.
/// </summary>
public sealed class PlasticRnn : nn.Module
{
    private readonly Linear _input, _policy, _value, _modulator;
    private readonly Parameter _w, _alpha, _eta;

    public PlasticRnn(int inputs, int hidden, int actions, PlasticityRule rule) : base("plastic_rnn")
    {
        Rule = rule;
        Hidden = hidden;
        _input = nn.Linear(inputs, hidden);
        _policy = nn.Linear(hidden, actions);
        _value = nn.Linear(hidden, 1);
        _modulator = nn.Linear(hidden, 1);
        using var scale = 0.01.ToScalar();
        _w = nn.Parameter(scale * rand(hidden, hidden));
        _alpha = nn.Parameter(scale * rand(hidden, hidden));
        _eta = nn.Parameter(tensor(0.01f));
        RegisterComponents();
    }

    public PlasticityRule Rule { get; }
    public int Hidden { get; }

    /// <summary>W (recurrent), α (plasticity coefficients), η, and the modulator readout, for export and tests.</summary>
    public (Tensor W, Tensor Alpha, Tensor Eta, Linear Modulator, Linear Input) Parts => (_w, _alpha, _eta, _modulator, _input);

    /// <summary>h, P and E at the start of an episode.</summary>
    public PlasticState Initial(int batch) => new(zeros(batch, Hidden), zeros(batch, Hidden, Hidden), zeros(batch, Hidden, Hidden));

    /// <summary>One step: policy logits [batch, actions], value [batch], modulator [batch] (zeros if unused) and the next state.</summary>
    public (Tensor Logits, Tensor Value, Tensor Modulator, PlasticState Next) Step(Tensor x, PlasticState s)
    {
        var recurrent = Rule.IsPlastic ? _w.add(_alpha * s.P, HeldScalars.One) : _w.expand(s.P.shape);
        var h = tanh(_input.forward(x).add(bmm(recurrent, s.H.unsqueeze(2)).squeeze(2), HeldScalars.One));
        var logits = _policy.forward(h);
        var value = _value.forward(h).squeeze(1);
        var m = Rule.IsModulated ? tanh(_modulator.forward(h)) : zeros(h.shape[0], 1);
        if (!Rule.IsPlastic) return (logits, value, m.squeeze(1), s with { H = h });
        var hebb = bmm(h.unsqueeze(2), s.H.unsqueeze(1));
        var (p, e) = Rule.Update(s.P, s.E, hebb, _eta, Rule.IsModulated ? m.unsqueeze(2) : null);
        return (logits, value, m.squeeze(1), new PlasticState(h, p, e));
    }
}
