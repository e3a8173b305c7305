using Google.Protobuf;
using SpikeSim.Export.Codecs;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using Sim = SpikeSim.Simulator;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Export;

/// <summary>
/// Writes a network description as a SpikeSim model file: populations and inputs as nodes, each
/// projection as a node on the edge between its populations (as NIR places Linear and Affine nodes),
/// with every parameter NIR lacks — dt, integrator, reset mode, refractory period, spike test, initial
/// state, delays, plasticity — stated.
/// </summary>
public static class NetworkExporter
{
    /// <summary>The model file of <paramref name="network"/> discretised for <paramref name="dtMs"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="dtMs">The step its values are for.</param>
    /// <param name="metadata">Key–value pairs to keep in the file.</param>
    /// <param name="codecs">The neuron codecs (<see cref="NeuronCodecs.BuiltIn"/> where null); a program adds its own models' here.</param>
    public static ModelFile ToModelFile(Network network, double dtMs, IReadOnlyDictionary<string, string>? metadata = null, NeuronCodecs? codecs = null)
    {
        codecs ??= NeuronCodecs.BuiltIn;
        var file = new ModelFile
        {
            Header = ModelFileCodec.NewHeader(),
            Graph = new Graph(),
            Dt = dtMs,
            DtUnit = "ms",
        };
        if (metadata is not null) foreach (var (key, value) in metadata) file.Metadata[key] = value;
        foreach (var population in network.Populations)
        {
            var node = codecs.Write(population.Name, population.Size, population.Model);
            foreach (var (variable, values) in population.Initial) node.Initial.Add(new InitialState { Variable = variable.Name, Values = F32(values) });
            file.Graph.Nodes.Add(node);
        }
        // Neuromodulators are named by their order of first use, so the same network always gives the same bytes.
        var modulators = new Dictionary<Neuromodulator, string>(ReferenceEqualityComparer.Instance);
        for (var k = 0; k < network.Projections.Count; k++)
        {
            var p = network.Projections[k];
            var name = $"{p.Source.Name}->{p.Target.Name}#{k}";
            file.Graph.Nodes.Add(Projection(name, p, dtMs, modulators));
            file.Graph.Edges.Add(new Edge { Source = p.Source.Name, Target = name });
            file.Graph.Edges.Add(new Edge { Source = name, Target = p.Target.Name });
        }
        var inputs = network.Currents.Select(c => (c.Target, Node: new Node { Current = new Proto.CurrentInput { Amplitude = F32(c.Amplitude), Waveform = F32(c.Waveform ?? []) } }))
            .Concat(network.PoissonInputs.Select(p => (p.Target, Node: new Node { PoissonInput = new Proto.PoissonInput { RateHz = p.RateHz, Weight = p.Weight, Channel = (uint)p.Channel } })))
            .Concat(network.NoiseCurrents.Select(n => (n.Target, Node: new Node { NoiseCurrent = new NoiseCurrent { Low = n.Low, High = n.High } })))
            .ToList();
        for (var k = 0; k < inputs.Count; k++)
        {
            var (target, node) = inputs[k];
            node.Name = $"input#{k}->{target.Name}";
            node.Size = (uint)target.Size;
            file.Graph.Nodes.Add(node);
            file.Graph.Edges.Add(new Edge { Source = node.Name, Target = target.Name });
        }
        return file;
    }

    /// <summary>Writes the file atomically (a temporary file, then a rename).</summary>
    public static void Write(ModelFile file, string path)
        => AtomicFile.WriteAllBytes(path, ModelFileCodec.Encode(file));

    /// <summary>The node of <paramref name="size"/> neurons of <paramref name="model"/>, by the built-in codecs.</summary>
    public static Node Neuron(string name, int size, INeuronModel model) => NeuronCodecs.BuiltIn.Write(name, size, model);

    private static Node Projection(string name, Projection p, double dtMs, Dictionary<Neuromodulator, string> modulators)
    {
        var node = new Node { Name = name, Size = (uint)p.Target.Size };
        switch (p.Connectivity.Explicit(Environment.ProcessorCount))
        {
            case DenseConnectivity c:
                // NIR's Linear holds weight [out, in]; SpikeSim stores [in, out].
                var transposed = new float[c.Weights.Length];
                for (var i = 0; i < c.Sources; i++)
                    for (var j = 0; j < c.Targets; j++) transposed[j * c.Sources + i] = c.Weights[i * c.Targets + j];
                node.Linear = new Linear { Weight = F32(transposed, c.Targets, c.Sources), Channel = (uint)p.Channel, DelayMs = p.DelayMs };
                break;
            case OneToOneConnectivity c:
                node.Scale = new Scale { Scale_ = F32(c.Weights), Channel = (uint)p.Channel, DelayMs = p.DelayMs };
                break;
            case SparseConnectivity c:
                node.Sparse = new SparseProjection
                {
                    Sources = (uint)c.Sources, Targets = (uint)c.Targets, RowStart = I32(c.RowStart), TargetIndex = I32(c.TargetIndex),
                    Weight = F32(c.Weights), DelayMs = c.DelaysMs is null ? null : F32(c.DelaysMs), Channel = (uint)p.Channel,
                    UniformDelayMs = p.DelayMs, Plasticity = Plasticity(p.Plasticity, dtMs, modulators),
                };
                break;
        }
        return node;
    }

    private static Proto.Plasticity? Plasticity(IPlasticityRule? rule, double dtMs, Dictionary<Neuromodulator, string> modulators) => rule switch
    {
        null => null,
        Sim.Plasticity.ThreeFactorStdp r => new Proto.Plasticity
        {
            ThreeFactorStdp = new Proto.ThreeFactorStdp
            {
                Pairing = Pair(r.Pairing), TauCMs = r.TauCMs, LearningRate = r.LearningRate, B = r.B,
                Modulator = modulators.TryGetValue(r.Modulator, out var known) ? known : modulators[r.Modulator] = $"modulator_{modulators.Count}",
                TauNMs = r.Modulator.TauNMs, ModulatorSource = r.Modulator.Source?.Name ?? "", PerSpike = r.Modulator.PerSpike,
                Lava = LavaRules.ThreeFactor(r, dtMs),
            },
        },
        Sim.Plasticity.PairStdp r => new Proto.Plasticity { PairStdp = WithLava(Pair(r), LavaRules.Pair(r, dtMs)) },
        _ => throw new SpikeSimException($"The learning rule {rule.GetType().Name} cannot be exported yet."),
    };

    private static Proto.PairStdp WithLava(Proto.PairStdp pair, LavaLearningRule lava)
    {
        pair.Lava = lava;
        return pair;
    }

    private static Proto.PairStdp Pair(Sim.Plasticity.PairStdp r) => new()
    {
        APlus = r.APlus, AMinus = r.AMinus, TauPlusMs = r.TauPlusMs, TauMinusMs = r.TauMinusMs, WMin = r.WMin, WMax = r.WMax,
        Multiplicative = r.Dependence == WeightDependence.Multiplicative, Nearest = r.Pairing == TracePairing.Nearest,
    };

    internal static Tensor F32(IReadOnlyCollection<float> values, params int[] shape) => Tensors.F32(values, shape);

    private static Tensor I32(IReadOnlyCollection<int> values) => Tensors.I32(values);
}
