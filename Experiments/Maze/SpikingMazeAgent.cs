using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// The decomposed plasticity rule on spiking neurons. Each maze step is <see cref="Substeps"/> steps of 1 ms of
/// recurrent LIF neurons (the simulator's <see cref="Lif"/> step, τ = 10 ms, θ = 1, reset to 0):
/// <code>
/// current_i = b_i + Σ_j W_x[i, j]·x_j                 (the observation held for the maze step)
/// input_i   = Σ_j W_h[i, j]·s_j(previous ms)          (recurrent spikes, delta synapses)
/// z_i      ← λ·z_i + s_i                                (postsynaptic spike trace, τ_trace = 5 ms)
/// </code>
/// At the end of the maze step the logits are W_o·z + b_o, and each plastic matrix takes one step of the simulator's
/// <see cref="DecomposedStdp"/> rule with dt = its update interval (one maze step): its eligibility takes the decomposed
/// Hebbian term of the traces, E_ij ← E_ij + A_ij·z_i·pre_j + B_ij·z_i + C_ij·pre_j + D_ij (pre = z of the previous
/// maze step for W_h, the observation for W_x; A_ij = a^post_i·a^pre_j and likewise), then
/// W ← clip(W + η·m·E, ±<see cref="WeightBound"/>) with the third factor m = sigmoid(w_m·z + b_m) read out of the
/// network, and E decays with τ_c = 2 maze steps (<see cref="DecomposedStdp.StepRow"/>, the engine's host form).
/// The matrices are stored by presynaptic row, as the engine's projections are. W_h and W_x start at 0 each lifetime;
/// b, W_o, b_o, the rule's vectors and the modulation readouts are evolved (as many numbers as
/// <see cref="MazeAgentKind.Decomposed"/>).
/// </summary>
public sealed class SpikingMazeAgent : MazeLearner
{
    /// <summary>Simulated milliseconds per maze step.</summary>
    public const int Substeps = 5;

    /// <summary>Plastic weights stay within ±this bound.</summary>
    public const float WeightBound = 4f;

    /// <summary>Time constant of the spike traces z that the readout and the rule see.</summary>
    public const double TraceTauMs = 5;

    /// <summary>τ_c of the rule's eligibility: two maze steps.</summary>
    public const double EligibilityTauMs = 2 * Substeps;

    /// <summary>η per ms: one update per maze step moves w by 0.2·m·E, the rate of the ANN agent.</summary>
    public const double LearningRate = 0.2 / Substeps;

    /// <summary>The rule's constants for one step of one maze step (they do not depend on the evolved coefficients, which are not checked per lifetime).</summary>
    private static readonly DecomposedConstants RuleConstants = Rule(new DecomposedRuleValues([], [], [], [], [], [], [], [], [], 0)).Discretize(Substeps);

    private readonly LifConstants _neuron;
    private readonly float _traceDecay;

    /// <summary>A spiking agent that samples softmax(logits) (the policy its model-file form knows).</summary>
    public SpikingMazeAgent(int hidden) : base(new SoftmaxPolicy())
    {
        Hidden = hidden;
        _neuron = Neuron.Discretize(1.0);
        _traceDecay = (float)Discretization.Decay(1, TraceTauMs);
    }

    public int Hidden { get; }

    /// <summary>The recurrent neurons, stepped at 1 ms.</summary>
    public Lif Neuron { get; } = new(TauMs: 10, VThreshold: 1, VReset: 0);

    /// <summary>The rule a plastic matrix with <paramref name="coefficients"/> learns by, updated once per maze step.</summary>
    public static DecomposedStdp Rule(DecomposedRuleValues coefficients)
        => new(coefficients, UpdateIntervalMs: Substeps, EligibilityTauMs, LearningRate, WMin: -WeightBound, WMax: WeightBound, PreTauMs: TraceTauMs, PostTauMs: TraceTauMs);

    /// <summary>The evolved numbers of <paramref name="theta"/>, by name, for export.</summary>
    public SpikingMazeParameters Describe(ReadOnlySpan<double> theta)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"The spiking agent takes {ParameterCount} parameters, not {theta.Length}.");
        var p = new ParameterReader(theta);
        var n = Hidden;
        var (b, wo, bo) = (p.Take(n), p.Take(Actions * n), p.Take(Actions));
        var (rh, rx) = (new PlasticityCoefficients(true, p, n, n), new PlasticityCoefficients(true, p, n, Inputs));
        if (!p.AtEnd) throw new InvalidOperationException("The agent did not read the whole parameter vector: ParameterCount is wrong.");
        return new SpikingMazeParameters(b, wo, bo, rh.ToValues(), rx.ToValues());
    }

    /// <inheritdoc />
    public override int ParameterCount =>
        Hidden + Actions * Hidden + Actions + PlasticityCoefficients.Count(true, Hidden, Hidden) + PlasticityCoefficients.Count(true, Hidden, Inputs);

    /// <inheritdoc />
    protected override IMazeController Begin(IReadOnlyList<double[]> thetas) => new Controller(this, Describe(thetas[0]));

    private sealed class Controller : IMazeController
    {
        private readonly SpikingMazeAgent _agent;
        private readonly int _n;
        private readonly float[] _b, _wo, _bo, _wh, _wx, _eh, _ex, _z, _zPrevious, _spikes, _current;
        private readonly LifState[] _state;
        private readonly DecomposedRuleValues _rh, _rx;

        public Controller(SpikingMazeAgent agent, SpikingMazeParameters p)
        {
            _agent = agent;
            var n = _n = agent.Hidden;
            (_b, _wo, _bo) = (p.Bias, p.ReadoutWeight, p.ReadoutBias);
            (_rh, _rx) = (p.Recurrent, p.Input);
            // By presynaptic row: W_h [pre n, post n], W_x [input, post n].
            (_wh, _wx, _eh, _ex) = (new float[n * n], new float[Inputs * n], new float[n * n], new float[Inputs * n]);
            (_z, _zPrevious, _spikes, _current) = (new float[n], new float[n], new float[n], new float[n]);
            _state = new LifState[n];
        }

        public void Step(ReadOnlySpan<float> x, Span<float> logits)
        {
            var n = _n;
            Array.Copy(_z, _zPrevious, n);
            // current_i = b_i + Σ_j W_x[i, j]·x_j, each sum in order of j.
            Array.Copy(_b, _current, n);
            for (var j = 0; j < Inputs; j++)
                for (var i = 0; i < n; i++) _current[i] += _wx[j * n + i] * x[j];
            Span<float> input = stackalloc float[n];
            for (var ms = 0; ms < Substeps; ms++)
            {
                // Event-driven delivery of last millisecond's spikes through W_h (row j per spike).
                input.Clear();
                for (var j = 0; j < n; j++)
                    if (_spikes[j] != 0f)
                        for (var i = 0; i < n; i++) input[i] += _wh[j * n + i];
                for (var i = 0; i < n; i++)
                {
                    _spikes[i] = Lif.Step(ref _state[i], _agent._neuron, input[i], _current[i]) ? 1f : 0f;
                    _z[i] = _agent._traceDecay * _z[i] + _spikes[i];
                }
            }
            for (var a = 0; a < Actions; a++)
            {
                var sum = _bo[a];
                for (var i = 0; i < n; i++) sum += _wo[a * n + i] * _z[i];
                logits[a] = sum;
            }
            Learn(_rh, _wh, _eh, _zPrevious);
            Learn(_rx, _wx, _ex, x);
        }

        // One step of the decomposed rule (dt = one maze step) over a matrix, row by presynaptic row.
        private void Learn(DecomposedRuleValues rule, float[] w, float[] eligibility, ReadOnlySpan<float> pre)
        {
            var n = _n;
            var m = DecomposedStdp.Modulation(rule.ModulationWeight, rule.ModulationBias, _z);
            var post = new DecomposedPostSide(rule.APost, rule.BPost, rule.CPost, rule.DPost, _z);
            for (var j = 0; j < pre.Length; j++)
                DecomposedStdp.StepRow(RuleConstants, post, new DecomposedPreSide(rule.APre[j], rule.BPre[j], rule.CPre[j], rule.DPre[j], pre[j]), m,
                    w.AsSpan(j * n, n), eligibility.AsSpan(j * n, n));
        }
    }
}

/// <summary>
/// An evolved spiking maze agent's numbers: the bias current b [hidden], the readout W_o [4, hidden] and b_o [4], and
/// the decomposed rules of W_h (post and pre: the neurons' traces) and W_x (post: traces; pre: the observation).
/// </summary>
public sealed record SpikingMazeParameters(float[] Bias, float[] ReadoutWeight, float[] ReadoutBias, DecomposedRuleValues Recurrent, DecomposedRuleValues Input)
{
    /// <summary>The parameter vector these numbers came from (<see cref="SpikingMazeAgent.Describe"/> reads it in this order).</summary>
    public double[] ToVector()
    {
        static IEnumerable<float> Rule(DecomposedRuleValues r) =>
            [.. r.APost, .. r.APre, .. r.BPost, .. r.BPre, .. r.CPost, .. r.CPre, .. r.DPost, .. r.DPre, .. r.ModulationWeight, r.ModulationBias];
        return [.. Bias.Concat(ReadoutWeight).Concat(ReadoutBias).Concat(Rule(Recurrent)).Concat(Rule(Input)).Select(v => (double)v)];
    }
}

