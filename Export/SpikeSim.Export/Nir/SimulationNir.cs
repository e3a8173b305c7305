using System.Globalization;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Nir;

/// <summary>
/// Simulation networks as NIR graphs and back, for what NIR can hold: LIF, IF, LI and CubaLIF populations, dense
/// (Linear), one-to-one (Scale) and sparse projections (written as dense Linear), and uniform conduction delays
/// (a Delay node after the projection). NIR treats spikes as Dirac impulses: a spike of weight w raises a LIF's
/// or LI's v by r·w/τ, an IF's v by r·w, and a CubaLIF's current by w_in·w/τ_syn. SpikeSim's events add w, so it
/// writes r = τ (LIF, LI, in seconds), r = 1 (IF) and w_in = τ_syn (CubaLIF), and on reading scales incoming
/// weights by those factors, so any NIR file maps onto SpikeSim's events. NIR has no sources, injected currents,
/// learning rules, per-synapse delays, subtractive reset, refractory period, ≥ spike test or separate excitatory
/// and inhibitory time constants: a network that uses them is refused with the node named. Initial states are
/// dropped with a warning. Node names hold no dots (NIR addresses subgraph members as <c>graph.node</c>).
/// </summary>
public static class SimulationNir
{
    /// <summary>Sparse projections are written dense up to this many matrix elements.</summary>
    public const long MaxDenseElements = 1L << 22;

    /// <summary>The NIR graph of <paramref name="network"/> and the warnings about what was dropped.</summary>
    /// <param name="network">The network.</param>
    /// <param name="dtMs">The step it is run at, written as the metadata's dt.</param>
    /// <param name="codecs">The neuron codecs (<see cref="NeuronCodecs.BuiltIn"/> where null); those with a NIR form write the populations.</param>
    public static (NirGraph Graph, List<string> Warnings) FromNetwork(Network network, double dtMs, NeuronCodecs? codecs = null)
    {
        codecs ??= NeuronCodecs.BuiltIn;
        var graph = new NirGraph();
        var warnings = new List<string>();
        if (network.Currents.Count + network.PoissonInputs.Count + network.NoiseCurrents.Count > 0)
            throw new SpikeSimException("NIR has no injected currents or Poisson inputs; the network's inputs cannot be written (use --format spikesim).");
        foreach (var p in network.Populations)
        {
            if (p.Name.Contains('.'))
                throw new SpikeSimException($"Population '{p.Name}' has a dot in its name, which NIR reads as the address of a node inside a subgraph; rename it.");
            graph.Nodes.Add((p.Name, codecs.ToNir(p.Name, p.Size, p.Model, graph.Metadata)));
            if (p.Initial.Count > 0) warnings.Add($"NIR has no initial state: the initial {string.Join(", ", p.Initial.Select(i => i.Variable.Name))} of '{p.Name}' was dropped.");
        }
        for (var k = 0; k < network.Projections.Count; k++)
        {
            var p = network.Projections[k];
            var name = $"{p.Source.Name}->{p.Target.Name}#{k}";
            if (p.Plasticity is not null) throw new SpikeSimException($"Projection '{name}' learns ({p.Plasticity.GetType().Name}); NIR holds no learning rules.");
            if (p.Channel != 0 && p.Target.Model is not CubaLif)
                throw new SpikeSimException($"Projection '{name}' targets input channel {p.Channel}; NIR nodes have one input.");
            graph.Nodes.Add((name, Projection(name, p)));
            if (p.Connectivity is SparseConnectivity sparse) warnings.Add(DenseWarning(name, sparse));
            graph.Edges.Add((p.Source.Name, name));
            var into = name;
            if (p.DelayMs > 0)
            {
                var delay = $"{name}_delay";   // no dots: NIR reads a dot as the address of a node inside a subgraph
                graph.Nodes.Add((delay, NirNode.Of("Delay", ("delay", NirFields.Fill(p.Target.Size, p.DelayMs / 1000)))));
                graph.Edges.Add((name, delay));
                into = delay;
            }
            graph.Edges.Add((into, p.Target.Name));
        }
        graph.Metadata["producer"] = "SpikeSim";
        graph.Metadata["dt"] = (dtMs / 1000).ToString("R", CultureInfo.InvariantCulture);
        graph.Metadata["input_convention"] = "spikes are Dirac impulses; r = tau (LIF, LI), r = 1 (IF), w_in = tau_syn (CubaLIF), so a spike of weight w adds w";
        graph.Metadata["spike_test"] = "v > v_threshold; reset to v_reset; no refractory period";
        graph.Metadata["delays"] = "the time-step engine rounds each delay to whole steps of dt, at least one";
        return (graph, warnings);
    }

    /// <summary>The simulation network a NIR graph describes, and the dt its metadata names (0.1 ms if none).</summary>
    public static (Network Network, double DtMs) ToNetwork(NirGraph graph, NeuronCodecs? codecs = null)
    {
        codecs ??= NeuronCodecs.BuiltIn;
        var network = new Network();
        var populations = new Dictionary<string, (Population Population, double InputScale)>();
        foreach (var (name, node) in graph.Nodes)
        {
            if (node.Type is "Linear" or "Affine" or "Scale" or "Delay") continue;
            var made = codecs.FromNir(name, node, graph.Metadata)
                ?? throw new SpikeSimException($"Node '{name}' is a NIR {node.Type}, which SpikeSim's simulation networks do not have (they read {string.Join(", ", codecs.NirTypes)}, Linear, Affine, Scale and Delay).");
            populations[name] = (network.AddPopulation(name, made.Size, made.Model), made.InputScale);
        }
        foreach (var (name, node) in graph.Nodes.Where(n => n.Node.Type is "Linear" or "Affine" or "Scale"))
        {
            var from = graph.Edges.Where(e => e.Target == name).Select(e => e.Source).ToList();
            var to = graph.Edges.Where(e => e.Source == name).Select(e => e.Target).ToList();
            if (from.Count != 1 || !populations.TryGetValue(from[0], out var source))
                throw new SpikeSimException($"Projection '{name}' must come from exactly one neuron node.");
            var delayMs = 0.0;
            if (to.Count == 1 && graph.Nodes.FirstOrDefault(n => n.Name == to[0]).Node is { Type: "Delay" } delay)
            {
                delayMs = NirFields.Uniform(delay, to[0], "delay") * 1000.0;
                to = graph.Edges.Where(e => e.Source == to[0]).Select(e => e.Target).ToList();
            }
            if (to.Count != 1 || !populations.TryGetValue(to[0], out var target))
                throw new SpikeSimException($"Projection '{name}' must lead to exactly one neuron node.");
            if (node.Type == "Affine" && node.Fields["bias"].Floats!.Any(b => b != 0))
                throw new SpikeSimException($"Affine node '{name}' has a bias; a simulation network's projections have none.");
            network.Connect(source.Population, target.Population, Connectivity(name, node, source.Population.Size, target.Population.Size, target.InputScale), 0, delayMs);
        }
        var dt = graph.Metadata.TryGetValue("dt", out var text) && double.TryParse(text, CultureInfo.InvariantCulture, out var s) && s > 0 ? s * 1000 : 0.1;
        return (network, dt);
    }

    private static NirNode Projection(string name, Projection p)
    {
        switch (p.Connectivity.Explicit(Environment.ProcessorCount))
        {
            case OneToOneConnectivity c:
                return NirNode.Of("Scale", ("scale", NirArray.F32(c.Weights)));
            case DenseConnectivity c:
                return NirNode.Of("Linear", ("weight", NirArray.F32(c.TargetMajor(), c.Targets, c.Sources)));
            case SparseConnectivity c:
                if (c.DelaysMs is not null) throw new SpikeSimException($"Projection '{name}' has per-synapse delays; NIR's Delay is per neuron.");
                if ((long)c.Sources * c.Targets > MaxDenseElements)
                    throw new SpikeSimException($"Projection '{name}' is sparse ({c.Sources}×{c.Targets}); NIR has no sparse projections and a dense matrix of {(long)c.Sources * c.Targets} elements is over SpikeSim's limit of {MaxDenseElements}.");
                var w = new float[(long)c.Targets * c.Sources];
                for (var i = 0; i < c.Sources; i++)
                    for (var k = c.RowStart[i]; k < c.RowStart[i + 1]; k++) w[(long)c.TargetIndex[k] * c.Sources + i] += c.Weights[k];
                return NirNode.Of("Linear", ("weight", NirArray.F32(w, c.Targets, c.Sources)));
            default:
                throw new SpikeSimException($"Projection '{name}' is of a kind NIR cannot hold.");
        }
    }

    private static Connectivity Connectivity(string name, NirNode node, int sources, int targets, double scale)
    {
        if (node.Type == "Scale")
        {
            var s = node.Fields["scale"].Floats ?? throw new SpikeSimException($"Node '{name}' needs a float scale.");
            if (s.Length != sources || sources != targets) throw new SpikeSimException($"Scale node '{name}' must hold {sources} values between populations of equal size.");
            return new OneToOneConnectivity(s.Select(v => (float)(v * scale)).ToArray());
        }
        var w = node.Fields["weight"];
        if (w.Floats is null || w.Shape.Length != 2 || (int)w.Shape[0] != targets || (int)w.Shape[1] != sources)
            throw new SpikeSimException($"Node '{name}' must hold a float [{targets}, {sources}] weight.");
        return DenseConnectivity.FromTargetMajor(sources, targets, w.Floats, scale);
    }

    // What writing a sparse projection dense changes: zeros where there is no synapse, multapses summed into one weight.
    private static string DenseWarning(string name, SparseConnectivity c)
    {
        var pairs = new HashSet<long>();
        for (var i = 0; i < c.Sources; i++)
            for (var k = c.RowStart[i]; k < c.RowStart[i + 1]; k++) pairs.Add((long)c.TargetIndex[k] * c.Sources + i);
        var multapses = c.Weights.Length - pairs.Count;
        return $"Projection '{name}' is sparse ({c.Weights.Length} synapses) and NIR has no sparse projections: written as a dense {c.Targets}×{c.Sources} Linear " +
               $"({(long)c.Sources * c.Targets - pairs.Count} of its elements zero" + (multapses > 0 ? $", {multapses} synapses onto an already connected pair summed)." : ").");
    }
}
