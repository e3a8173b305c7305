using System.Globalization;
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
    public static (NirGraph Graph, List<string> Warnings) FromNetwork(Network network, double dtMs)
    {
        var graph = new NirGraph();
        var warnings = new List<string>();
        if (network.Currents.Count + network.PoissonInputs.Count + network.NoiseCurrents.Count > 0)
            throw new SpikeSimException("NIR has no injected currents or Poisson inputs; the network's inputs cannot be written (use --format spikesim).");
        foreach (var p in network.Populations)
        {
            if (p.Name.Contains('.'))
                throw new SpikeSimException($"Population '{p.Name}' has a dot in its name, which NIR reads as the address of a node inside a subgraph; rename it.");
            graph.Nodes.Add((p.Name, Neuron(p, graph.Metadata)));
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
            graph.Edges.Add((p.Source.Name, name));
            var into = name;
            if (p.DelayMs > 0)
            {
                var delay = $"{name}_delay";   // no dots: NIR reads a dot as the address of a node inside a subgraph
                graph.Nodes.Add((delay, NirNode.Of("Delay", ("delay", Fill(p.Target.Size, p.DelayMs / 1000)))));
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
    public static (Network Network, double DtMs) ToNetwork(NirGraph graph)
    {
        var network = new Network();
        var populations = new Dictionary<string, (Population Population, double InputScale)>();
        foreach (var (name, node) in graph.Nodes)
        {
            var made = Population(name, node, graph.Metadata);
            if (made is null) continue;
            populations[name] = (network.AddPopulation(name, made.Value.Size, made.Value.Model), made.Value.InputScale);
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
                delayMs = Uniform(delay.Fields["delay"], to[0], "delay") * 1000.0;
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

    private static NirNode Neuron(Population p, Dictionary<string, string> metadata)
    {
        var n = p.Size;
        switch (p.Model)
        {
            case Lif m:
                CheckSpiking(p.Name, m.Reset, m.RefractoryMs, m.Comparison);
                metadata[$"spikesim.{p.Name}.r"] = m.R.ToString("R", CultureInfo.InvariantCulture);
                return NirNode.Of("LIF", ("tau", Fill(n, m.TauMs / 1000)), ("r", Fill(n, m.TauMs / 1000)), ("v_leak", Fill(n, m.VLeak)),
                    ("v_threshold", Fill(n, m.VThreshold)), ("v_reset", Fill(n, m.VReset)));
            case IntegrateAndFire m:
                CheckSpiking(p.Name, m.Reset, m.RefractoryMs, m.Comparison);
                metadata[$"spikesim.{p.Name}.r"] = m.R.ToString("R", CultureInfo.InvariantCulture);
                return NirNode.Of("IF", ("r", Fill(n, 1)), ("v_threshold", Fill(n, m.VThreshold)), ("v_reset", Fill(n, m.VReset)));
            case LeakyIntegrator m:
                metadata[$"spikesim.{p.Name}.r"] = m.R.ToString("R", CultureInfo.InvariantCulture);
                return NirNode.Of("LI", ("tau", Fill(n, m.TauMs / 1000)), ("r", Fill(n, m.TauMs / 1000)), ("v_leak", Fill(n, m.VLeak)));
            case CubaLif m:
                CheckSpiking(p.Name, m.Reset, m.RefractoryMs, m.Comparison);
                if (m.TauSynExcMs != m.TauSynInhMs)
                    throw new SpikeSimException($"Population '{p.Name}' has separate excitatory and inhibitory synaptic time constants ({m.TauSynExcMs} and {m.TauSynInhMs} ms); NIR's CubaLIF has one.");
                return NirNode.Of("CubaLIF", ("tau_mem", Fill(n, m.TauMemMs / 1000)), ("tau_syn", Fill(n, m.TauSynExcMs / 1000)), ("r", Fill(n, m.R)),
                    ("v_leak", Fill(n, m.VLeak)), ("v_threshold", Fill(n, m.VThreshold)), ("v_reset", Fill(n, m.VReset)), ("w_in", Fill(n, m.TauSynExcMs / 1000)));
            default:
                throw new SpikeSimException($"Population '{p.Name}' is {p.Model.GetType().Name}, which NIR cannot express (it has LIF, IF, LI and CubaLIF).");
        }
    }

    private static void CheckSpiking(string name, ResetMode reset, double refractoryMs, SpikeComparison comparison)
    {
        if (reset != ResetMode.ToValue) throw new SpikeSimException($"Population '{name}' resets by subtraction; NIR's neurons reset to v_reset.");
        if (refractoryMs > 0) throw new SpikeSimException($"Population '{name}' has a refractory period; NIR has none.");
        if (comparison != SpikeComparison.Greater) throw new SpikeSimException($"Population '{name}' spikes at v ≥ θ; SpikeSim writes NIR for v > θ only.");
    }

    private static NirNode Projection(string name, Projection p)
    {
        switch (p.Connectivity)
        {
            case OneToOneConnectivity c:
                return NirNode.Of("Scale", ("scale", NirArray.F32(c.Weights)));
            case DenseConnectivity c:
                return NirNode.Of("Linear", ("weight", NirArray.F32(Transpose(c.Weights, c.Sources, c.Targets), c.Targets, c.Sources)));
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

    private static (int Size, INeuronModel Model, double InputScale)? Population(string name, NirNode node, Dictionary<string, string> metadata)
    {
        double R(double fallback) => metadata.TryGetValue($"spikesim.{name}.r", out var t) && double.TryParse(t, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        switch (node.Type)
        {
            case "LIF":
            {
                var tau = Uniform(node.Fields["tau"], name, "tau");
                var size = node.Fields["tau"].Floats!.Length;
                var reset = node.Fields.TryGetValue("v_reset", out var vr) ? Uniform(vr, name, "v_reset") : 0;
                return (size, new Lif(tau * 1000, R(1), Uniform(node.Fields["v_leak"], name, "v_leak"), Uniform(node.Fields["v_threshold"], name, "v_threshold"), reset),
                    Uniform(node.Fields["r"], name, "r") / tau);
            }
            case "IF":
            {
                var reset = node.Fields.TryGetValue("v_reset", out var vr) ? Uniform(vr, name, "v_reset") : 0;
                return (node.Fields["r"].Floats!.Length, new IntegrateAndFire(R(1), Uniform(node.Fields["v_threshold"], name, "v_threshold"), reset), Uniform(node.Fields["r"], name, "r"));
            }
            case "LI":
            {
                var tau = Uniform(node.Fields["tau"], name, "tau");
                return (node.Fields["tau"].Floats!.Length, new LeakyIntegrator(tau * 1000, R(1), Uniform(node.Fields["v_leak"], name, "v_leak")), Uniform(node.Fields["r"], name, "r") / tau);
            }
            case "CubaLIF":
            {
                var tauSyn = Uniform(node.Fields["tau_syn"], name, "tau_syn");
                var reset = node.Fields.TryGetValue("v_reset", out var vr) ? Uniform(vr, name, "v_reset") : 0;
                var model = new CubaLif(Uniform(node.Fields["tau_mem"], name, "tau_mem") * 1000, tauSyn * 1000, tauSyn * 1000, Uniform(node.Fields["r"], name, "r"),
                    Uniform(node.Fields["v_leak"], name, "v_leak"), Uniform(node.Fields["v_threshold"], name, "v_threshold"), reset);
                return (node.Fields["tau_mem"].Floats!.Length, model, Uniform(node.Fields["w_in"], name, "w_in") / tauSyn);
            }
            case "Linear" or "Affine" or "Scale" or "Delay":
                return null;
            default:
                throw new SpikeSimException($"Node '{name}' is a NIR {node.Type}, which SpikeSim's simulation networks do not have.");
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
        var transposed = Transpose(w.Floats, targets, sources);
        return new DenseConnectivity(sources, targets, transposed.Select(v => (float)(v * scale)).ToArray());
    }

    // [rows, columns] row-major → [columns, rows] row-major.
    private static float[] Transpose(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++) t[(long)j * rows + i] = m[(long)i * columns + j];
        return t;
    }

    private static double Uniform(NirArray a, string node, string field)
    {
        var values = a.Floats ?? throw new SpikeSimException($"Node '{node}' field '{field}' must be float.");
        if (values.Length == 0 || values.Any(v => v != values[0]))
            throw new SpikeSimException($"Node '{node}' has per-neuron values of '{field}'; SpikeSim's populations share one value.");
        // The shortest decimal that rounds to the float32: 0.02f reads back as 0.02, not 0.0199999996.
        return double.Parse(values[0].ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static NirArray Fill(int n, double value) => NirArray.F32(Enumerable.Repeat((float)value, n).ToArray());
}
