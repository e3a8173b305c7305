using SpikeSim.Export.Nir;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// Norse's <c>from_nir</c>, read from norse/torch/utils/import_nir.py and norse/torch/functional/{lif_box,
/// leaky_integrator_box,reset}.py at commit 065a3b45 (February 2026), with its default dt = 1e-3 s: a LIF node becomes a
/// <c>LIFBoxCell</c> (v ← v + dt·τ⁻¹·(x + v_leak − v); z = H(v − v_th); v ← (1 − z)·v + z·0, v_reset not read), an LI node
/// a <c>LIBoxCell</c> (v ← v + dt·τ⁻¹·((v_leak − v) + x)); r is not read; recurrent cells are not mapped.
/// </summary>
public static class NorseImport
{
    private const float Dt = 1e-3f;

    /// <summary>The chain Norse rebuilds from <paramref name="graph"/>.</summary>
    public static ImportedChain Import(NirGraph graph) => new(graph, Cell);

    private static ImportedCell Cell(string name, NirNode node, bool recurrent)
    {
        if (recurrent) throw new NotSupportedException($"Norse's from_nir maps no recurrent cell ('{name}')");
        var tauInverse = node.Fields["tau"].Floats!.Select(t => 1f / t).ToArray();
        var vLeak = node.Fields["v_leak"].Floats!;
        return node.Type switch
        {
            "LIF" => new Box(tauInverse, vLeak, node.Fields["v_threshold"].Floats!, new float[tauInverse.Length]),
            "LI" => new Box(tauInverse, vLeak, null, new float[tauInverse.Length]),
            _ => throw new NotSupportedException($"Norse maps no {node.Type} ('{name}')"),
        };
    }

    /// <summary><c>LIFBoxCell</c> where a threshold is given, <c>LIBoxCell</c> (returning v) where not.</summary>
    private sealed class Box(float[] tauInverse, float[] vLeak, float[]? threshold, float[] v) : ImportedCell
    {
        public override ImportedCell Fresh() => new Box(tauInverse, vLeak, threshold, new float[v.Length]);

        public override float[] Step(float[] x)
        {
            var output = new float[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                if (threshold is null)
                {
                    v[i] += Dt * tauInverse[i] * (vLeak[i] - v[i] + x[i]);
                    output[i] = v[i];
                    continue;
                }
                v[i] += Dt * tauInverse[i] * (x[i] + vLeak[i] - v[i]);
                var z = v[i] - threshold[i] > 0 ? 1f : 0f;
                v[i] = (1 - z) * v[i] + z * 0f;
                output[i] = z;
            }
            return output;
        }
    }
}
