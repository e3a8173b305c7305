using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Evolution;

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
/// A recurrent agent living one lifetime in a maze: h(t) = tanh(W_h·h(t−1) + W_x·x(t) + b), action sampled from
/// softmax(W_o·h + b_o). Plastic kinds start W_h = W_x = 0 each lifetime and change them after every step by
/// ΔW_ij = A_ij·post_i·pre_j + B_ij·post_i + C_ij·pre_j + D_ij, W ← W + 0.2·m·ΔW, with m = sigmoid(w_m·h + b_m), one
/// modulation per matrix ("after-mod"); decomposed: A_ij = a^post_i·a^pre_j (likewise B, C, D). Inputs: the 3×3
/// neighbourhood (wall 1, goal −1, free 0), the one-hot previous action and the previous step's reward (so the
/// agent can tell that it reached the goal and was put back at the start; Wang et al. list only the first two). Reward −0.01 a step, +1 at the goal;
/// an episode ends at the goal or after 200 steps; a lifetime is 8 episodes in one maze, restarting at the start.
/// </summary>
public sealed class MazeAgent
{
    public const int Inputs = 14, Actions = 4, EpisodeSteps = 200, Episodes = 8;
    private const float Step = 0.2f;

    /// <summary>Fitness weights of the 8 episodes (Wang et al.): later episodes count more.</summary>
    public static readonly double[] EpisodeWeights = [0, 0, 0.16, 0.22, 0.36, 0.64, 0.8, 1.0];

    public MazeAgent(MazeAgentKind kind, int hidden) => (Kind, Hidden) = (kind, hidden);

    public MazeAgentKind Kind { get; }
    public int Hidden { get; }

    /// <summary>Length of the parameter vector.</summary>
    public int ParameterCount
    {
        get
        {
            int n = Hidden, i = Inputs;
            var common = n + Actions * n + Actions; // b, W_o, b_o
            return Kind switch
            {
                MazeAgentKind.Decomposed => common + 8 * n + 4 * (n + i) + 2 * (n + 1),
                MazeAgentKind.Full => common + 4 * n * n + 4 * n * i + 2 * (n + 1),
                _ => common + n * n + n * i,
            };
        }
    }

    /// <summary>Runs a lifetime; returns each episode's reward and steps.</summary>
    public (double[] Scores, int[] Steps) Lifetime(ReadOnlySpan<double> theta, Maze maze, ulong seed)
    {
        int n = Hidden, ni = Inputs;
        var p = new Reader(theta);
        var b = p.Take(n);
        var wo = p.Take(Actions * n);
        var bo = p.Take(Actions);
        float[] wh, wx;
        Rule? rh = null, rx = null;
        if (Kind == MazeAgentKind.NonPlastic)
        {
            wh = p.Take(n * n);
            wx = p.Take(n * ni);
        }
        else
        {
            (wh, wx) = (new float[n * n], new float[n * ni]);
            rh = new Rule(Kind, p, n, n);
            rx = new Rule(Kind, p, n, ni);
        }
        if (!p.AtEnd) throw new ArgumentException($"The {Kind} agent takes {ParameterCount} parameters, not {theta.Length}.");
        var rng = new Xoshiro256(seed);
        var h = new float[n];
        var hPrev = new float[n];
        var x = new float[ni];
        var logits = new float[Actions];
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
                Array.Copy(h, hPrev, n);
                for (var i = 0; i < n; i++)
                {
                    var sum = b[i];
                    for (var j = 0; j < n; j++) sum += wh[i * n + j] * hPrev[j];
                    for (var j = 0; j < ni; j++) sum += wx[i * ni + j] * x[j];
                    h[i] = MathF.Tanh(sum);
                }
                rh?.Apply(wh, h, hPrev);
                rx?.Apply(wx, h, x);
                for (var a = 0; a < Actions; a++)
                {
                    var sum = bo[a];
                    for (var i = 0; i < n; i++) sum += wo[a * n + i] * h[i];
                    logits[a] = sum;
                }
                var action = Sample(logits, rng);
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

    private static int Sample(float[] logits, Xoshiro256 rng)
    {
        var max = logits.Max();
        double sum = 0;
        Span<double> p = stackalloc double[logits.Length];
        for (var a = 0; a < logits.Length; a++) sum += p[a] = Math.Exp(logits[a] - max);
        var u = rng.NextDouble() * sum;
        for (var a = 0; a < logits.Length; a++)
        {
            u -= p[a];
            if (u <= 0) return a;
        }
        return logits.Length - 1;
    }

    /// <summary>Reads consecutive slices of the parameter vector as floats.</summary>
    private sealed class Reader(ReadOnlySpan<double> theta)
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

    /// <summary>The plasticity rule of one matrix [post, pre] and its modulation readout.</summary>
    private sealed class Rule
    {
        private readonly bool _decomposed;
        private readonly int _post, _pre;
        private readonly float[] _a, _b, _c, _d, _aPre = [], _bPre = [], _cPre = [], _dPre = [], _wm;
        private readonly float _bm;

        public Rule(MazeAgentKind kind, Reader p, int post, int pre)
        {
            (_decomposed, _post, _pre) = (kind == MazeAgentKind.Decomposed, post, pre);
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

        public void Apply(float[] w, float[] post, float[] pre)
        {
            var sum = _bm;
            for (var i = 0; i < _post; i++) sum += _wm[i] * post[i];
            var m = Step / (1f + MathF.Exp(-sum));
            for (var i = 0; i < _post; i++)
            {
                var row = w.AsSpan(i * _pre, _pre);
                for (var j = 0; j < _pre; j++)
                {
                    float dw = _decomposed
                        ? _a[i] * _aPre[j] * post[i] * pre[j] + _b[i] * _bPre[j] * post[i] + _c[i] * _cPre[j] * pre[j] + _d[i] * _dPre[j]
                        : _a[i * _pre + j] * post[i] * pre[j] + _b[i * _pre + j] * post[i] + _c[i * _pre + j] * pre[j] + _d[i * _pre + j];
                    row[j] += m * dw;
                }
            }
        }
    }
}
