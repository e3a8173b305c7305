using SpikeSim.Export.Nir;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// A feed-forward or recurrent chain of a NIR classifier (<c>input → Affine|Linear → neuron [↔ Linear] → … → output</c>)
/// as a consumer's importer builds it: each neuron node becomes a <see cref="ImportedCell"/> by the consumer's rules, and
/// the chain is stepped as the consumer's graph executor steps it (each node once per step, in order; a recurrent Linear
/// carries the previous step's spikes). Test code only: it restates, in C#, what the consumer's Python does, so that a
/// test can check SpikeSim's files against it without the consumer installed.
/// </summary>
public sealed class ImportedChain
{
    private readonly List<(float[] Weight, float[] Bias, int Inputs, ImportedCell Cell, float[]? Recurrent)> _layers = [];

    /// <summary>Builds the chain, making each neuron node with <paramref name="cell"/>, which throws where the consumer cannot.</summary>
    public ImportedChain(NirGraph graph, Func<string, NirNode, bool, ImportedCell> cell)
    {
        var current = graph.Nodes.Single(n => n.Node.Type == "Input").Name;
        bool Cycle((string Source, string Target) e) => graph.Edges.Contains((e.Target, e.Source));
        var width = (int)graph[current].Fields["shape"].Ints![0];
        while (true)
        {
            var affine = graph.Edges.Single(e => e.Source == current && !Cycle(e)).Target;
            if (graph[affine].Type == "Output") break;
            var neuron = graph.Edges.Single(e => e.Source == affine).Target;
            var recurrent = graph.Edges.Where(e => e.Source == neuron && Cycle(e)).Select(e => e.Target).SingleOrDefault();
            var node = graph[affine];
            var rows = (int)node.Fields["weight"].Shape[0];
            _layers.Add((node.Fields["weight"].Floats!, node.Type == "Affine" ? node.Fields["bias"].Floats! : new float[rows], width,
                cell(neuron, graph[neuron], recurrent is not null), recurrent is null ? null : graph[recurrent].Fields["weight"].Floats!));
            (current, width) = (neuron, rows);
        }
    }

    /// <summary>
    /// The last node's output at each step for one encoded sample (steps × inputs, row t), written as rows of
    /// <paramref name="output"/>: spikes of a spiking node, the potential of an LI node.
    /// </summary>
    public void Run(ReadOnlySpan<float> encoded, int steps, Span<float> output)
    {
        var cells = _layers.Select(l => l.Cell.Fresh()).ToList();
        var spikes = _layers.Select(l => new float[l.Bias.Length]).ToList();
        for (var t = 0; t < steps; t++)
        {
            var x = encoded.Slice(t * _layers[0].Inputs, _layers[0].Inputs).ToArray();
            for (var k = 0; k < _layers.Count; k++)
            {
                var (w, b, inputs, _, recurrent) = _layers[k];
                var h = new float[b.Length];
                for (var i = 0; i < h.Length; i++)
                {
                    // torch.nn.Linear: x·Wᵀ + b, then the recurrent Linear of the previous step's spikes added to it.
                    var sum = 0f;
                    for (var j = 0; j < inputs; j++) sum += w[i * inputs + j] * x[j];
                    h[i] = sum + b[i];
                    if (recurrent is not null)
                    {
                        var r = 0f;
                        for (var j = 0; j < h.Length; j++) r += recurrent[i * h.Length + j] * spikes[k][j];
                        h[i] += r;
                    }
                }
                x = cells[k].Step(h);
                spikes[k] = x;
            }
            x.CopyTo(output.Slice(t * x.Length, x.Length));
        }
    }
}

/// <summary>One imported neuron layer: its state and its step, as the consumer computes it in float32.</summary>
public abstract class ImportedCell
{
    /// <summary>The same cell with its state at zero.</summary>
    public abstract ImportedCell Fresh();

    /// <summary>One step with input <paramref name="h"/>: the spikes (or, for a leaky integrator, the potential).</summary>
    public abstract float[] Step(float[] h);

    /// <summary>numpy's <c>allclose(a, b)</c>: |a − b| ≤ 1e-8 + 1e-5·|b| everywhere.</summary>
    public static bool AllClose(IEnumerable<float> a, Func<int, float> b) => a.Select((v, i) => Math.Abs(v - b(i)) <= 1e-8 + 1e-5 * Math.Abs(b(i))).All(x => x);

    /// <summary>numpy's <c>np.unique(values).size == 1</c>.</summary>
    public static float Unique(float[] values, string what)
        => values.Distinct().Count() == 1 ? values[0] : throw new NotSupportedException($"{what} must be same for all neurons");
}
