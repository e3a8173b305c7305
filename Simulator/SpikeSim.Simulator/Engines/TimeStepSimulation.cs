using ILGPU.Runtime;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.LinearAlgebra;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Engines;

/// <summary>
/// The time-step engine: every neuron every step, on any <see cref="IComputeBackend"/>. One step t:
/// <list type="number">
/// <item>injected currents with a waveform are set for step t, and Poisson inputs add their events of step t;</item>
/// <item>each population consumes ring slot t mod D and integrates (its model's kernel), writing spike flags;</item>
/// <item>flags are compacted into a list of the neurons that fired;</item>
/// <item>neuromodulator levels decay and take this step's releases;</item>
/// <item>each projection delivers those spikes into its target's ring, d steps ahead, then learns (if it has a rule) — on the
/// host launcher, the projections onto different targets at once;</item>
/// <item>observers (recorders) read the step.</item>
/// </list>
/// The time loop lives here and nowhere else; it allocates nothing per step.
/// </summary>
public sealed class TimeStepSimulation : ISimulationEngine, IStepView
{
    private readonly IComputeBackend _backend;
    private readonly PopulationState[] _populations;
    private readonly (Projection Spec, SynapseGroup Synapses)[] _projections;
    private readonly List<IStepObserver> _observers = [];
    private readonly List<StepRecorder> _recorders = [];
    private readonly Neuromodulator[] _modulators;
    private readonly double[] _modulatorPending, _modulatorDecay;
    private readonly DeviceBuffer<double> _modulatorLevel;
    private readonly int[] _projectionModulator;
    private readonly Feeds? _feeds;
    private readonly int[][] _deliveryGroups;
    private readonly ParallelOptions? _parallelDelivery;

    /// <summary>Instantiates <paramref name="network"/> on <paramref name="backend"/>.</summary>
    public TimeStepSimulation(Network network, IComputeBackend backend, TimeStepOptions options)
    {
        Discretization.CheckStep(options.DtMs);
        if (network.Populations.Count == 0) throw new InvalidParameterException("The network has no populations.");
        _backend = backend;
        Options = options;
        Network = network;
        var projections = new List<(Projection, SynapseGroup)>();
        var populations = new List<PopulationState>();
        try
        {
            foreach (var p in network.Projections)
                projections.Add((p, SynapseGroup.Create(backend, p.Connectivity, p.DelayMs, options.DtMs, options.Propagation, p.Plasticity)));
            _projections = [.. projections];
            foreach (var p in network.Populations) populations.Add(new PopulationState(p, backend, options, RingDepth(p)));
            _populations = [.. populations];
            foreach (var current in network.Currents) _populations[current.Target.Index].AddCurrent(current);
            for (var k = 0; k < network.PoissonInputs.Count; k++)
                _populations[network.PoissonInputs[k].Target.Index].AddPoisson(network.PoissonInputs[k], options, k, backend);
            for (var k = 0; k < network.NoiseCurrents.Count; k++)
                _populations[network.NoiseCurrents[k].Target.Index].AddNoise(network.NoiseCurrents[k], CounterRng.Hash(options.Seed, (uint)k, 0x7A1A));
            foreach (var state in _populations) state.FinishCurrents(backend);
            _modulators = network.Projections.Select(p => p.Plasticity?.Modulator).OfType<Neuromodulator>().Distinct().ToArray();
            _modulatorLevel = backend.Allocate<double>(_modulators.Length);
            _modulatorPending = new double[_modulators.Length];
            _modulatorDecay = _modulators.Select(m => Discretization.Decay(options.DtMs, m.TauNMs)).ToArray();
            _projectionModulator = network.Projections
                .Select(p => p.Plasticity?.Modulator is { } m ? Array.IndexOf(_modulators, m) : -1).ToArray();
            _feeds = network.Feeds.Count > 0 ? new Feeds(network, backend) : null;
            _deliveryGroups = [.. Enumerable.Range(0, _projections.Length).GroupBy(k => _projections[k].Spec.Target.Index).Select(g => g.ToArray())];
            // On the host launcher, whose spike-driven deliveries run on the calling thread, targets are delivered side by side.
            _parallelDelivery = backend.OrderedScatter && backend.HostThreads > 1 && _deliveryGroups.Length > 1
                ? new ParallelOptions { MaxDegreeOfParallelism = backend.HostThreads } : null;
        }
        catch
        {
            // A model that refuses its parameters must not leave device memory behind.
            foreach (var (_, synapses) in projections) synapses.Dispose();
            foreach (var state in populations) state.Dispose();
            _feeds?.Dispose();
            _modulatorLevel?.Dispose();
            throw;
        }
    }

    /// <summary>The network this simulation runs.</summary>
    public Network Network { get; }

    /// <summary>The engine's settings.</summary>
    public TimeStepOptions Options { get; }

    /// <inheritdoc />
    public EngineKind Kind => EngineKind.Step;

    /// <inheritdoc />
    public string Description => _backend.Description;

    /// <summary>Steps completed so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>Simulated time so far, in ms.</summary>
    public double TimeMs => StepsDone * Options.DtMs;

    /// <summary>Device bytes held by synapses.</summary>
    public long SynapseBytes => _projections.Sum(p => p.Synapses.Bytes);

    /// <summary>Device bytes held by neuron state, ring buffers and spike lists.</summary>
    public long NeuronBytes => _populations.Sum(p => p.Bytes);

    int IStepView.Step => StepsDone - 1;

    double IStepView.DtMs => Options.DtMs;

    /// <summary>Adds an observer called after every step.</summary>
    public T Observe<T>(T observer) where T : IStepObserver
    {
        _observers.Add(observer);
        return observer;
    }

    /// <summary>Releases <paramref name="amount"/> of <paramref name="modulator"/>; its level rises by that much in the next step.</summary>
    public void Release(Neuromodulator modulator, double amount) => _modulatorPending[ModulatorIndex(modulator)] += amount;

    /// <summary>The level of <paramref name="modulator"/> in the last step.</summary>
    /// <remarks>The levels live on the device: on a GPU, asking is a host read.</remarks>
    public double ModulatorLevel(Neuromodulator modulator)
    {
        var level = new double[1];
        _modulatorLevel.CopyTo(level, ModulatorIndex(modulator));
        return level[0];
    }

    /// <summary>A copy of the current weights of <paramref name="projection"/>, in its connectivity's order.</summary>
    public float[] Weights(Projection projection)
    {
        var index = Network.Projections.ToList().IndexOf(projection);
        if (index < 0) throw new InvalidParameterException("That projection is not part of this network.");
        return _projections[index].Synapses.Weights.ToArray();
    }

    private int ModulatorIndex(Neuromodulator modulator)
    {
        var index = Array.IndexOf(_modulators, modulator);
        return index >= 0 ? index : throw new InvalidParameterException("No learning rule of this network reads that neuromodulator.");
    }

    /// <summary>Sets the values <paramref name="input"/> holds for the next step (the feeds that read it see them).</summary>
    public void SetInput(ExternalInput input, ReadOnlySpan<float> values)
    {
        if (_feeds is null || !_feeds.Inputs.TryGetValue(input, out var buffer))
            throw new InvalidParameterException($"No feed of this network reads the input '{input.Name}'.");
        if (values.Length != input.Width) throw new InvalidParameterException($"The input '{input.Name}' takes {input.Width} values, not {values.Length}.");
        buffer.CopyFrom(values);
    }

    /// <summary>The device state of <paramref name="population"/>'s neurons.</summary>
    public NeuronGroup Group(Population population) => _populations[population.Index].Group;

    /// <inheritdoc />
    /// <remarks>On a GPU, spikes accumulate on the device and reach the sink in chunks (<see cref="DeviceSpikeLog"/>); every
    /// <see cref="RunSteps"/> delivers all of its spikes before it returns.</remarks>
    public void Record(IReadOnlyList<Recording.Recording> recordings, IRecordingSink sink)
        => _recorders.Add(Observe(new StepRecorder(recordings, sink, Options.DtMs, _backend.OrderedScatter ? null : this)));

    /// <inheritdoc />
    /// <remarks>The duration is rounded to whole steps.</remarks>
    public void Run(double durationMs, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        if (!(durationMs >= 0) || double.IsInfinity(durationMs))
            throw new InvalidParameterException($"A run lasts a positive, finite time (got {durationMs} ms).");
        var steps = Math.Round(durationMs / Options.DtMs);
        if (steps > int.MaxValue - StepsDone)
            throw new InvalidParameterException($"{durationMs} ms is {steps:0} steps of {Options.DtMs} ms; the most in one run is {int.MaxValue - StepsDone}.");
        RunSteps((int)steps, progress is null ? null : new StepsToTime(progress, Options.DtMs, StepsDone), cancel);
    }

    /// <summary>
    /// Refused at compile time: <c>Run(10)</c> ran 10 steps while <c>Run(10.0)</c> runs 10 ms. Say which:
    /// <see cref="RunSteps"/> or <see cref="Run(double, IProgress{double}?, CancellationToken)"/>.
    /// </summary>
    [Obsolete("Run(int) ran steps, Run(double) runs milliseconds: call RunSteps(steps) or Run(durationMs).", error: true)]
    public void Run(int steps, IProgress<int>? progress = null, CancellationToken cancel = default) => RunSteps(steps, progress, cancel);

    /// <summary>Runs <paramref name="steps"/> steps; <paramref name="progress"/> hears the steps done every so often.</summary>
    public void RunSteps(int steps, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        if (steps < 0) throw new InvalidParameterException($"Cannot run a negative number of steps ({steps}).");
        var report = Math.Max(1, steps / 200);
        for (var s = 0; s < steps; s++)
        {
            StepOnce();
            if (progress is not null && (s + 1) % report == 0) progress.Report(s + 1);
            cancel.ThrowIfCancellationRequested();
        }
        foreach (var recorder in _recorders) recorder.Flush();
        _backend.Synchronize();
    }

    private void StepOnce()
    {
        var t = StepsDone;
        // Each population integrates and lists its spikes in turn, so a same-step feed reads a source that has fired.
        for (var k = 0; k < _populations.Length; k++)
        {
            var p = _populations[k];
            _feeds?.Apply(_backend, k, p.Ring.Slot(t).SubView(0, p.Group.Count));
            p.Integrate(_backend, t);
            p.Compact(_backend);
            _feeds?.Fired(_backend, k, p.SourceSpikes.Flags);
        }
        _feeds?.EndStep();
        UpdateModulators();
        if (_parallelDelivery is { } parallel) Parallel.For(0, _deliveryGroups.Length, parallel, g => DeliverGroup(g, t));
        else
            for (var g = 0; g < _deliveryGroups.Length; g++) DeliverGroup(g, t);
        StepsDone = t + 1;
        foreach (var observer in _observers) observer.OnStep(this);
    }

    /// <summary>
    /// Delivers (and then learns) the projections onto one target population, in the order they were added. Only they write
    /// that target's ring, and only each projection's own rule writes its weights, so groups may run at once on the host
    /// launcher without changing a single sum.
    /// </summary>
    private void DeliverGroup(int group, int t)
    {
        foreach (var k in _deliveryGroups[group])
        {
            var (spec, synapses) = _projections[k];
            var source = _populations[spec.Source.Index].SourceSpikes;
            var target = _populations[spec.Target.Index];
            synapses.Deliver(_backend, source, target.Ring.Target(t, spec.Channel));
            var modulator = _projectionModulator[k];
            synapses.Learn(_backend, source, target.SourceSpikes, modulator < 0 ? Plasticity.ModulatorLevel.None : new(_modulatorLevel.View, modulator));
        }
    }

    private void UpdateModulators()
    {
        for (var m = 0; m < _modulators.Length; m++)
        {
            var source = _modulators[m].Source is { } population ? _populations[population.Index].SourceSpikes : default;
            _backend.Launch(1, new ModulatorStepKernel(_modulatorLevel.View, m, _modulatorDecay[m], _modulatorPending[m],
                _modulators[m].Source is null ? 0 : _modulators[m].PerSpike, source.Count, source.DeviceCount));
            _modulatorPending[m] = 0;
        }
    }

    ReadOnlySpan<int> IStepView.Spikes(Population population) => _populations[population.Index].HostSpikes(_backend);

    void IStepView.ReadState(Population population, StateVariable variable, ReadOnlySpan<int> neurons, Span<float> destination)
        => _populations[population.Index].ReadState(variable, neurons, destination);

    private int RingDepth(Population target)
        => _projections.Where(p => p.Spec.Target == target).Select(p => p.Synapses.MaxDelaySteps).DefaultIfEmpty(1).Max();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var recorder in _recorders) recorder.Dispose();
        _modulatorLevel.Dispose();
        foreach (var p in _populations) p.Dispose();
        foreach (var (_, synapses) in _projections) synapses.Dispose();
        _feeds?.Dispose();
    }

    /// <summary>
    /// The engine side of the network's affine feeds: weights, inputs, spike values, each target's sum, and the scratch
    /// of convolutions (im2col columns, the image before pooling) and flattens.
    /// </summary>
    private sealed class Feeds : IDisposable
    {
        private readonly IGemm _gemm;
        private readonly List<IDisposable> _owned = [];
        private readonly (AffineFeed Feed, FeedBuffers Buffers)[][] _byTarget;
        private readonly DeviceBuffer<float>?[] _sum, _bias, _current;
        private readonly DeviceBuffer<float>[]?[] _history;   // per source: its spikes of the last steps, a ring (slot = step mod length)
        private int _step;

        public Feeds(Network network, IComputeBackend backend)
        {
            _gemm = Gemm.For(backend);
            var count = network.Populations.Count;
            (_sum, _bias, _current) = (new DeviceBuffer<float>?[count], new DeviceBuffer<float>?[count], new DeviceBuffer<float>?[count]);
            _history = new DeviceBuffer<float>[]?[count];
            DeviceBuffer<T> Own<T>(long length) where T : unmanaged
            {
                var buffer = backend.Allocate<T>(length);
                _owned.Add(buffer);
                return buffer;
            }
            DeviceBuffer<float> Upload(float[] values)
            {
                var buffer = Own<float>(values.LongLength);
                buffer.CopyFrom(values);
                return buffer;
            }
            foreach (var input in network.ExternalInputs) Inputs[input] = Own<float>(input.Width);
            _byTarget = [.. network.Populations.Select(p => network.Feeds.Where(f => f.Target == p).Select(f => (f, f switch
            {
                ConvolutionFeed c => new FeedBuffers(Upload(c.Weights), Upload(c.Bias), Own<float>((long)c.Geometry.Output.Pixels * c.Geometry.Columns),
                    Own<float>(c.Geometry.Output.Size), Own<float>(c.Output.Size), Own<byte>(c.Pooling?.Kind == PoolKind.Max ? c.Output.Size : 0)),
                SpikeFeed { Flatten: { } shape } => new FeedBuffers(Upload(f.Weights), Flat: Own<float>(shape.Size)),
                _ => new FeedBuffers(Upload(f.Weights)),
            })).ToArray())];
            foreach (var p in network.Populations)
            {
                if (_byTarget[p.Index].Length > 0 || network.FeedBias.ContainsKey(p)) _sum[p.Index] = Own<float>(p.Size);
                if (network.FeedBias.TryGetValue(p, out var bias)) (_bias[p.Index] = Own<float>(p.Size)).CopyFrom(bias);
            }
            foreach (var feed in network.Feeds)
            {
                if (feed.From.Source is not { } source) continue;
                _current[source.Index] ??= Own<float>(source.Size);
            }
            foreach (var group in network.Feeds.Where(f => f.From.Source is not null && f.From.Lag > 0).GroupBy(f => f.From.Source!))
                _history[group.Key.Index] = [.. Enumerable.Range(0, group.Max(f => f.From.Lag)).Select(_ =>
                {
                    var slot = Own<float>(group.Key.Size);
                    slot.Clear(); // no spikes before the first step
                    return slot;
                })];
        }

        public Dictionary<ExternalInput, DeviceBuffer<float>> Inputs { get; } = [];

        /// <summary>h = Σ feeds (in the order they were added) + bias, added to the population's input of the step.</summary>
        public void Apply(IComputeBackend backend, int population, ILGPU.ArrayView<float> input)
        {
            if (_sum[population] is not { } sum) return;
            var first = true;
            foreach (var (feed, buffers) in _byTarget[population])
            {
                var from = feed.From;
                var x = (from.Input is { } external ? Inputs[external]
                    : from.Lag == 0 ? _current[from.Source!.Index]! : Lagged(from.Source!.Index, from.Lag)).View;
                if (feed is ConvolutionFeed convolution) Convolve(backend, convolution, buffers, x, sum.View, first);
                else
                {
                    if (feed is SpikeFeed { Flatten: { } shape })
                    {
                        backend.Launch(shape.Size, new TransposeRowsKernel(x, buffers.Flat!.View, shape.Pixels, shape.Channels));
                        x = buffers.Flat.View;
                    }
                    _gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 1, (int)sum.Length, feed.Width, 1f, x, buffers.Weights.View, first ? 0f : 1f, sum.View);
                }
                first = false;
            }
            if (first) backend.Launch((int)sum.Length, new FillKernel<float>(sum.View, 0f));
            if (_bias[population] is { } bias) backend.Launch((int)sum.Length, new AxpyKernel(sum.View, sum.View, 1f, bias.View));
            backend.Launch((int)sum.Length, new AxpyKernel(input, input, 1f, sum.View));
        }

        /// <summary>
        /// pool(b + W ⊛ x) into <paramref name="sum"/> (or added to it after an earlier feed), with the kernels and the one
        /// GEMM a trained convolution's forward pass launches for one row: broadcast bias, im2col, columns·Wᵀ onto it, pooling.
        /// </summary>
        private void Convolve(IComputeBackend backend, ConvolutionFeed c, FeedBuffers b, ILGPU.ArrayView<float> x, ILGPU.ArrayView<float> sum, bool first)
        {
            var g = c.Geometry;
            var image = c.Pooling is null && first ? sum : b.Image!.View;
            backend.Launch(g.Output.Size, new BroadcastRowsKernel(image, b.Bias!.View, g.Output.Channels));
            backend.Launch(g.Output.Pixels * g.Columns, new Im2ColKernel(x, b.Columns!.View, g, 0));
            _gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, g.Output.Pixels, g.Output.Channels, g.Columns, 1f, b.Columns.View, b.Weights.View, 1f, image);
            var result = image;
            if (c.Pooling is { } pooling)
            {
                result = first ? sum : b.Pooled!.View;
                backend.Launch(c.Output.Size, new Pool2dForwardKernel(image, result, b.Argmax!.View, pooling.Geometry, pooling.Kind));
            }
            if (!first) backend.Launch(c.Output.Size, new AxpyKernel(sum, sum, 1f, result));
        }

        /// <summary>The population's spikes of this step as values 1 and 0, for the feeds that read them.</summary>
        public void Fired(IComputeBackend backend, int population, ILGPU.ArrayView<byte> flags)
        {
            if (_current[population] is { } values) backend.Launch((int)values.Length, new SpikeValuesKernel(flags, values.View));
        }

        /// <summary>This step's spikes join the history that lagged feeds (previous step, delays) read.</summary>
        public void EndStep()
        {
            for (var k = 0; k < _history.Length; k++)
                if (_history[k] is { } ring) ring[_step % ring.Length].View.CopyFrom(_current[k]!.View);
            _step++;
        }

        /// <summary>The spikes of population <paramref name="source"/> <paramref name="lag"/> steps ago (zeros before the first step).</summary>
        private DeviceBuffer<float> Lagged(int source, int lag)
        {
            var ring = _history[source]!;
            return ring[(((_step - lag) % ring.Length) + ring.Length) % ring.Length];
        }

        public void Dispose()
        {
            foreach (var buffer in _owned) buffer.Dispose();
            _gemm.Dispose();
        }
    }

    /// <summary>A feed's device buffers: its weights, and the scratch a convolution or a flatten needs.</summary>
    private sealed record FeedBuffers(DeviceBuffer<float> Weights, DeviceBuffer<float>? Bias = null, DeviceBuffer<float>? Columns = null,
        DeviceBuffer<float>? Image = null, DeviceBuffer<float>? Pooled = null, DeviceBuffer<byte>? Argmax = null, DeviceBuffer<float>? Flat = null);

    private sealed class StepsToTime(IProgress<double> inner, double dtMs, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report((offset + value) * dtMs);
    }

    /// <summary>Sends each step's spikes and every k-th step's state to a sink.</summary>
    /// <remarks>
    /// Given its engine on a device (a GPU, whose spike counts stay there), spikes go through a
    /// <see cref="DeviceSpikeLog"/> per recording and reach the sink a chunk at a time; on the host launcher, every step.
    /// </remarks>
    private sealed class StepRecorder : IStepObserver, IDisposable
    {
        private readonly IRecordingSink _sink;
        private readonly (int Index, Population Population)[] _spikes;
        private readonly (int Index, StateRecording Recording, int EverySteps, float[] Buffer)[] _states;
        private readonly double _dtMs;
        private readonly TimeStepSimulation? _device;
        private readonly DeviceSpikeLog[] _logs;
        private double[] _times = new double[256];

        public StepRecorder(IReadOnlyList<Recording.Recording> recordings, IRecordingSink sink, double dtMs, TimeStepSimulation? device)
        {
            (_sink, _dtMs, _device) = (sink, dtMs, device);
            _spikes = [.. recordings.Select((r, k) => (k, r)).Where(x => x.r is SpikeRecording or RateRecording).Select(x => (x.k, x.r.Population))];
            _logs = device is null ? [] : [.. _spikes.Select(x => new DeviceSpikeLog(device._backend, x.Population.Size))];
            _states = [.. recordings.Select((r, k) => (k, r)).Where(x => x.r is StateRecording).Select(x =>
            {
                var state = ((StateRecording)x.r).Validated();
                var every = state.EveryMs / dtMs;
                if (Math.Abs(every - Math.Round(every)) > 1e-9 * every || Math.Round(every) < 1)
                    throw new InvalidParameterException($"The time-step engine samples '{state.Population.Name}' every whole step; {state.EveryMs} ms is not a multiple of dt {dtMs} ms.");
                return (x.k, state, (int)Math.Round(every), new float[state.Neurons.Length]);
            })];
        }

        public void OnStep(IStepView view)
        {
            for (var k = 0; k < _spikes.Length; k++)
            {
                var (index, population) = _spikes[k];
                if (_device is not null)
                {
                    if (_logs[k].Append(_device._backend, _device._populations[population.Index].SourceSpikes, view.Step)) Drain(k);
                    continue;
                }
                Emit(index, view.Step, view.Spikes(population));
            }
            foreach (var (index, state, every, buffer) in _states)
            {
                if ((view.Step + 1) % every != 0) continue;
                view.ReadState(state.Population, state.Variable, state.Neurons, buffer);
                _sink.State(index, (view.Step + 1) * _dtMs, buffer);
            }
        }

        /// <summary>Delivers the spikes still on the device.</summary>
        public void Flush()
        {
            for (var k = 0; k < _logs.Length; k++) Drain(k);
        }

        public void Dispose()
        {
            foreach (var log in _logs) log.Dispose();
        }

        private void Drain(int k) => _logs[k].Drain(_device!._backend, (step, neurons) => Emit(_spikes[k].Index, step, neurons));

        private void Emit(int index, int step, ReadOnlySpan<int> fired)
        {
            if (fired.Length == 0) return;
            if (_times.Length < fired.Length) _times = new double[Math.Max(fired.Length, 2 * _times.Length)];
            var times = _times.AsSpan(0, fired.Length);
            times.Fill(step * _dtMs);
            _sink.Spikes(index, fired, times);
        }
    }

    /// <summary>The engine-side buffers of one population.</summary>
    private sealed class PopulationState : IDisposable
    {
        private readonly DeviceBuffer<float> _current, _constantCurrent;
        private readonly DeviceBuffer<byte> _flags;
        private readonly DeviceBuffer<int> _list, _count;
        private readonly int[] _hostCount = new int[1];
        private readonly int[] _hostList;
        private readonly List<CurrentInput> _varying = [];
        private readonly List<DeviceBuffer<float>> _varyingAmplitude = [];
        private readonly List<(PoissonInput Input, DeviceBuffer<float> Cumulative, ulong Seed)> _poisson = [];
        private readonly List<(NoiseCurrentInput Input, ulong Seed)> _noise = [];
        private float[]? _constantSum;
        private int _fired;

        public PopulationState(Population population, IComputeBackend backend, TimeStepOptions options, int ringDepth)
        {
            var seed = CounterRng.Hash(options.Seed, (uint)population.Index, 0x5EED);
            Group = population.Model.CreateGroup(new GroupContext(backend, population.Size, options.DtMs, seed));
            foreach (var (variable, values) in population.Initial) Group.State(variable).CopyFrom(values);
            Ring = new SynapticInputRing(backend, population.Size, population.Model.InputChannels, ringDepth);
            _current = backend.Allocate<float>(population.Size);
            _constantCurrent = backend.Allocate<float>(population.Size);
            _flags = backend.Allocate<byte>(population.Size);
            _list = backend.Allocate<int>(population.Size);
            _count = backend.Allocate<int>(1);
            _hostList = backend.IsHostMemory && backend.OrderedScatter ? [] : new int[population.Size];
        }

        public NeuronGroup Group { get; }

        public SynapticInputRing Ring { get; }

        public SourceSpikes SourceSpikes => new(_flags.View, _list.View, _fired) { DeviceCount = _count.View, Size = Group.Count };

        public long Bytes => Group.StateBytes + Ring.Bytes + _current.Bytes + _constantCurrent.Bytes + _flags.Bytes + _list.Bytes;

        public void AddCurrent(CurrentInput input)
        {
            _constantSum ??= new float[Group.Count];
            if (input.IsConstant)
            {
                var scale = input.Scale(0);
                for (var i = 0; i < _constantSum.Length; i++) _constantSum[i] += scale * input.Amplitude[i];
                return;
            }
            _varying.Add(input);
        }

        public void AddPoisson(PoissonInput input, TimeStepOptions options, int index, IComputeBackend backend)
        {
            var lambda = input.RateHz * options.DtMs * 1e-3;
            if (lambda > 20)
                throw new InvalidParameterException($"A Poisson input of {input.RateHz} Hz brings {lambda:0.#} events a step; use a smaller dt (at most 20 a step).");
            var cumulative = PoissonInputKernel.CumulativeTable(lambda);
            var table = backend.Allocate<float>(cumulative.Length);
            table.CopyFrom(cumulative);
            _poisson.Add((input, table, CounterRng.Hash(options.Seed, (uint)index, 0xB01550)));
        }

        public void AddNoise(NoiseCurrentInput input, ulong seed)
        {
            _constantSum ??= new float[Group.Count];
            _noise.Add((input, seed));
        }

        public void FinishCurrents(IComputeBackend backend)
        {
            if (_constantSum is null) return;
            _constantCurrent.CopyFrom(_constantSum);
            _current.CopyFrom(_constantSum);
            foreach (var input in _varying)
            {
                var amplitude = backend.Allocate<float>(input.Amplitude.Length);
                amplitude.CopyFrom(input.Amplitude);
                _varyingAmplitude.Add(amplitude);
            }
        }

        public void Integrate(IComputeBackend backend, int step)
        {
            for (var k = 0; k < _varying.Count; k++)
            {
                var from = k == 0 ? _constantCurrent.View : _current.View;
                backend.Launch(Group.Count, new AxpyKernel(_current.View, from, _varying[k].Scale(step), _varyingAmplitude[k].View));
            }
            for (var k = 0; k < _noise.Count; k++)
            {
                var (input, seed) = _noise[k];
                var from = k == 0 && _varying.Count == 0 ? _constantCurrent.View : _current.View;
                backend.Launch(Group.Count, new NoiseCurrentKernel(_current.View, from, input.Low, input.High - input.Low, seed, step));
            }
            var slot = Ring.Slot(step);
            foreach (var (input, cumulative, seed) in _poisson)
                backend.Launch(Group.Count, new PoissonInputKernel(slot.SubView((long)input.Channel * Group.Count, Group.Count),
                    cumulative.View, input.Weight, seed, step));
            Group.Step(backend, new NeuronStepArgs(slot, _current.View, _flags.View, step, hasCurrent: _constantSum is not null));
        }

        /// <summary>
        /// Lists this step's spikes. The host launcher knows the count at once; a GPU keeps it on the device (−1 here) and
        /// copies it only when the host asks (<see cref="FiredCount"/>), so that a step never waits for the host.
        /// </summary>
        public void Compact(IComputeBackend backend)
        {
            backend.Launch(1, new FillKernel<int>(_count.View, 0));
            backend.Launch(Group.Count, new SpikeCompactionKernel(_flags.View, _list.View, _count.View));
            if (backend.OrderedScatter)
            {
                _count.CopyTo(_hostCount);
                _fired = _hostCount[0];
            }
            else _fired = -1;
        }

        /// <summary>This step's spike count, copied from the device where the host does not know it yet.</summary>
        public int FiredCount()
        {
            if (_fired < 0)
            {
                _count.CopyTo(_hostCount);
                _fired = _hostCount[0];
            }
            return _fired;
        }

        public ReadOnlySpan<int> HostSpikes(IComputeBackend backend)
        {
            if (backend.IsHostMemory && backend.OrderedScatter) return _list.HostSpan[.._fired];
            var list = _hostList.AsSpan(0, FiredCount());
            _list.CopyTo(list);
            list.Sort();
            return list;
        }

        public void ReadState(StateVariable variable, ReadOnlySpan<int> neurons, Span<float> destination)
        {
            var buffer = Group.State(variable);
            if (buffer.Length > 0 && destination.Length >= neurons.Length)
            {
                ReadOnlySpan<float> values = buffer.HostSpanOrCopy();
                for (var k = 0; k < neurons.Length; k++) destination[k] = values[neurons[k]];
            }
        }

        public void Dispose()
        {
            Group.Dispose();
            Ring.Dispose();
            _current.Dispose();
            _constantCurrent.Dispose();
            _flags.Dispose();
            _list.Dispose();
            _count.Dispose();
            foreach (var a in _varyingAmplitude) a.Dispose();
            foreach (var (_, table, _) in _poisson) table.Dispose();
        }
    }
}
