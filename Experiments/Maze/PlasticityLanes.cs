using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// <see cref="Learning.Plasticity.PlasticityCoefficients"/> for up to 8 agents in lockstep, one per vector lane: the
/// same rule, ΔW_ij = A_ij·post_i·pre_j + B_ij·post_i + C_ij·pre_j + D_ij (decomposed: A_ij = a^post_i·a^pre_j, likewise
/// B, C, D), W ← W + scale·m·ΔW with m = sigmoid(w_m·post + b_m), read from each lane's θ in the same order. The
/// decomposed form is evaluated as ΔW_ij = (a^post_i·post_i)·(a^pre_j·pre_j) + (b^post_i·post_i)·b^pre_j +
/// c^post_i·(c^pre_j·pre_j) + d^post_i·d^pre_j, its row and column factors formed once per step, in fused
/// multiply-adds (one rounding each, as IEEE 754 defines them: the same bits with or without FMA hardware).
/// </summary>
internal sealed class PlasticityLanes
{
    private readonly bool _decomposed;
    private readonly int _post, _pre;
    private readonly Vector256<float>[] _a, _b, _c, _d, _aPre = [], _bPre = [], _cPre = [], _dPre = [], _wm;
    private readonly Vector256<float> _bm;

    public PlasticityLanes(bool decomposed, ParameterReader[] lanes, int post, int pre)
    {
        (_decomposed, _post, _pre) = (decomposed, post, pre);
        if (decomposed)
        {
            (_a, _aPre, _b, _bPre) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre), LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre));
            (_c, _cPre, _d, _dPre) = (LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre), LaneVectors.Take(lanes, post), LaneVectors.Take(lanes, pre));
        }
        else
        {
            (_a, _b, _c, _d) = (LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre), LaneVectors.Take(lanes, post * pre));
        }
        _wm = LaneVectors.Take(lanes, post);
        _bm = LaneVectors.Take(lanes, 1)[0];
    }

    /// <summary>W[i, j] += scale·m·ΔW_ij for the whole matrix [post, pre], every lane at once.</summary>
    public void Apply(Vector256<float>[] w, ReadOnlySpan<Vector256<float>> post, ReadOnlySpan<Vector256<float>> pre, float scale)
    {
        var sum = _bm;
        for (var i = 0; i < _post; i++) sum += _wm[i] * post[i];
        var m = Vector256.Create(scale) / (Vector256<float>.One + LaneMath.Exp(-sum));
        if (_decomposed)
        {
            Span<Vector256<float>> aPre = stackalloc Vector256<float>[_pre], cPre = stackalloc Vector256<float>[_pre];
            for (var j = 0; j < _pre; j++) (aPre[j], cPre[j]) = (_aPre[j] * pre[j], _cPre[j] * pre[j]);
            for (var i = 0; i < _post; i++)
            {
                Vector256<float> a = _a[i] * post[i], b = _b[i] * post[i], c = _c[i], d = _d[i];
                ref var row = ref w[i * _pre];
                ref Vector256<float> aP = ref aPre[0], bP = ref _bPre[0], cP = ref cPre[0], dP = ref _dPre[0];
                for (var j = 0; j < _pre; j++)
                {
                    var delta = Vector256.FusedMultiplyAdd(a, Unsafe.Add(ref aP, j), Vector256.FusedMultiplyAdd(b, Unsafe.Add(ref bP, j),
                        Vector256.FusedMultiplyAdd(c, Unsafe.Add(ref cP, j), d * Unsafe.Add(ref dP, j))));
                    Unsafe.Add(ref row, j) = Vector256.FusedMultiplyAdd(m, delta, Unsafe.Add(ref row, j));
                }
            }
            return;
        }
        for (var i = 0; i < _post; i++)
        {
            var p = post[i];
            var row = w.AsSpan(i * _pre, _pre);
            var k = i * _pre;
            for (var j = 0; j < _pre; j++)
                row[j] += m * (_a[k + j] * p * pre[j] + _b[k + j] * p + _c[k + j] * pre[j] + _d[k + j]);
        }
    }
}
