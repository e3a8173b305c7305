using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>The three agents of the maze experiment.</summary>
public enum MazeAgentKind
{
    /// <summary>Plastic W_h, W_x from zero with rank-1 decomposed A, B, C, D (Wang et al. 2022).</summary>
    Decomposed,

    /// <summary>Plastic, with full A, B, C, D matrices.</summary>
    Full,

    /// <summary>A plain RNN whose weights are evolved directly.</summary>
    NonPlastic,
}

/// <summary>
/// A recurrent agent (Wang et al. 2022): h(t) = tanh(W_h·h(t−1) + W_x·x(t) + b), readout W_o·h + b_o (the 4 move
/// logits, and the gate where the <see cref="ActionPolicyKind"/> reads one). Plastic
/// kinds start W_h = W_x = 0 each lifetime and change them after every step by W ← W + 0.2·m·ΔW with
/// ΔW_ij = A_ij·post_i·pre_j + B_ij·post_i + C_ij·pre_j + D_ij and m = sigmoid(w_m·h + b_m), one modulation per
/// matrix ("after-mod"), no clip and no decay; decomposed: A_ij = a^post_i·a^pre_j (likewise B, C, D). The
/// non-plastic RNN evolves W_h and W_x directly. Observation and lifetime: <see cref="MazeLearner"/>.
/// </summary>
public sealed class MazeAgent(MazeAgentKind kind, int hidden, ActionPolicyKind policy = ActionPolicyKind.Softmax)
    : MazeLearner(ActionPolicy.Create(policy))
{
    private const float Rate = 0.2f;

    public MazeAgentKind Kind { get; } = kind;
    public int Hidden { get; } = hidden;

    /// <inheritdoc />
    public override int ParameterCount
    {
        get
        {
            int n = Hidden, i = Inputs;
            var readouts = Policy.Readouts;
            var common = n + readouts * n + readouts; // b, W_o, b_o
            return Kind switch
            {
                MazeAgentKind.NonPlastic => common + n * n + n * i,
                _ => common + PlasticityCoefficients.Count(Kind == MazeAgentKind.Decomposed, n, n) + PlasticityCoefficients.Count(Kind == MazeAgentKind.Decomposed, n, i),
            };
        }
    }

    /// <inheritdoc />
    protected override IMazeController Begin(ReadOnlySpan<double> theta) => new Controller(this, new ParameterReader(theta));

    private sealed class Controller : IMazeController
    {
        private readonly int _n, _readouts;
        private readonly float[] _b, _wo, _bo, _wh, _wx, _h, _hPrevious;
        private readonly PlasticityCoefficients? _rh, _rx;

        public Controller(MazeAgent agent, ParameterReader p)
        {
            int n = agent.Hidden;
            (_n, _readouts) = (n, agent.Policy.Readouts);
            (_b, _wo, _bo) = (p.Take(n), p.Take(_readouts * n), p.Take(_readouts));
            if (agent.Kind == MazeAgentKind.NonPlastic)
            {
                (_wh, _wx) = (p.Take(n * n), p.Take(n * Inputs));
            }
            else
            {
                (_wh, _wx) = (new float[n * n], new float[n * Inputs]);
                _rh = new PlasticityCoefficients(agent.Kind == MazeAgentKind.Decomposed, p, n, n);
                _rx = new PlasticityCoefficients(agent.Kind == MazeAgentKind.Decomposed, p, n, Inputs);
            }
            (_h, _hPrevious) = (new float[n], new float[n]);
            if (!p.AtEnd) throw new InvalidOperationException("The controller did not read the whole parameter vector: ParameterCount is wrong.");
        }

        public void Step(ReadOnlySpan<float> x, Span<float> readout)
        {
            var n = _n;
            Array.Copy(_h, _hPrevious, n);
            for (var i = 0; i < n; i++)
            {
                var sum = _b[i];
                for (var j = 0; j < n; j++) sum += _wh[i * n + j] * _hPrevious[j];
                for (var j = 0; j < Inputs; j++) sum += _wx[i * Inputs + j] * x[j];
                _h[i] = MathF.Tanh(sum);
            }
            if (_rh is not null) Apply(_rh, _wh, _h, _hPrevious);
            if (_rx is not null) Apply(_rx, _wx, _h, x);
            for (var a = 0; a < _readouts; a++)
            {
                var sum = _bo[a];
                for (var i = 0; i < n; i++) sum += _wo[a * n + i] * _h[i];
                readout[a] = sum;
            }
        }

        private static void Apply(PlasticityCoefficients rule, float[] w, ReadOnlySpan<float> post, ReadOnlySpan<float> pre)
        {
            var m = rule.Modulation(post, Rate);
            for (var i = 0; i < post.Length; i++) rule.AddRow(i, post[i], pre, w.AsSpan(i * pre.Length, pre.Length), m);
        }
    }
}
