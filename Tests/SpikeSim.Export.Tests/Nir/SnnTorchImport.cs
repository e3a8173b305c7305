using SpikeSim.Export.Nir;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// snnTorch's <c>import_from_nir</c>, read from snntorch/import_nir.py and snntorch/_neurons/{leaky,rleaky}.py at commit
/// 634fc22 (May 2026): a LIF node becomes <c>snn.Leaky(beta = 1 − dt/τ, threshold = v_threshold / w_scale,
/// reset_mechanism = "zero", reset_delay = False)</c> with dt = 1e-4 s and w_scale = r·dt/τ (ignored where allclose to 1);
/// a LIF–Linear cycle becomes an <c>RLeaky</c> (after asserting r = τ/dt); v_leak must be 0; an LI node is not mapped.
/// </summary>
public static class SnnTorchImport
{
    /// <summary>The chain snnTorch rebuilds from <paramref name="graph"/>.</summary>
    public static ImportedChain Import(NirGraph graph) => new(graph, Cell);

    private static ImportedCell Cell(string name, NirNode node, bool recurrent)
    {
        if (node.Type != "LIF") throw new NotSupportedException($"[WARNING] could not parse node of type: {node.Type} ('{name}')");
        const float dt = 1e-4f;
        var (tau, r) = (node.Fields["tau"].Floats!, node.Fields["r"].Floats!);
        if (!ImportedCell.AllClose(node.Fields["v_leak"].Floats!, _ => 0f)) throw new NotSupportedException("v_leak not supported");
        ImportedCell.Unique(node.Fields["v_threshold"].Floats!, "v_threshold");
        if (recurrent && !ImportedCell.AllClose(r, i => tau[i] / dt)) throw new NotSupportedException("r not supported in LIF");
        var beta = tau.Select(t => 1f - dt / t).ToArray();
        var wScale = r.Select((v, i) => v * dt / tau[i]).ToArray();
        var threshold = node.Fields["v_threshold"].Floats!;
        if (!ImportedCell.AllClose(wScale, _ => 1f)) threshold = threshold.Select(v => v / wScale[0]).ToArray();
        return new Leaky(beta, ImportedCell.Unique(threshold, "LIF v_thr"), new float[beta.Length]);
    }

    /// <summary>
    /// <c>Leaky</c> (and <c>RLeaky</c>, whose recurrent term the chain adds to the input) with reset to zero and no delay:
    /// reset = H(mem − θ); mem ← (1 − reset)·mem; mem ← β·mem + input; spk = H(mem − θ); mem ← mem − (spk − reset)·mem.
    /// </summary>
    private sealed class Leaky(float[] beta, float threshold, float[] mem) : ImportedCell
    {
        public override ImportedCell Fresh() => new Leaky(beta, threshold, new float[beta.Length]);

        public override float[] Step(float[] h)
        {
            var spk = new float[h.Length];
            for (var i = 0; i < h.Length; i++)
            {
                var reset = mem[i] - threshold > 0 ? 1f : 0f;
                mem[i] = (1 - reset) * mem[i];
                mem[i] = Math.Clamp(beta[i], 0f, 1f) * mem[i] + h[i];
                spk[i] = mem[i] - threshold > 0 ? 1f : 0f;
                mem[i] -= (spk[i] - reset) * mem[i];
            }
            return spk;
        }
    }
}
