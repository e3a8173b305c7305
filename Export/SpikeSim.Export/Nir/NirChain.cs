using SpikeSim.Export.Codecs;
using System.Globalization;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Nir;

/// <summary>
/// A NIR classifier — <c>Input → Affine|Linear → LIF|LI|CubaLIF [↔ Linear|Affine] → … → Output</c>, nested subgraphs
/// already opened by <see cref="NirFile"/> — read with one dialect's rules (<see cref="NirDialect"/>) into SpikeSim's
/// discrete step: each layer's weights and bias scaled so that its input term is h[t], and its cell's decays. It becomes a
/// simulator network (<see cref="ToSimulatedClassifier"/>) whatever its cells, or a trainable classifier where they are
/// the ones SpikeSim trains (<see cref="TrainedNir.ToNetwork"/>).
/// </summary>
/// <param name="Inputs">The width of the Input node.</param>
/// <param name="Layers">The layers, input side first; the last is the readout.</param>
/// <param name="Reset">What a spike does, for every spiking layer.</param>
/// <param name="Stages">Convolutional stages ahead of the layers (<c>Conv2d → [SumPool2d|AvgPool2d] → cell</c>), none for a dense chain.</param>
public sealed record NirChain(int Inputs, IReadOnlyList<NirLayer> Layers, ResetMode Reset, IReadOnlyList<NirStage>? Stages = null)
{
    /// <summary>Reads the chain of <paramref name="graph"/>; refuses, naming the node and field, what it cannot run.</summary>
    public static NirChain Read(NirGraph graph, NirDialect reader)
    {
        var nodes = graph.Nodes.ToDictionary(n => n.Name, n => n.Node);
        var input = nodes.Where(n => n.Value.Type == "Input").Select(n => n.Key).ToList();
        if (input.Count != 1) throw new SpikeSimException($"A classifier needs exactly one Input node; the graph has {input.Count}.");
        var metadataDt = graph.Metadata.TryGetValue("dt", out var dtText) && double.TryParse(dtText, CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        if (metadataDt is { } given && !(given > 0 && double.IsFinite(given)))
            throw new SpikeSimException($"The graph's metadata dt must be a positive time in seconds (got {dtText}).");
        var width = Width(nodes[input[0]].Fields["shape"], input[0]);
        var layers = new List<NirLayer>();
        var current = input[0];
        var visited = new HashSet<string> { current };
        List<NirStage> stages;
        SpikePooling? trailing;
        (stages, current, trailing) = ReadStages(graph, nodes, nodes[input[0]], current, visited, metadataDt, reader);
        if (stages.Count > 0) width = trailing?.Pooled.Size ?? stages[^1].Output.Size;
        // The one node after `node`, passing through Flatten nodes: a reshape of row-major values, which changes none.
        string Next(string node)
        {
            while (true)
            {
                var next = graph.Edges.Where(e => e.Source == node && !IsRecurrentEdge(graph, e)).Select(e => e.Target).ToList();
                if (next.Count != 1) throw new SpikeSimException($"Node '{node}' must lead to exactly one node (it leads to {next.Count}).");
                if (nodes[next[0]].Type != "Flatten") return next[0];
                if (!visited.Add(next[0])) throw new SpikeSimException($"The layer chain comes back to node '{next[0]}'; a classifier's layers form a chain.");
                node = next[0];
            }
        }
        while (true)
        {
            var affineName = Next(current);
            // Delay nodes between a layer and the next: the next layer reads the spikes of that many steps before.
            var delaySteps = 0;
            while (nodes[affineName].Type == "Delay")
            {
                if (!visited.Add(affineName)) throw new SpikeSimException($"The layer chain comes back to node '{affineName}'; a classifier's layers form a chain.");
                if (layers.Count == 0 && stages.Count == 0) throw new SpikeSimException($"Node '{affineName}' delays the input; SpikeSim reads Delay nodes between layers only.");
                delaySteps += DelaySteps(nodes[affineName], affineName, metadataDt, reader);
                affineName = Next(affineName);
            }
            if (nodes[affineName].Type == "Output")
            {
                if (delaySteps > 0) throw new SpikeSimException($"The readout's spikes are delayed before the Output; SpikeSim reads Delay nodes between layers only.");
                break;
            }
            if (nodes[affineName].Type is not ("Affine" or "Linear"))
                throw new SpikeSimException($"Node '{affineName}' is {nodes[affineName].Type}; after '{current}' SpikeSim expects an Affine or Linear node.");
            var after = graph.Edges.Where(e => e.Source == affineName).Select(e => e.Target).ToList();
            if (after.Count != 1 || !Cells.Contains(nodes[after[0]].Type))
                throw new SpikeSimException($"Node '{affineName}' must lead to one {string.Join(", ", Cells)} node" +
                                            (after.Count == 1 ? $"; '{after[0]}' is {nodes[after[0]].Type}." : "."));
            var neuronName = after[0];
            if (!visited.Add(affineName) || !visited.Add(neuronName))
                throw new SpikeSimException($"The layer chain comes back to node '{affineName}'; a classifier's layers form a chain.");
            var affine = nodes[affineName];
            var w = affine.Fields.GetValueOrDefault("weight") ?? throw new SpikeSimException($"Node '{affineName}' has no weight.");
            if (w.Shape.Length != 2 || (int)w.Shape[1] != width || w.Floats is null)
                throw new SpikeSimException($"Node '{affineName}' must hold a float [{(w.Shape.Length > 0 ? w.Shape[0].ToString(CultureInfo.InvariantCulture) : "outputs")}, {width}] weight.");
            var outputs = (int)w.Shape[0];
            var weights = Finite(w.Floats, affineName, "weight");
            if (layers.Count == 0 && trailing is { } pooled)
                (weights, width) = (pooled.IntoDense(weights, outputs), stages[^1].Output.Size); // reads the stage's unpooled spikes
            var cell = ReadCell(nodes[neuronName], neuronName, outputs, metadataDt, reader);
            var bias = affine.Type == "Affine" ? Finite(Floats(affine.Fields["bias"], affineName, outputs), affineName, "bias") : new float[outputs];
            float[]? recurrentWeight = null;
            if (graph.Edges.Where(e => e.Source == neuronName && IsRecurrentEdge(graph, e)).Select(e => e.Target).FirstOrDefault() is { } rec)
            {
                var rw = nodes[rec].Fields.GetValueOrDefault("weight") ?? throw new SpikeSimException($"Node '{rec}' has no weight.");
                recurrentWeight = Scaled(Finite(Floats(rw, rec, outputs * outputs), rec, "weight"), cell.InputScale);
                // A recurrent Affine (snnTorch's RLeaky writes its nn.Linear with a bias) adds its bias every step, as the input's does.
                if (nodes[rec].Type == "Affine")
                    bias = bias.Zip(Finite(Floats(nodes[rec].Fields["bias"], rec, outputs), rec, "bias"), (a, b) => a + b).ToArray();
            }
            layers.Add(new NirLayer(affineName, neuronName, width, outputs, Scaled(weights, cell.InputScale),
                Scaled(bias, cell.InputScale), recurrentWeight, cell) { DelaySteps = delaySteps });
            (current, width) = (neuronName, outputs);
        }
        if (layers.Count < 1) throw new SpikeSimException("A classifier needs at least one Affine or Linear node and its neuron layer between Input and Output.");
        foreach (var hidden in layers.Take(layers.Count - 1))
            if (!hidden.Cell.Spikes) throw new SpikeSimException($"Node '{hidden.Neuron}' is {hidden.Cell.Name}; a classifier's hidden layers spike.");
        return new NirChain(stages.Count > 0 ? stages[0].Geometry.Input.Size : layers[0].Inputs, layers,
            reader.ImportedReset ?? ReadReset(graph, nodes, stages.Select(s => s.Neuron).Concat(layers.Select(l => l.Neuron))), stages);
    }

    /// <summary>The width of the readout.</summary>
    public int Classes => Layers[^1].Outputs;

    /// <inheritdoc />
    public override string ToString()
        => (Stages is { Count: > 0 } ? $"{Stages[0].Geometry.Input}-{string.Join('-', Stages.Select(s => s.ToString()))}-" : $"{Inputs}-")
           + $"{string.Join('-', Layers.Select(l => l.Outputs))} " + (Layers.Any(l => l.RecurrentWeight is not null) ? "recurrent " : "")
           + (Layers.Count > 1 ? string.Join("/", Layers.Take(Layers.Count - 1).Select(l => l.Cell.Name).Distinct()) + ", " : "") + $"{Layers[^1].Cell.Name} readout";

    /// <summary>
    /// The chain as a simulator network, each layer a population of its cell's discrete model fed as training feeds a
    /// trained classifier (<see cref="SimulatedClassifier.From"/>): the encoded sample through a per-step dense input
    /// projection, each layer the previous one's spikes of the same step, a recurrent layer its own of the previous step.
    /// Populations are named as <see cref="SimulatedClassifier.From"/> names a trained network's: <c>hidden_k</c> for the
    /// k-th spiking layer (convolutional stages first), <c>output</c> for the readout.
    /// </summary>
    public SimulatedClassifier ToSimulatedClassifier(double dtMs = 1.0)
    {
        var network = new Network();
        var input = new ExternalInput("input", Inputs);
        Population? previous = null;
        Population Add(string name, int size, NirCell cell)
        {
            var population = network.AddPopulation(name, size, cell.Model(dtMs, Reset));
            if (cell.Start != 0)
                foreach (var variable in cell.Started) population.SetInitial(variable, Enumerable.Repeat((float)cell.Start, size).ToArray());
            return population;
        }
        var stages = Stages ?? [];
        for (var k = 0; k < stages.Count; k++)
        {
            var stage = stages[k];
            var population = Add($"hidden_{k}", stage.Output.Size, stage.Cell);
            network.Feed(new ConvolutionFeed(population, previous is null ? input : null, previous, stage.Geometry, stage.Weight, stage.Bias, stage.Pooling));
            AddLeak(network, population, stage.Cell, new float[stage.Output.Size]); // the convolution holds the bias
            previous = population;
        }
        for (var k = 0; k < Layers.Count; k++)
        {
            var layer = Layers[k];
            var population = Add(k == Layers.Count - 1 ? "output" : $"hidden_{stages.Count + k}", layer.Outputs, layer.Cell);
            network.Feed(previous is null ? new InputFeed(population, input, layer.Weight)
                : new SpikeFeed(previous, population, layer.Weight, FeedTiming.SameStep, k == 0 && stages.Count > 0 ? stages[^1].Output : null, layer.DelaySteps));
            if (layer.RecurrentWeight is { } recurrent) network.Feed(new SpikeFeed(population, population, recurrent, FeedTiming.PreviousStep));
            AddLeak(network, population, layer.Cell, layer.Bias);
            previous = population;
        }
        // NIR's images are channels-first; the simulator's convolutions read them channels-last.
        var channelsFirst = stages.Count > 0 && stages[0].Geometry.Input.Channels > 1 ? stages[0].Geometry.Input : (ImageShape?)null;
        return new SimulatedClassifier(network, input, previous!, Layers[^1].Cell.Spikes, dtMs, channelsFirst);
    }

    /// <summary>
    /// A layer's bias and its cell's leaks: a spiking (or current-based) layer's bias (plus the synapse's leak) after its
    /// feeds and the membrane's leak as a current; an LI readout's all as its current, added last as training adds its bias.
    /// </summary>
    private static void AddLeak(Network network, Population population, NirCell cell, float[] bias)
    {
        if (cell.SynapseLeak != 0) bias = [.. bias.Select(b => (float)(b + cell.SynapseLeak))];
        // A cell with a synaptic current (CubaLIF, CubaLI) takes the bias into that current, as NIR's w_in·x holds it.
        if (cell.Spikes || cell is NirCubaLifCell)
        {
            network.SetFeedBias(population, bias);
            if (cell.Leak != 0) network.Inject(new CurrentInput(population, Enumerable.Repeat((float)cell.Leak, population.Size).ToArray()));
        }
        else network.Inject(new CurrentInput(population, [.. bias.Select(b => (float)(b + cell.Leak))]));
    }

    /// <summary>
    /// The convolutional stages after the Input node: each a Conv2d (square kernel, groups and dilation 1), an optional
    /// SumPool2d or AvgPool2d (no padding) and a spiking cell, on channels-first images as NIR has them. The weights are
    /// turned into SpikeSim's channels-last kernel layout and scaled like an Affine's (<see cref="NirCell.InputScale"/>).
    /// </summary>
    private static (List<NirStage> Stages, string Last, SpikePooling? Trailing) ReadStages(NirGraph graph, Dictionary<string, NirNode> nodes, NirNode input, string current,
        HashSet<string> visited, double? dt, NirDialect reader)
    {
        var stages = new List<NirStage>();
        string Next(string node)
        {
            var next = graph.Edges.Where(e => e.Source == node && !IsRecurrentEdge(graph, e)).Select(e => e.Target).ToList();
            if (next.Count != 1) throw new SpikeSimException($"Node '{node}' must lead to exactly one node (it leads to {next.Count}).");
            if (!visited.Add(next[0])) throw new SpikeSimException($"The layer chain comes back to node '{next[0]}'; a classifier's layers form a chain.");
            return next[0];
        }
        var first = graph.Edges.Where(e => e.Source == current).Select(e => e.Target).ToList();
        if (first.Count != 1 || nodes[first[0]].Type is not ("Conv2d" or "Conv1d")) return (stages, current, null);
        var oneD = nodes[first[0]].Type == "Conv1d";
        var shape = input.Fields["shape"].Ints ?? throw new SpikeSimException($"Node '{current}' field 'shape' must be integers.");
        if (shape.Length != (oneD ? 2 : 3) || shape.Any(d => d < 1 || d > 1 << 20))
            throw new SpikeSimException($"Node '{current}' has the shape [{string.Join(", ", shape)}]; a {(oneD ? "Conv1d graph's input is a signal (C, L)" : "convolutional graph's input is an image (C, H, W)")}.");
        // A Conv1d's (C, L) signal is a (C, 1, L) image and its kernel 1 × k.
        var image = oneD ? new ImageShape((int)shape[0], 1, (int)shape[1]) : new ImageShape((int)shape[0], (int)shape[1], (int)shape[2]);
        var convType = oneD ? "Conv1d" : "Conv2d";
        SpikePooling? pending = null;
        while (graph.Edges.Where(e => e.Source == current).Select(e => e.Target).ToList() is [var after]
               && (nodes[after].Type == convType || (!oneD && nodes[after].Type is "SumPool2d" or "AvgPool2d" && stages.Count > 0 && pending is null)))
        {
            if (nodes[after].Type != convType)
            {
                // A pooling of the stage's spikes (snnTorch's scnn_mnist: Conv2d → IF → SumPool2d → Conv2d): linear, so it
                // is folded into whatever reads them next — the next convolution, or the first Affine after the Flatten.
                var poolName = Next(current);
                pending = SpikePooling.Read(nodes[poolName], poolName, stages[^1].Output);
                image = pending.Pooled;
                current = poolName;
                continue;
            }
            var convName = Next(current);
            var conv = nodes[convName];
            var w = conv.Fields.GetValueOrDefault("weight") ?? throw new SpikeSimException($"Node '{convName}' has no weight.");
            if (w.Shape.Length != (oneD ? 3 : 4) || (int)w.Shape[1] != image.Channels || w.Floats is null)
                throw new SpikeSimException($"Node '{convName}' has a weight of shape [{string.Join(", ", w.Shape)}]; after {image} {(oneD ? "signals" : "images")} it holds [C_out, {image.Channels}, {(oneD ? "k" : "kh, kw")}].");
            if (ConvNir.Axes(conv, convName, "dilation", 1, oneD) != (1, 1) || (conv.Fields.TryGetValue("groups", out var groups) && groups.Ints?[0] != 1))
                throw new SpikeSimException($"Node '{convName}' has a dilation or groups other than 1, which SpikeSim's convolutions do not have.");
            var outC = (int)w.Shape[0];
            var (kh, kw) = oneD ? (1, (int)w.Shape[2]) : ((int)w.Shape[2], (int)w.Shape[3]);
            var (sy, sx) = ConvNir.Axes(conv, convName, "stride", 1, oneD);
            var (py, px) = ConvNir.Axes(conv, convName, "padding", 0, oneD);
            var geometry = new ConvGeometry(image, outC, kh, kw, sy, sx, py, px);
            var oihw = Finite(w.Floats, convName, "weight");
            if (pending is { } folded)
            {
                (geometry, oihw) = folded.IntoConvolution(geometry, oihw, convName);
                pending = null;
            }
            var bias = conv.Fields.TryGetValue("bias", out var b) ? Finite(Floats(b, convName, outC), convName, "bias") : new float[outC];
            image = geometry.Output;
            Pooling? pooling = null;
            var cellName = Next(convName);
            if (nodes[cellName].Type is "SumPool2d" or "AvgPool2d")
            {
                var (poolName, pool) = (cellName, nodes[cellName]);
                if (ConvNir.Pair(pool, poolName, "padding", 0) != 0) throw new SpikeSimException($"Node '{poolName}' has a padding, which SpikeSim's pooling does not have.");
                var size = ConvNir.Pair(pool, poolName, "kernel_size", 1);
                var poolGeometry = new PoolGeometry(image, size, ConvNir.Pair(pool, poolName, "stride", size));
                pooling = new Pooling(pool.Type == "SumPool2d" ? PoolKind.Sum : PoolKind.Average, poolGeometry);
                image = poolGeometry.Output;
                cellName = Next(poolName);
            }
            if (nodes[cellName].Type is not ("LIF" or "CubaLIF" or "IF" or "Threshold"))
                throw new SpikeSimException($"Node '{cellName}' is {nodes[cellName].Type}; after a convolution SpikeSim runs a LIF, CubaLIF, IF or Threshold layer.");
            var cell = ReadCell(nodes[cellName], cellName, image.Size, dt, reader);
            var weight = KernelLayout.FromOihw<float>(oihw, outC, geometry.Input.Channels, geometry.KernelHeight, geometry.KernelWidth);
            stages.Add(new NirStage(convName, cellName, geometry, pooling, Scaled(weight, cell.InputScale), Scaled(bias, cell.InputScale), cell));
            current = cellName;
        }
        return (stages, current, pending);
    }

    /// <summary>A Delay node's delay (uniform, in seconds) as whole steps of the file's dt; refuses what is not.</summary>
    private static int DelaySteps(NirNode node, string name, double? dt, NirDialect reader)
    {
        reader.ReadDelay(name);
        var step = dt ?? throw new SpikeSimException($"Node '{name}' is Delay, and the graph states no dt to count its steps in.");
        var seconds = NirFields.Uniform(node, name, "delay");
        var steps = seconds / step;
        return seconds >= 0 && Math.Abs(steps - Math.Round(steps)) <= 1e-6 * Math.Max(1, steps) && steps <= 1_000_000 ? (int)Math.Round(steps)
            : throw new SpikeSimException($"Node '{name}' field 'delay' is {seconds:R} s, not a whole number of steps of dt = {step:R} s.");
    }

    /// <summary>The NIR neuron types a chain's layers may be.</summary>
    public static readonly IReadOnlyList<string> Cells = ["LIF", "LI", "CubaLIF", "CubaLI", "IF", "I", "Threshold"];

    private static NirCell ReadCell(NirNode node, string name, int outputs, double? dt, NirDialect reader)
    {
        var vLeak = node.Type is "IF" or "I" or "Threshold" ? 0 : Uniform(node, name, "v_leak");
        if (vLeak != 0 && !reader.ReadsLeak)
            throw new SpikeSimException($"Node '{name}' field 'v_leak' is {vLeak:R}; {reader.Name}'s importer supports none (it asserts v_leak = 0).");
        if (!float.IsFinite(vLeak)) throw new SpikeSimException($"Node '{name}' field 'v_leak' must be finite.");
        float Threshold()
        {
            var threshold = Uniform(node, name, "v_threshold");
            return threshold > 0 && float.IsFinite(threshold) ? threshold
                : throw new SpikeSimException($"Node '{name}' field 'v_threshold' must be positive and finite (got {threshold:R}).");
        }
        float Positive(string field)
        {
            var value = Uniform(node, name, field);
            return value > 0 && float.IsFinite(value) ? value : throw new SpikeSimException($"Node '{name}' field '{field}' must be positive and finite (got {value:R}).");
        }
        switch (node.Type)
        {
            case "LIF" or "LI":
            {
                var (beta, scale) = reader.Read(Positive("tau"), Positive("r"), dt, name);
                var leak = (1 - beta) * vLeak;   // forward Euler's (dt/τ)·v_leak each step
                var start = reader.StartsAtLeak ? vLeak : 0;
                return node.Type == "LIF" ? new NirLifCell((float)beta, scale, Threshold()) { Leak = leak, Start = start }
                    : new NirLiCell((float)beta, scale) { Leak = leak, Start = start };
            }
            case "Threshold":
            {
                // z = H(x − θ): no state, so the weights feeding it enter unscaled and a spike leaves nothing behind.
                reader.ReadThreshold(name);
                var threshold = Uniform(node, name, "threshold");
                if (!(threshold > 0) || !float.IsFinite(threshold))
                    throw new SpikeSimException($"Node '{name}' field 'threshold' must be positive and finite (got {threshold:R}); SpikeSim's spiking layers fire above a positive threshold.");
                return new NirLifCell(0, 1, threshold, "Threshold");
            }
            case "I":
            {
                // dv/dt = r·I: the leaky integrator with β = 1 (a readout; it never spikes).
                var (beta, scale) = reader.ReadI(Positive("r"), name);
                return new NirLiCell((float)beta, scale) { Type = "I" };
            }
            case "IF":
            {
                var (beta, scale, thresholdScale) = reader.ReadIf(Positive("r"), name);
                return new NirLifCell((float)beta, scale, (float)(Threshold() * thresholdScale), "IF");
            }
            default:
            {
                // CubaLIF, or CubaLI: the same current and membrane without a threshold (a readout).
                var spiking = node.Type == "CubaLIF";
                if (!spiking) reader.ReadCubaLi(name);
                var (alpha, beta, scale, gain) = reader.ReadCuba(Positive("tau_syn"), Positive("tau_mem"), Positive("r"), Positive("w_in"), dt, name);
                return new NirCubaLifCell((float)alpha, (float)beta, scale, gain, spiking ? Threshold() : float.PositiveInfinity)
                    { VLeak = vLeak, SynapseLeak = reader.LeaksSynapse ? (1 - alpha) * vLeak : 0, Start = reader.StartsAtLeak ? vLeak : 0 };
            }
        }
    }

    // SpikeSim's own files say which reset they use; NIR's reset is to v_reset at once, which gives the spikes of
    // SpikeSim's reset to zero (u[t] = β·u[t−1]·(1 − s[t−1]) + h[t]) where v_reset is 0.
    private static ResetMode ReadReset(NirGraph graph, Dictionary<string, NirNode> nodes, IEnumerable<string> neurons)
    {
        if (graph.Metadata.TryGetValue("reset", out var stated))
            return stated == TrainedNir.ResetSubtract ? ResetMode.SubtractAtNextStep : stated == TrainedNir.ResetToZero ? ResetMode.ZeroAtNextStep
                : throw new SpikeSimException($"The graph's metadata reset '{stated}' is neither '{TrainedNir.ResetToZero}' nor '{TrainedNir.ResetSubtract}'.");
        foreach (var name in neurons)
            if (nodes[name].Fields.ContainsKey("v_reset") && Uniform(nodes[name], name, "v_reset") != 0)
                throw new SpikeSimException($"Node '{name}' field 'v_reset' is not 0; SpikeSim's classifier layers reset to 0.");
        return ResetMode.ZeroAtNextStep;
    }

    private static bool IsRecurrentEdge(NirGraph graph, (string Source, string Target) edge)
        => graph.Edges.Any(e => e.Source == edge.Target && e.Target == edge.Source);

    private static float Uniform(NirNode node, string name, string field) => (float)NirFields.Uniform(node, name, field);

    // The number of values of an input of this shape (a multi-dimensional input is read flat, row-major, as Flatten does).
    private static int Width(NirArray a, string node)
    {
        var dims = a.Ints ?? a.Floats?.Select(f => (long)f).ToArray() ?? [];
        var product = dims.Aggregate(1.0, (p, d) => p * d);
        return dims.Length > 0 && dims.All(d => d > 0) && product <= int.MaxValue ? (int)product
            : throw new SpikeSimException($"Node '{node}' must have a positive shape of at most {int.MaxValue} values (got [{string.Join(", ", dims)}]).");
    }

    private static float[] Floats(NirArray a, string node, int expected)
        => a.Floats is { } f && f.Length == expected ? f : throw new SpikeSimException($"Node '{node}' must hold {expected} float values.");

    private static float[] Finite(float[] values, string node, string field)
        => values.All(float.IsFinite) ? values : throw new SpikeSimException($"Node '{node}' field '{field}' holds NaN or infinite values.");

    /// <summary>A scaled copy (the values themselves where the scale is 1).</summary>
    internal static float[] Scaled(float[] values, double scale) => scale == 1 ? values : values.Select(v => (float)(v * scale)).ToArray();
}

/// <summary>
/// A convolutional stage of a NIR chain: <see cref="Geometry"/>'s convolution (weights [C_out, k, k, C_in], channels-last,
/// and bias, both scaled to the cell's input term), the pooling after it where there is one, and the cell.
/// </summary>
public sealed record NirStage(string Conv, string Neuron, ConvGeometry Geometry, Pooling? Pooling, float[] Weight, float[] Bias, NirCell Cell)
{
    /// <summary>The image the stage's neurons hold: the convolution's output, pooled where a pooling follows.</summary>
    public ImageShape Output => Pooling is { } p ? p.Geometry.Output : Geometry.Output;

    /// <summary>"12C5-SP2".</summary>
    public override string ToString() => $"{Geometry.Output.Channels}C{Axes(Geometry.KernelHeight, Geometry.KernelWidth)}"
        + (Geometry.StrideY != 1 || Geometry.StrideX != 1 ? $"S{Axes(Geometry.StrideY, Geometry.StrideX)}" : "")
        + (Geometry.PaddingY != 0 || Geometry.PaddingX != 0 ? $"P{Axes(Geometry.PaddingY, Geometry.PaddingX)}" : "")
        + (Pooling is { } p ? $"-{(p.Kind == PoolKind.Sum ? "SP" : "AP")}{p.Geometry.Size}" : "");

    // "5" for a square value, "1x3" otherwise.
    private static string Axes(int y, int x) => y == x ? $"{y}" : $"{y}x{x}";
}

/// <summary>
/// A SumPool2d or AvgPool2d of a stage's spikes (window = stride, no padding), folded into the linear node that reads
/// them next — pooling is linear, so "pool, then convolve" is one convolution over the unpooled spikes and "pool, flatten,
/// then Affine" one Affine: each weight of the pooled image is spread over the P×P window it sums (divided by P² for an
/// average). Exact: the folded node gives the same inputs, up to float rounding.
/// </summary>
/// <param name="Name">The pooling node.</param>
/// <param name="Kind">Sum or average.</param>
/// <param name="Size">The window P.</param>
/// <param name="Spikes">The unpooled image (the stage's neurons).</param>
/// <param name="Pooled">The pooled image.</param>
internal sealed record SpikePooling(string Name, PoolKind Kind, int Size, ImageShape Spikes, ImageShape Pooled)
{
    public static SpikePooling Read(NirNode node, string name, ImageShape spikes)
    {
        var size = ConvNir.Pair(node, name, "kernel_size", 1);
        if (ConvNir.Pair(node, name, "stride", size) != size || ConvNir.Pair(node, name, "padding", 0) != 0)
            throw new SpikeSimException($"Node '{name}' pools spikes with a stride other than its window or a padding; SpikeSim folds a pooling of spikes into the next layer only for windows as wide as their stride.");
        return new SpikePooling(name, node.Type == "SumPool2d" ? PoolKind.Sum : PoolKind.Average, size, spikes, new PoolGeometry(spikes, size, size).Output);
    }

    private float Norm => Kind == PoolKind.Average ? 1f / (Size * Size) : 1f;

    /// <summary>
    /// A convolution over the pooled image (weights [C_out, C_in, kh, kw]) as one over the unpooled spikes: kernel
    /// (kh·P, kw·P), strides (s_y·P, s_x·P), paddings (p_y·P, p_x·P).
    /// </summary>
    public (ConvGeometry Geometry, float[] Oihw) IntoConvolution(ConvGeometry pooled, float[] oihw, string conv)
    {
        if (Spikes.Height % Size != 0 || Spikes.Width % Size != 0)
            throw new SpikeSimException($"Node '{Name}' pools a {Spikes} image in {Size}×{Size} windows, leaving a remainder; SpikeSim folds it into node '{conv}' only where the windows tile the image.");
        var (kh, kw, channels) = (pooled.KernelHeight, pooled.KernelWidth, pooled.Input.Channels);
        var (khP, kwP) = (kh * Size, kw * Size);
        var geometry = new ConvGeometry(Spikes, pooled.Output.Channels, khP, kwP, pooled.StrideY * Size, pooled.StrideX * Size, pooled.PaddingY * Size, pooled.PaddingX * Size);
        var folded = new float[pooled.Output.Channels * channels * khP * kwP];
        for (var oi = 0; oi < pooled.Output.Channels * channels; oi++)
            for (var y = 0; y < khP; y++)
                for (var x = 0; x < kwP; x++)
                    folded[(oi * khP + y) * kwP + x] = oihw[(oi * kh + y / Size) * kw + x / Size] * Norm;
        return (geometry, folded);
    }

    /// <summary>An Affine over the flattened pooled image ([outputs, C·Hp·Wp], channels-first) as one over the flattened spikes ([outputs, C·H·W]).</summary>
    public float[] IntoDense(float[] weights, int outputs)
    {
        var (h, w, hp, wp) = (Spikes.Height, Spikes.Width, Pooled.Height, Pooled.Width);
        var folded = new float[(long)outputs * Spikes.Size];
        for (var o = 0; o < outputs; o++)
            for (var c = 0; c < Spikes.Channels; c++)
                for (var y = 0; y < hp * Size; y++)          // rows and columns past the last whole window are dropped by the pooling
                    for (var x = 0; x < wp * Size; x++)
                        folded[(long)o * Spikes.Size + (c * h + y) * w + x] = weights[(long)o * Pooled.Size + (c * hp + y / Size) * wp + x / Size] * Norm;
        return folded;
    }
}

/// <summary>One layer of a <see cref="NirChain"/>: its weights [outputs, inputs] and bias, already scaled into the discrete step.</summary>
public sealed record NirLayer(string Affine, string Neuron, int Inputs, int Outputs, float[] Weight, float[] Bias, float[]? RecurrentWeight, NirCell Cell)
{
    /// <summary>Steps by which this layer reads the previous one's spikes late (NIR Delay nodes between them); 0: the same step.</summary>
    public int DelaySteps { get; init; }
}

/// <summary>A layer's neuron, as the discrete model SpikeSim runs it.</summary>
/// <param name="InputScale">The factor the layer's weights and bias were multiplied by.</param>
public abstract record NirCell(double InputScale)
{
    /// <summary>
    /// A constant added to the membrane each step: v_leak's forward-Euler term (dt/τ)·v_leak, for LIF and LI layers. A
    /// CubaLIF layer holds v_leak itself (<see cref="NirCubaLifCell.VLeak"/>), since its model's R would scale a current.
    /// </summary>
    public double Leak { get; init; }

    /// <summary>A constant added to a CubaLIF's synaptic current each step (Norse's synapse relaxes to v_leak too).</summary>
    public double SynapseLeak { get; init; }

    /// <summary>Where every state variable of the layer starts (Norse starts its cells at v_leak; NIR names no initial state).</summary>
    public double Start { get; init; }

    /// <summary>The state variables <see cref="Start"/> applies to.</summary>
    public abstract IReadOnlyList<StateVariable> Started { get; }

    /// <summary>NIR's name of the node type.</summary>
    public abstract string Name { get; }

    /// <summary>Whether its output is spikes (else a potential).</summary>
    public abstract bool Spikes { get; }

    /// <summary>The simulator model with these decays at a step of <paramref name="dtMs"/>.</summary>
    public abstract INeuronModel Model(double dtMs, ResetMode reset);

    /// <summary>The time constant, in ms, whose decay over <paramref name="dtMs"/> is <paramref name="decay"/>.</summary>
    protected static double Tau(float decay, double dtMs) => decay == 1 ? double.PositiveInfinity : -dtMs / Math.Log(decay);
}

/// <summary>A LIF layer (an IF where β = 1): u[t] = β·u[t−1] + h[t], spiking above θ.</summary>
public sealed record NirLifCell(float Beta, double InputScale, float Threshold, string Type = "LIF") : NirCell(InputScale)
{
    /// <inheritdoc />
    public override string Name => Type;

    /// <inheritdoc />
    public override bool Spikes => true;

    /// <inheritdoc />
    public override INeuronModel Model(double dtMs, ResetMode reset)
        => new Lif(Tau(Beta, dtMs), R: 1, VLeak: 0, Threshold, VReset: 0, RefractoryMs: 0,
            Type == "Threshold" ? ResetMode.ZeroAtNextStep : reset, Integrator.DiscreteTime); // a Threshold keeps nothing between steps

    /// <inheritdoc />
    public override IReadOnlyList<StateVariable> Started => [Lif.V];
}

/// <summary>An LI readout: y[t] = β·y[t−1] + h[t].</summary>
public sealed record NirLiCell(float Beta, double InputScale) : NirCell(InputScale)
{
    /// <summary>The NIR type read: LI, or I (β = 1).</summary>
    public string Type { get; init; } = "LI";

    /// <inheritdoc />
    public override string Name => Type;

    /// <inheritdoc />
    public override bool Spikes => false;

    /// <inheritdoc />
    public override INeuronModel Model(double dtMs, ResetMode reset) => new LeakyIntegrator(Tau(Beta, dtMs), R: 1, VLeak: 0, Integrator.DiscreteTime);

    /// <inheritdoc />
    public override IReadOnlyList<StateVariable> Started => [LeakyIntegrator.V];
}

/// <summary>
/// A current-based LIF layer: i[t] = α·i[t−1] + h[t], u[t] = v_leak + (u[t−1] − v_leak)·β + c·i[t], spiking above θ — a
/// <see cref="CubaLif"/> in discrete time with R = c (its leak is its v_leak, not a current, since R would scale a current).
/// </summary>
public sealed record NirCubaLifCell(float Alpha, float Beta, double InputScale, double Gain, float Threshold) : NirCell(InputScale)
{
    /// <summary>The membrane's resting potential v_leak.</summary>
    public double VLeak { get; init; }

    /// <inheritdoc />
    public override string Name => Spikes ? "CubaLIF" : "CubaLI";

    /// <summary>False for CubaLI: θ = +∞, read as a readout.</summary>
    public override bool Spikes => !float.IsPositiveInfinity(Threshold);

    /// <inheritdoc />
    public override INeuronModel Model(double dtMs, ResetMode reset)
        => new CubaLif(Tau(Beta, dtMs), Tau(Alpha, dtMs), Tau(Alpha, dtMs), R: Gain, VLeak, Threshold, VReset: 0, RefractoryMs: 0,
            Spikes ? reset : ResetMode.ZeroAtNextStep, Integrator.DiscreteTime);

    /// <inheritdoc />
    public override IReadOnlyList<StateVariable> Started => [CubaLif.V, CubaLif.ISynExc];
}
