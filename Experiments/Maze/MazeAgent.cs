using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;
using SpikeSim.Simulator.LinearAlgebra;
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
    public override int Lanes => Vector256<float>.Count;

    /// <inheritdoc />
    protected override IMazeController Begin(IReadOnlyList<double[]> thetas) => new Controller(this, thetas);

    /// <summary>
    /// Up to 8 agents in lockstep, one per lane of a <see cref="Vector256{T}"/>: every number below is 8 numbers, one per
    /// lifetime, and every operation acts on each lane alone (lanes never mix), so a lifetime's bits do not depend on its
    /// neighbours or on how many lanes are used. The weight matrices and their rules are <see cref="ILaneMatrix"/>s;
    /// tanh and the modulation's exp are <see cref="LaneMath"/>'s, the same on every machine.
    /// </summary>
    private sealed class Controller : IMazeController
    {
        private readonly int _n, _readouts;
        private readonly Vector256<float>[] _b, _wo, _bo, _h, _hPrevious, _x;
        private readonly ILaneMatrix _wh, _wx;

        public Controller(MazeAgent agent, IReadOnlyList<double[]> thetas)
        {
            int n = agent.Hidden;
            (_n, _readouts) = (n, agent.Policy.Readouts);
            var readers = thetas.Select(t => new ParameterReader(t)).ToArray();
            (_b, _wo, _bo) = (LaneVectors.Take(readers, n), LaneVectors.Take(readers, _readouts * n), LaneVectors.Take(readers, _readouts));
            (_wh, _wx) = agent.Kind == MazeAgentKind.NonPlastic
                ? (LaneMatrix.Fixed(readers, n, n), LaneMatrix.Fixed(readers, n, Inputs))
                : (LaneMatrix.Plastic(agent.Kind == MazeAgentKind.Decomposed, readers, n, n), LaneMatrix.Plastic(agent.Kind == MazeAgentKind.Decomposed, readers, n, Inputs));
            (_h, _hPrevious, _x) = (new Vector256<float>[n], new Vector256<float>[n], new Vector256<float>[Inputs]);
            if (readers.Any(p => !p.AtEnd)) throw new InvalidOperationException("The controller did not read the whole parameter vector: ParameterCount is wrong.");
        }

        public void Step(ReadOnlySpan<float> observations, Span<float> readouts)
        {
            var lanes = Vector256<float>.Count;
            for (var j = 0; j < Inputs; j++) _x[j] = Vector256.Create(observations.Slice(j * lanes, lanes));
            Array.Copy(_h, _hPrevious, _n);
            Array.Copy(_b, _h, _n);
            _wh.MultiplyAdd(_hPrevious, _h);
            _wx.MultiplyAdd(_x, _h);
            LaneMath.Tanh(_h);
            _wh.Learn(_h, _hPrevious, Rate);
            _wx.Learn(_h, _x, Rate);
            for (var a = 0; a < _readouts; a++)
            {
                var sum = _bo[a];
                for (var r = 0; r < _n; r++) sum = Vector256.FusedMultiplyAdd(_wo[a * _n + r], _h[r], sum);
                sum.CopyTo(readouts[(a * lanes)..]);
            }
        }
    }
}
