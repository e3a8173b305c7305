using System.Numerics;
using SpikeSim.Learning.Evolution;
using SpikeSim.Simulator.Plasticity;

namespace SpikeSim.Learning.Plasticity;

/// <summary>
/// The decomposed plasticity rule's coefficients for one matrix [post, pre]: ΔW_ij = A_ij·post_i·pre_j +
/// B_ij·post_i + C_ij·pre_j + D_ij with A_ij = a^post_i·a^pre_j (likewise B, C, D) or, for the full rule, every
/// A_ij, B_ij, C_ij, D_ij evolved; and its modulation readout m = sigmoid(w_m·post + b_m).
/// </summary>
public sealed class PlasticityCoefficients
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
