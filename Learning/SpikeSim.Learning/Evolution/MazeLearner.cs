using System.Numerics;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Evolution;

/// <summary>An agent's network during one lifetime: observation in, action logits out, learning as it goes.</summary>
public interface IMazeController
{
    /// <summary>Takes the observation of this step and writes the readout its policy chooses from (the logits of the 4 moves first).</summary>
    void Step(ReadOnlySpan<float> observation, Span<float> readout);
}

/// <summary>
/// A maze agent whose parameters evolution sets, living lifetimes in random mazes (Wang et al. 2022): the
/// observation is the 3×3 neighbourhood (wall 1, goal −1, free 0), the one-hot previous action and the previous
/// step's reward (so the agent can tell that it reached the goal and was put back at the start; Wang et al. list
/// only the first two); the agent's <see cref="Policy"/> chooses the move from its readout. Reward −0.01 a step, +1 at the goal; an
/// episode ends at the goal or after 200 steps; a lifetime is 8 episodes in one maze, restarting at the start,
/// with the network (and what it learned) carried across them.
/// </summary>
public abstract class MazeLearner(IActionPolicy policy)
{
    public const int Inputs = 14, Actions = 4, EpisodeSteps = 200, Episodes = 8;

    /// <summary>How the agent chooses a move from its readout; its readout has <see cref="IActionPolicy.Readouts"/> numbers.</summary>
    public IActionPolicy Policy { get; } = policy;

    /// <summary>Fitness weights of the 8 episodes (Wang et al.): later episodes count more.</summary>
    public static readonly double[] EpisodeWeights = [0, 0, 0.16, 0.22, 0.36, 0.64, 0.8, 1.0];

    /// <summary>Length of the parameter vector.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>The agent's network at the start of a lifetime, built from <paramref name="theta"/>.</summary>
    protected abstract IMazeController Begin(ReadOnlySpan<double> theta);

    /// <summary>Runs a lifetime; returns each episode's reward and steps.</summary>
    public (double[] Scores, int[] Steps) Lifetime(ReadOnlySpan<double> theta, Maze maze, ulong seed)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"{GetType().Name} takes {ParameterCount} parameters, not {theta.Length}.");
        var controller = Begin(theta);
        var rng = new Xoshiro256(seed);
        var x = new float[Inputs];
        var readout = new float[Policy.Readouts];
        var scores = new double[Episodes];
        var steps = new int[Episodes];
        var previousAction = -1;
        var previousReward = 0f;
        for (var e = 0; e < Episodes; e++)
        {
            var (r, c) = maze.Start;
            var score = 0.0;
            var t = 0;
            for (; t < EpisodeSteps; t++)
            {
                Observe(maze, r, c, previousAction, previousReward, x);
                controller.Step(x, readout);
                var action = Policy.Choose(readout, rng);
                previousAction = action;
                var (nr, nc) = (r + Maze.Moves[action].Dr, c + Maze.Moves[action].Dc);
                if (!maze.IsWall(nr, nc)) (r, c) = (nr, nc);
                score -= 0.01;
                previousReward = -0.01f;
                if ((r, c) == maze.Goal)
                {
                    score += 1;
                    previousReward += 1;
                    t++;
                    break;
                }
            }
            (scores[e], steps[e]) = (score, t);
        }
        return (scores, steps);
    }

    /// <summary>Σ_k w_k·score_k / Σ w_k − 1e-6·‖θ‖², averaged over <paramref name="mazes"/>.</summary>
    public double Fitness(ReadOnlySpan<double> theta, IReadOnlyList<Maze> mazes, ulong seed)
    {
        double total = 0;
        for (var m = 0; m < mazes.Count; m++)
        {
            var (scores, _) = Lifetime(theta, mazes[m], seed + (ulong)m);
            double weighted = 0;
            for (var e = 0; e < Episodes; e++) weighted += EpisodeWeights[e] * scores[e];
            total += weighted / EpisodeWeights.Sum();
        }
        double norm = 0;
        foreach (var v in theta) norm += v * v;
        return total / mazes.Count - 1e-6 * norm;
    }

    private static void Observe(Maze maze, int r, int c, int previousAction, float previousReward, float[] x)
    {
        var k = 0;
        for (var dr = -1; dr <= 1; dr++)
            for (var dc = -1; dc <= 1; dc++)
                x[k++] = maze.IsWall(r + dr, c + dc) ? 1 : (r + dr, c + dc) == maze.Goal ? -1 : 0;
        for (var a = 0; a < Actions; a++) x[9 + a] = a == previousAction ? 1 : 0;
        x[13] = previousReward;
    }
}

/// <summary>Reads consecutive slices of an evolved parameter vector as floats.</summary>
internal sealed class ParameterReader(ReadOnlySpan<double> theta)
{
    private readonly double[] _theta = theta.ToArray();
    private int _offset;

    public bool AtEnd => _offset == _theta.Length;

    public float[] Take(int count)
    {
        var result = new float[count];
        for (var i = 0; i < count; i++) result[i] = (float)_theta[_offset + i];
        _offset += count;
        return result;
    }
}

/// <summary>
/// The decomposed plasticity rule's coefficients for one matrix [post, pre]: ΔW_ij = A_ij·post_i·pre_j +
/// B_ij·post_i + C_ij·pre_j + D_ij with A_ij = a^post_i·a^pre_j (likewise B, C, D) or, for the full rule, every
/// A_ij, B_ij, C_ij, D_ij evolved; and its modulation readout m = sigmoid(w_m·post + b_m).
/// </summary>
internal sealed class PlasticityCoefficients
{
    private readonly bool _decomposed;
    private readonly int _post, _pre;
    private readonly float[] _a, _b, _c, _d, _aPre = [], _bPre = [], _cPre = [], _dPre = [], _wm;
    private readonly float _bm;

    public PlasticityCoefficients(bool decomposed, ParameterReader p, int post, int pre)
    {
        (_decomposed, _post, _pre) = (decomposed, post, pre);
        if (_decomposed)
        {
            (_a, _aPre, _b, _bPre) = (p.Take(post), p.Take(pre), p.Take(post), p.Take(pre));
            (_c, _cPre, _d, _dPre) = (p.Take(post), p.Take(pre), p.Take(post), p.Take(pre));
        }
        else
        {
            (_a, _b, _c, _d) = (p.Take(post * pre), p.Take(post * pre), p.Take(post * pre), p.Take(post * pre));
        }
        _wm = p.Take(post);
        _bm = p.Take(1)[0];
    }

    /// <summary>A decomposed rule from its numbers.</summary>
    public PlasticityCoefficients(DecomposedRuleValues v)
    {
        (_decomposed, _post, _pre) = (true, v.APost.Length, v.APre.Length);
        (_a, _aPre, _b, _bPre, _c, _cPre, _d, _dPre, _wm, _bm) = (v.APost, v.APre, v.BPost, v.BPre, v.CPost, v.CPre, v.DPost, v.DPre, v.ModulationWeight, v.ModulationBias);
    }

    /// <summary>The decomposed rule's numbers (not defined for the full rule).</summary>
    public DecomposedRuleValues ToValues() => _decomposed
        ? new DecomposedRuleValues(_a, _aPre, _b, _bPre, _c, _cPre, _d, _dPre, _wm, _bm)
        : throw new InvalidOperationException("The full rule has no rank-1 vectors.");

    /// <summary>Evolved numbers per matrix: 4·(post + pre) decomposed, 4·post·pre full, plus the modulation readout.</summary>
    public static int Count(bool decomposed, int post, int pre) => (decomposed ? 4 * (post + pre) : 4 * post * pre) + post + 1;

    /// <summary><paramref name="scale"/>·m with m = sigmoid(w_m·post + b_m).</summary>
    public float Modulation(ReadOnlySpan<float> post, float scale)
    {
        var sum = _bm;
        for (var i = 0; i < _post; i++) sum += _wm[i] * post[i];
        return scale / (1f + MathF.Exp(-sum));
    }

    /// <summary>
    /// target[j] += scale·ΔW_ij for every j of row <paramref name="i"/> (the branch on the rule's form taken once per
    /// row); vectorised lane by lane in the scalar loop's order of operations, so both give the same bits. The
    /// decomposed form multiplies out A_ij = a^post_i·a^pre_j inside its loop: building the row first and sharing the
    /// full form's loop measured 1.7× slower per lifetime (MazeLifetimeBenchmarks).
    /// </summary>
    public void AddRow(int i, float post, ReadOnlySpan<float> pre, Span<float> target, float scale)
    {
        if (_decomposed)
        {
            float a = _a[i], b = _b[i], c = _c[i], d = _d[i];
            var j = 0;
            if (Vector.IsHardwareAccelerated && pre.Length >= Vector<float>.Count)
            {
                Vector<float> va = new(a), vb = new(b), vc = new(c), vd = new(d), vPost = new(post), vScale = new(scale);
                for (; j <= pre.Length - Vector<float>.Count; j += Vector<float>.Count)
                {
                    var p = new Vector<float>(pre[j..]);
                    var sum = va * new Vector<float>(_aPre.AsSpan(j)) * vPost * p + vb * new Vector<float>(_bPre.AsSpan(j)) * vPost
                              + vc * new Vector<float>(_cPre.AsSpan(j)) * p + vd * new Vector<float>(_dPre.AsSpan(j));
                    (new Vector<float>(target[j..]) + vScale * sum).CopyTo(target[j..]);
                }
            }
            for (; j < pre.Length; j++)
                target[j] += scale * (a * _aPre[j] * post * pre[j] + b * _bPre[j] * post + c * _cPre[j] * pre[j] + d * _dPre[j]);
        }
        else
        {
            var row = i * _pre;
            var j = 0;
            if (Vector.IsHardwareAccelerated && pre.Length >= Vector<float>.Count)
            {
                Vector<float> vPost = new(post), vScale = new(scale);
                for (; j <= pre.Length - Vector<float>.Count; j += Vector<float>.Count)
                {
                    var p = new Vector<float>(pre[j..]);
                    var sum = new Vector<float>(_a.AsSpan(row + j)) * vPost * p + new Vector<float>(_b.AsSpan(row + j)) * vPost
                              + new Vector<float>(_c.AsSpan(row + j)) * p + new Vector<float>(_d.AsSpan(row + j));
                    (new Vector<float>(target[j..]) + vScale * sum).CopyTo(target[j..]);
                }
            }
            for (; j < pre.Length; j++)
                target[j] += scale * (_a[row + j] * post * pre[j] + _b[row + j] * post + _c[row + j] * pre[j] + _d[row + j]);
        }
    }
}
