using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// A weight matrix [post, pre] of up to 8 agents in lockstep, one per vector lane: what the forward pass multiplies
/// by, and what the plasticity rule changes after each step (<see cref="Learning.Plasticity.PlasticityCoefficients"/>:
/// ΔW_ij = A_ij·post_i·pre_j + B_ij·post_i + C_ij·pre_j + D_ij, W ← W + scale·m·ΔW, m = sigmoid(w_m·post + b_m)).
/// </summary>
internal interface ILaneMatrix
{
    /// <summary>sums_i += Σ_j W_ij·input_j, in j order, for every row i.</summary>
    void MultiplyAdd(ReadOnlySpan<Vector256<float>> input, Span<Vector256<float>> sums);

    /// <summary>The rule's change after a step with these activities (nothing for a fixed matrix).</summary>
    void Learn(ReadOnlySpan<Vector256<float>> post, ReadOnlySpan<Vector256<float>> pre, float scale);
}

/// <summary>The matrices of the three agent kinds, read from each lane's θ in the order <see cref="MazeAgent.ParameterCount"/> counts.</summary>
internal static class LaneMatrix
{
    /// <summary>An evolved, fixed matrix (the non-plastic RNN).</summary>
    public static ILaneMatrix Fixed(ParameterReader[] lanes, int post, int pre) => new Dense(LaneVectors.Take(lanes, post * pre), post, pre);

    /// <summary>A matrix that starts at 0 and learns by the full (<paramref name="decomposed"/> false) or the decomposed rule.</summary>
    public static ILaneMatrix Plastic(bool decomposed, ParameterReader[] lanes, int post, int pre) =>
        decomposed ? new Decomposed(lanes, post, pre) : new FullRule(lanes, post, pre);

    /// <summary>
    /// sums_i += Σ_j W_ij·input_j over a dense [post, pre] matrix of vectors, each row summed in four interleaved partial
    /// sums (j mod 4) added at the end: four independent chains of fused multiply-adds instead of one long one.
    /// </summary>
    private static void MultiplyAdd(Vector256<float>[] w, int post, int pre, ReadOnlySpan<Vector256<float>> input, Span<Vector256<float>> sums)
    {
        ref var x = ref Unsafe.AsRef(in input[0]);
        for (var i = 0; i < post; i++)
        {
            ref var row = ref w[i * pre];
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            var j = 0;
            for (; j + 4 <= pre; j += 4)
            {
                s0 = Vector256.FusedMultiplyAdd(Unsafe.Add(ref row, j), Unsafe.Add(ref x, j), s0);
                s1 = Vector256.FusedMultiplyAdd(Unsafe.Add(ref row, j + 1), Unsafe.Add(ref x, j + 1), s1);
                s2 = Vector256.FusedMultiplyAdd(Unsafe.Add(ref row, j + 2), Unsafe.Add(ref x, j + 2), s2);
                s3 = Vector256.FusedMultiplyAdd(Unsafe.Add(ref row, j + 3), Unsafe.Add(ref x, j + 3), s3);
            }
            for (; j < pre; j++) s0 = Vector256.FusedMultiplyAdd(Unsafe.Add(ref row, j), Unsafe.Add(ref x, j), s0);
            sums[i] += (s0 + s1) + (s2 + s3);
        }
    }

    /// <summary>scale·sigmoid(b_m + Σ_i w_m,i·post_i), by <see cref="LaneMath"/>.</summary>
    private static Vector256<float> Modulation(Vector256<float>[] wm, Vector256<float> bm, ReadOnlySpan<Vector256<float>> post, float scale)
    {
        var sum = bm;
        for (var i = 0; i < wm.Length; i++) sum = Vector256.FusedMultiplyAdd(wm[i], post[i], sum);
        return Vector256.Create(scale) / (Vector256<float>.One + LaneMath.Exp(-sum));
    }

    private sealed class Dense(Vector256<float>[] w, int post, int pre) : ILaneMatrix
    {
        public void MultiplyAdd(ReadOnlySpan<Vector256<float>> input, Span<Vector256<float>> sums) => LaneMatrix.MultiplyAdd(w, post, pre, input, sums);

        public void Learn(ReadOnlySpan<Vector256<float>> post, ReadOnlySpan<Vector256<float>> pre, float scale)
        {
        }
    }

    /// <summary>Every A_ij, B_ij, C_ij, D_ij evolved: W is kept whole and changed element by element.</summary>
    private sealed class FullRule : ILaneMatrix
    {
        private readonly int _post, _pre;
        private readonly Vector256<float>[] _w, _a, _b, _c, _d, _wm;
        private readonly Vector256<float> _bm;

        public FullRule(ParameterReader[] lanes, int post, int pre)
        {
            (_post, _pre, _w) = (post, pre, new Vector256<float>[post * pre]);
            (_a, _b, _c, _d) = (LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre));
            (_wm, _bm) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, 1)[0]);
        }

        public void MultiplyAdd(ReadOnlySpan<Vector256<float>> input, Span<Vector256<float>> sums) => LaneMatrix.MultiplyAdd(_w, _post, _pre, input, sums);

        public void Learn(ReadOnlySpan<Vector256<float>> post, ReadOnlySpan<Vector256<float>> pre, float scale)
        {
            var m = Modulation(_wm, _bm, post, scale);
            for (var i = 0; i < _post; i++)
            {
                var p = post[i];
                for (int j = 0, k = i * _pre; j < _pre; j++, k++)
                {
                    var delta = Vector256.FusedMultiplyAdd(_a[k] * p, pre[j], Vector256.FusedMultiplyAdd(_b[k], p, Vector256.FusedMultiplyAdd(_c[k], pre[j], _d[k])));
                    _w[k] = Vector256.FusedMultiplyAdd(m, delta, _w[k]);
                }
            }
        }
    }

    /// <summary>
    /// The decomposed rule (A_ij = a_i·a'_j, B_ij = b_i·b'_j, C_ij = c_i·c'_j, D_ij = d_i·d'_j), kept factored. W starts
    /// at 0 and is never clipped or decayed, so after steps s = 1…t, with M_s = scale·m_s,
    /// <code>
    /// W_ij = Σ_s M_s·(a_i·post_i(s))·(a'_j·pre_j(s))     (Wa: the one matrix changed each step, a rank-1 update)
    ///      + b_i·P_i·b'_j       P_i = Σ_s M_s·post_i(s)
    ///      + c_i·c'_j·Q_j       Q_j = Σ_s M_s·pre_j(s)
    ///      + d_i·d'_j·M         M   = Σ_s M_s
    /// </code>
    /// — the same rule as the element-by-element update, one fused multiply-add per weight and step instead of five,
    /// and the three rank-1 terms enter the forward pass as dot products.
    /// </summary>
    private sealed class Decomposed : ILaneMatrix
    {
        private readonly int _post, _pre;
        private readonly Vector256<float>[] _wa, _a, _aPre, _b, _bPre, _c, _cPre, _d, _dPre, _wm, _p, _q, _aPreTimesPre;
        private readonly Vector256<float> _bm;
        private Vector256<float> _m;

        public Decomposed(ParameterReader[] lanes, int post, int pre)
        {
            (_post, _pre) = (post, pre);
            (_a, _aPre, _b, _bPre) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre), LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre));
            (_c, _cPre, _d, _dPre) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre), LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre));
            (_wm, _bm) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, 1)[0]);
            (_wa, _p, _q, _aPreTimesPre) = (new Vector256<float>[post * pre], new Vector256<float>[post], new Vector256<float>[pre], new Vector256<float>[pre]);
        }

        public void MultiplyAdd(ReadOnlySpan<Vector256<float>> input, Span<Vector256<float>> sums)
        {
            LaneMatrix.MultiplyAdd(_wa, _post, _pre, input, sums);
            Vector256<float> bDot = default, cDot = default, dDot = default;
            for (var j = 0; j < _pre; j++)
            {
                bDot = Vector256.FusedMultiplyAdd(_bPre[j], input[j], bDot);
                cDot = Vector256.FusedMultiplyAdd(_cPre[j] * _q[j], input[j], cDot);
                dDot = Vector256.FusedMultiplyAdd(_dPre[j], input[j], dDot);
            }
            dDot *= _m;
            for (var i = 0; i < _post; i++)
                sums[i] = Vector256.FusedMultiplyAdd(_b[i] * _p[i], bDot, Vector256.FusedMultiplyAdd(_c[i], cDot, Vector256.FusedMultiplyAdd(_d[i], dDot, sums[i])));
        }

        public void Learn(ReadOnlySpan<Vector256<float>> post, ReadOnlySpan<Vector256<float>> pre, float scale)
        {
            var m = Modulation(_wm, _bm, post, scale);
            for (var j = 0; j < _pre; j++)
            {
                _aPreTimesPre[j] = _aPre[j] * pre[j];
                _q[j] = Vector256.FusedMultiplyAdd(m, pre[j], _q[j]);
            }
            ref var v = ref _aPreTimesPre[0];
            for (var i = 0; i < _post; i++)
            {
                var u = m * (_a[i] * post[i]);
                _p[i] = Vector256.FusedMultiplyAdd(m, post[i], _p[i]);
                ref var row = ref _wa[i * _pre];
                for (var j = 0; j < _pre; j++) Unsafe.Add(ref row, j) = Vector256.FusedMultiplyAdd(u, Unsafe.Add(ref v, j), Unsafe.Add(ref row, j));
            }
            _m += m;
        }
    }
}
