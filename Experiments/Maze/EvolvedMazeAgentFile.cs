using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Errors;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// An evolved spiking maze agent (<see cref="SpikingMazeAgent"/>) in the model file, its learning rules included:
/// <code>
/// input [14] → affine_x (Affine: W_x = 0, bias b; decomposed rule, pre = input)  → lif_h (LIF)
/// lif_h → recurrent (Affine: W_h = 0; decomposed rule, pre = trace of the previous task step) → lif_h
/// lif_h → trace (LI, τ 5 ms) → readout (Affine: W_o, b_o) → output [4]
/// </code>
/// Both rules take the ELIGIBILITY form with m as the third factor; the <see cref="EvolvedAgent"/> record says how
/// a task step maps to time steps. The file holds the agent at birth: every lifetime starts from it.
/// </summary>
public static class EvolvedMazeAgentFile
{
    private const string Input = "input", AffineX = "affine_x", Neurons = "lif_h", Recurrent = "recurrent", Trace = "trace", Readout = "readout", Output = "output";

    /// <summary>The model file of the agent <paramref name="theta"/> describes, with a copy of <paramref name="evolution"/> whose task fields are filled in here.</summary>
    public static ModelFile ToModelFile(SpikingMazeAgent agent, double[] theta, EvolvedAgent evolution)
    {
        var p = agent.Describe(theta);
        int n = agent.Hidden, inputs = MazeLearner.Inputs, actions = MazeLearner.Actions;
        var record = evolution.Clone();
        record.Task = "maze";
        record.Agent = "spiking";
        record.StepMs = SpikingMazeAgent.Substeps;
        record.Observation = "3×3 neighbourhood row by row (wall 1, goal −1, free 0), one-hot previous move (up, right, down, left), previous reward";
        record.Actions = "up, right, down, left: sampled from softmax(readout)";
        var file = new ModelFile
        {
            Header = ModelFileCodec.NewHeader(),
            Graph = new Graph(),
            Dt = 1.0,
            DtUnit = "ms",
            Evolved = record,
            Metadata =
            {
                [AffineX] = "a current I = W_x·x + b held over the task step: τ·dv/dt = −v + r·I",
                [Recurrent] = "spikes of the previous ms add W_h to v (events)",
                [Trace] = "z ← e^(−dt/τ)·z + s; the readout and both rules read z at the end of the task step",
            },
        };
        var nodes = file.Graph.Nodes;
        nodes.Add(new Node { Name = Input, Size = (uint)inputs, Input = new SpikeSim.Export.Proto.Input { Shape = { (uint)inputs } } });
        nodes.Add(Plastic(AffineX, new float[n * inputs], p.Bias, n, inputs, Rule(p.Input, $"trace of {Neurons}", Input)));
        nodes.Add(NetworkExporter.Neuron(Neurons, n, agent.Neuron));
        nodes.Add(Plastic(Recurrent, new float[n * n], new float[n], n, n, Rule(p.Recurrent, $"trace of {Neurons}", $"trace of {Neurons} at the previous task step")));
        nodes.Add(new Node { Name = Trace, Size = (uint)n, Li = new LI { TauMs = SpikingMazeAgent.TraceTauMs, R = 1, Integrator = Integrator.ExactExponential } });
        nodes.Add(new Node { Name = Readout, Size = (uint)actions, Affine = new Affine { Weight = Tensors.F32(p.ReadoutWeight, actions, n), Bias = Tensors.F32(p.ReadoutBias, actions) } });
        nodes.Add(new Node { Name = Output, Size = (uint)actions, Output = new SpikeSim.Export.Proto.Output { Shape = { (uint)actions } } });
        foreach (var (source, target) in new[] { (Input, AffineX), (AffineX, Neurons), (Neurons, Recurrent), (Recurrent, Neurons), (Neurons, Trace), (Trace, Readout), (Readout, Output) })
            file.Graph.Edges.Add(new Edge { Source = source, Target = target });
        return file;
    }

    /// <summary>The agent and its parameter vector, read back from a file <see cref="ToModelFile"/> wrote.</summary>
    public static (SpikingMazeAgent Agent, double[] Theta, EvolvedAgent Record) Read(ModelFile file)
    {
        ModelFileChecks.Header(file);
        var record = file.Evolved ?? throw new SpikeSimException("This model file holds no evolved agent.");
        if (record.Task != "maze" || record.Agent != "spiking")
            throw new SpikeSimException($"This SpikeSim reads evolved spiking maze agents, not a '{record.Agent}' agent for '{record.Task}'.");
        var graph = file.Graph ?? throw new SpikeSimException("The model file has no graph.");
        ModelFileChecks.NamesAndEdges(graph);
        var nodes = graph.Nodes.ToDictionary(x => x.Name);
        Node Get(string name, Node.KindOneofCase kind) => nodes.TryGetValue(name, out var x) && x.KindCase == kind
            ? x : throw new SpikeSimException($"An evolved maze agent needs a {kind} node named '{name}'.");
        var n = (int)Get(Neurons, Node.KindOneofCase.Lif).Size;
        var agent = new SpikingMazeAgent(n);
        if (!nodes[Neurons].Equals(NetworkExporter.Neuron(Neurons, n, agent.Neuron)))
            throw new SpikeSimException($"Node '{Neurons}' differs from the spiking maze agent's neurons ({agent.Neuron}).");
        int inputs = MazeLearner.Inputs, actions = MazeLearner.Actions;
        var x = Get(AffineX, Node.KindOneofCase.Affine).Affine;
        var h = Get(Recurrent, Node.KindOneofCase.Affine).Affine;
        var readout = Get(Readout, Node.KindOneofCase.Affine).Affine;
        var parameters = new SpikingMazeParameters(
            Tensors.Floats(x.Bias, AffineX, n),
            Tensors.Floats(readout.Weight, Readout, actions * n),
            Tensors.Floats(readout.Bias, Readout, actions),
            Values(h.Plasticity?.Decomposed, Recurrent, n, n),
            Values(x.Plasticity?.Decomposed, AffineX, n, inputs));
        if (Tensors.Floats(x.Weight, AffineX, n * inputs).Any(v => v != 0) || Tensors.Floats(h.Weight, Recurrent, n * n).Any(v => v != 0))
            throw new SpikeSimException("The spiking maze agent's plastic weights start at zero in every lifetime; this file's do not.");
        return (agent, parameters.ToVector(), record);
    }

    private static Node Plastic(string name, float[] weight, float[] bias, int rows, int cols, DecomposedRule rule) => new()
    {
        Name = name,
        Size = (uint)rows,
        Affine = new Affine { Weight = Tensors.F32(weight, rows, cols), Bias = Tensors.F32(bias, rows), Plasticity = new SpikeSim.Export.Proto.Plasticity { Decomposed = rule } },
    };

    /// <summary>The constants of the agent's rules: the ELIGIBILITY form, once per task step, τ_c, η, the weight bounds and the traces' τ.</summary>
    private static DecomposedRule Form() => DecomposedStdpCodec.Message(SpikingMazeAgent.Rule(new DecomposedRuleValues([], [], [], [], [], [], [], [], [], 0)), "", "");

    private static DecomposedRule Rule(DecomposedRuleValues v, string post, string pre) => DecomposedStdpCodec.Message(SpikingMazeAgent.Rule(v), post, pre);

    private static DecomposedRuleValues Values(DecomposedRule? rule, string node, int post, int pre)
    {
        if (rule is null) throw new SpikeSimException($"Node '{node}' has no decomposed rule.");
        var expected = Form();
        if (rule.Form != expected.Form || rule.UpdateIntervalMs != expected.UpdateIntervalMs || rule.EligibilityTauMs != expected.EligibilityTauMs
            || rule.LearningRate != expected.LearningRate || rule.WMin != expected.WMin || rule.WMax != expected.WMax
            || (rule.PreTraceTauMs != 0 && rule.PreTraceTauMs != expected.PreTraceTauMs) || (rule.PostTraceTauMs != 0 && rule.PostTraceTauMs != expected.PostTraceTauMs))
            throw new SpikeSimException($"The rule of '{node}' has other constants than the spiking maze agent's (eligibility form, every {expected.UpdateIntervalMs} ms, " +
                                        $"τ_c {expected.EligibilityTauMs} ms, η {expected.LearningRate:g3}/ms, w in [{expected.WMin}, {expected.WMax}], traces' τ {expected.PreTraceTauMs} ms).");
        return DecomposedStdpCodec.Coefficients(rule, node, post, pre);
    }
}
