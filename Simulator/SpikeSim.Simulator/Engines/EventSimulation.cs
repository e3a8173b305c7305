using System.Runtime.CompilerServices;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Engines;

/// <summary>
/// The event engine: spikes at exact, off-grid times. Neuron state is advanced in closed form from
/// one event to the next (<see cref="IExactNeuronModel"/>); a neuron's next threshold crossing is
/// computed and queued, and a queued crossing is dropped when an input arrives first (a version
/// number per neuron) — except an input that can only postpone it (an inhibitory jump into a CUBA-LIF neuron), after which
/// the queued crossing stays as a lower bound and is predicted again when it comes due. Deliveries use the real-valued delays of the network, unrounded. Pending
/// events live in one binary heap ordered by (time, sequence), so events at equal times run in the
/// order they were made and a run is deterministic.
/// </summary>
public sealed class EventSimulation : ISimulationEngine
{
    private enum EventKind : byte { Spike, Delivery, SynapseDelivery, PoissonArrival }

    private readonly record struct Event(EventKind Kind, int Group, int Index, int Tag);

    private readonly PriorityQueue<Event, (double Time, long Sequence)> _queue = new();
    private readonly ExactNeuronGroup[] _groups;
    private readonly int[][] _versions;
    // Per neuron: a crossing is queued (its version is current), and inputs since it was predicted may have postponed it.
    private readonly bool[][] _queued, _postponed;
    private readonly OutgoingProjection[][] _outgoing;
    private readonly OutgoingProjection[] _projections;
    private readonly PoissonTrain[] _poisson;
    private readonly List<ISpikeObserver> _observers = [];
    private readonly ModulatorHistory[] _modulators;
    private readonly ExactPlasticity?[] _learning;
    private readonly List<StateSampler> _samplers = [];
    private long _sequence;

    /// <summary>Instantiates <paramref name="network"/> for exact event-driven simulation.</summary>
    public EventSimulation(Network network, EventOptions options)
    {
        Network = network;
        if (network.Feeds.Count > 0)
            throw new InvalidParameterException("The event engine has no per-step affine inputs (the inputs of trained layers, whose neurons are discrete-time); use the time-step engine.");
        if (network.NoiseCurrents.Count > 0)
            throw new InvalidParameterException("The event engine takes no noise currents (they change every step); use the time-step engine.");
        _groups = network.Populations.Select(p => Create(p, options.Seed)).ToArray();
        _versions = network.Populations.Select(p => new int[p.Size]).ToArray();
        _queued = network.Populations.Select(p => new bool[p.Size]).ToArray();
        _postponed = network.Populations.Select(p => new bool[p.Size]).ToArray();
        foreach (var current in network.Currents)
        {
            if (!current.IsConstant)
                throw new InvalidParameterException($"The event engine takes constant currents only; the current into '{current.Target.Name}' has a waveform.");
            for (var i = 0; i < current.Target.Size; i++) _groups[current.Target.Index].SetCurrent(i, current.Scale(0) * current.Amplitude[i]);
        }
        _projections = network.Projections.Select((p, k) => new OutgoingProjection(p, k)).ToArray();
        _outgoing = network.Populations.Select(p => _projections.Where(o => o.Spec.Source == p).ToArray()).ToArray();
        _modulators = network.Projections.Select(p => p.Plasticity?.Modulator).OfType<Neuromodulator>()
            .Distinct().Select(m => new ModulatorHistory(m)).ToArray();
        _learning = network.Projections.Select(p => p.Plasticity is null ? null
            : new ExactPlasticity((SparseConnectivity)p.Connectivity,
                p.Plasticity as IEventRule ?? throw IPlasticityRule.Refuse(p.Plasticity, "event engine", "event-driven"),
                _modulators.FirstOrDefault(h => h.Modulator == p.Plasticity.Modulator))).ToArray();
        _poisson = network.PoissonInputs.Select((input, k) => new PoissonTrain(input, CounterRng.Hash(options.Seed, (uint)k, 0xB01550))).ToArray();

        for (var g = 0; g < _groups.Length; g++)
            for (var i = 0; i < _groups[g].Count; i++) Predict(g, i, 0);
        for (var k = 0; k < _poisson.Length; k++)
            for (var i = 0; i < _poisson[k].Input.Target.Size; i++) Push(_poisson[k].Next(i, 0), new Event(EventKind.PoissonArrival, k, i, 0));
    }

    /// <summary>The network this simulation runs.</summary>
    public Network Network { get; }

    /// <inheritdoc />
    public EngineKind Kind => EngineKind.Event;

    /// <inheritdoc />
    public string Description => $"CPU (event engine, one thread; event queue peak {PeakPendingEvents} events × {BytesPerPendingEvent} bytes)";

    /// <inheritdoc />
    /// <remarks>The event engine keeps the network's own arrays.</remarks>
    public long SynapseBytes => 0;

    /// <summary>Simulated time so far, ms.</summary>
    public double TimeMs { get; private set; }

    /// <summary>
    /// Inputs after which no crossing was predicted because they could only postpone it (<see cref="ExactNeuronGroup.OnlyPostpones"/>);
    /// a postponed crossing is predicted again once, when its queued lower bound comes due.
    /// </summary>
    public long SkippedPredictions { get; private set; }

    /// <summary>Events taken from the queue so far (spikes, deliveries, stale predictions, Poisson arrivals).</summary>
    public long EventsProcessed { get; private set; }

    /// <summary>Synaptic events delivered to neurons so far (one per synapse a spike crossed, and one per Poisson arrival).</summary>
    public long SynapticEvents { get; private set; }

    /// <summary>The most events that were pending at once.</summary>
    public int PeakPendingEvents { get; private set; }

    /// <summary>Bytes one pending event takes in the queue (event, time and sequence number).</summary>
    public static int BytesPerPendingEvent => Unsafe.SizeOf<(Event, (double, long))>();

    /// <summary>Bytes of neuron state.</summary>
    public long NeuronBytes => _groups.Sum(g => (long)g.Count * (g.BytesPerNeuron + sizeof(int)));

    /// <summary>Adds an observer that hears every spike with its exact time.</summary>
    public T Observe<T>(T observer) where T : ISpikeObserver
    {
        _observers.Add(observer);
        return observer;
    }

    /// <summary>Releases <paramref name="amount"/> of <paramref name="modulator"/> at the current time (<see cref="TimeMs"/>).</summary>
    public void Release(Neuromodulator modulator, double amount)
    {
        var history = _modulators.FirstOrDefault(h => h.Modulator == modulator)
            ?? throw new InvalidParameterException("No learning rule of this network reads that neuromodulator.");
        history.Release(TimeMs, amount);
    }

    /// <summary>The weights of <paramref name="projection"/> at the current time, in its connectivity's order.</summary>
    public float[] Weights(Projection projection)
    {
        var index = Network.Projections.ToList().IndexOf(projection);
        if (index < 0) throw new InvalidParameterException("That projection is not part of this network.");
        return _learning[index]?.Weights(TimeMs) ?? [.. _projections[index].Weight];
    }

    /// <summary>The exact state of <paramref name="population"/>, for reading potentials.</summary>
    public ExactNeuronGroup Group(Population population) => _groups[population.Index];

    /// <inheritdoc />
    /// <remarks>
    /// Spikes reach the sink with their exact times. A state recording samples the exact state at its times, which
    /// the run stops at (processing every event before them first); only the membrane potential <c>v</c> has a
    /// closed form here, so other variables are refused.
    /// </remarks>
    public void Record(IReadOnlyList<Recording.Recording> recordings, IRecordingSink sink)
    {
        var spikes = recordings.Select((r, k) => (Index: k, Recording: r)).Where(x => x.Recording is SpikeRecording or RateRecording).ToArray();
        if (spikes.Length > 0) Observe(new SpikeForwarder(spikes.Select(x => (x.Index, x.Recording.Population)).ToArray(), sink));
        foreach (var (index, recording) in recordings.Select((r, k) => (k, r)))
        {
            if (recording is not StateRecording state) continue;
            state = state.Validated();
            if (state.Variable.Name != "v")
                throw new InvalidParameterException($"The event engine records the membrane potential v only; record {state.Variable.Name} of '{state.Population.Name}' with --engine step.");
            _samplers.Add(new StateSampler(index, state, sink, _groups[state.Population.Index], TimeMs));
        }
    }

    /// <summary>Processes every event before <see cref="TimeMs"/> + <paramref name="durationMs"/>, stopping at each state sample time.</summary>
    public void Run(double durationMs, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        if (!(durationMs >= 0) || double.IsInfinity(durationMs))
            throw new InvalidParameterException($"A run lasts a positive, finite time (got {durationMs} ms).");
        var end = TimeMs + durationMs;
        while (_samplers.Count > 0 && _samplers.Min(s => s.NextMs) <= end)
        {
            var at = _samplers.Min(s => s.NextMs);
            RunUntil(at, durationMs, progress, cancel);
            foreach (var sampler in _samplers) sampler.SampleIfDue(at);
        }
        RunUntil(end, durationMs, progress, cancel);
    }

    // Processes every event before end; the next sample is taken with no event at or after its time processed.
    private void RunUntil(double end, double durationMs, IProgress<double>? progress, CancellationToken cancel)
    {
        var nextReport = TimeMs;
        while (_queue.TryPeek(out var e, out var at) && at.Time < end)
        {
            _queue.Dequeue();
            EventsProcessed++;
            Process(e, at.Time);
            if (at.Time >= nextReport)
            {
                progress?.Report(at.Time);
                cancel.ThrowIfCancellationRequested();
                nextReport = at.Time + durationMs / 200;
            }
        }
        TimeMs = end;
    }

    void IDisposable.Dispose()
    {
    }

    private sealed class SpikeForwarder((int Index, Population Population)[] recordings, IRecordingSink sink) : ISpikeObserver
    {
        private readonly int[] _neuron = new int[1];
        private readonly double[] _time = new double[1];

        public void OnSpike(Population population, int neuron, double timeMs)
        {
            foreach (var (index, recorded) in recordings)
            {
                if (recorded != population) continue;
                (_neuron[0], _time[0]) = (neuron, timeMs);
                sink.Spikes(index, _neuron, _time);
            }
        }
    }

    private sealed class StateSampler(int index, StateRecording recording, IRecordingSink sink, ExactNeuronGroup group, double startMs)
    {
        private readonly float[] _values = new float[recording.Neurons.Length];
        private long _taken;

        public double NextMs => startMs + (_taken + 1) * recording.EveryMs;

        public void SampleIfDue(double timeMs)
        {
            if (NextMs > timeMs) return;
            for (var k = 0; k < _values.Length; k++) _values[k] = (float)group.Voltage(recording.Neurons[k], timeMs);
            sink.State(index, timeMs, _values);
            _taken++;
        }
    }

    private void Process(in Event e, double t)
    {
        switch (e.Kind)
        {
            case EventKind.Spike:
                if (_versions[e.Group][e.Index] != e.Tag) break;
                // A crossing that inputs may have postponed was only a lower bound: predict again from here.
                if (_postponed[e.Group][e.Index]) Predict(e.Group, e.Index, t);
                else Spike(e.Group, e.Index, t);
                break;
            case EventKind.Delivery:
            {
                var p = _projections[e.Group];
                for (var s = p.RowStart[e.Index]; s < p.RowStart[e.Index + 1]; s++) Deliver(p, s, t);
                break;
            }
            case EventKind.SynapseDelivery:
                Deliver(_projections[e.Group], e.Tag, t);
                break;
            case EventKind.PoissonArrival:
            {
                var train = _poisson[e.Group];
                Receive(train.Input.Target.Index, e.Index, t, train.Input.Channel, train.Input.Weight);
                Push(train.Next(e.Index, t), new Event(EventKind.PoissonArrival, e.Group, e.Index, 0));
                break;
            }
        }
    }

    private void Deliver(OutgoingProjection p, int synapse, double t)
        => Receive(p.TargetGroup, p.Target[synapse], t, p.Spec.Channel, _learning[p.Index]?.Weight(synapse, t) ?? p.Weight[synapse]);

    private void Receive(int group, int i, double t, int channel, double weight)
    {
        SynapticEvents++;
        var neurons = _groups[group];
        if (neurons.Receive(i, t, channel, weight)) Spike(group, i, t);
        else if (!neurons.OnlyPostpones(channel, weight)) Predict(group, i, t);
        else
        {
            // The queued crossing, if any, stays as a lower bound; without one, none can appear.
            if (_queued[group][i]) _postponed[group][i] = true;
            SkippedPredictions++;
        }
    }

    private void Spike(int group, int i, double t)
    {
        var population = Network.Populations[group];
        foreach (var observer in _observers) observer.OnSpike(population, i, t);
        foreach (var history in _modulators)
            if (history.Modulator.Source == population) history.Release(t, history.Modulator.PerSpike);
        for (var k = 0; k < _learning.Length; k++)
        {
            if (_learning[k] is not { } learning) continue;
            if (_projections[k].Spec.Source == population) learning.PreSpike(i, t);
            if (_projections[k].Spec.Target == population) learning.PostSpike(i, t);
        }
        foreach (var p in _outgoing[group])
        {
            if (p.DelaysMs is null) Push(t + p.Spec.DelayMs, new Event(EventKind.Delivery, p.Index, i, 0));
            else
                for (var s = p.RowStart[i]; s < p.RowStart[i + 1]; s++) Push(t + p.DelaysMs[s], new Event(EventKind.SynapseDelivery, p.Index, i, s));
        }
        _groups[group].Fire(i, t);
        Predict(group, i, t);
    }

    private void Predict(int group, int i, double t)
    {
        var version = ++_versions[group][i];
        var next = _groups[group].NextSpike(i, t);
        _queued[group][i] = !double.IsPositiveInfinity(next);
        _postponed[group][i] = false;
        if (_queued[group][i]) Push(next, new Event(EventKind.Spike, group, i, version));
    }

    private void Push(double time, in Event e)
    {
        if (double.IsPositiveInfinity(time)) return;
        _queue.Enqueue(e, (time, _sequence++));
        if (_queue.Count > PeakPendingEvents) PeakPendingEvents = _queue.Count;
    }

    private static ExactNeuronGroup Create(Population population, ulong seed)
    {
        if (population.Model is not IExactNeuronModel exact)
            throw new InvalidParameterException(
                $"The event engine cannot integrate '{population.Name}' ({population.Model.GetType().Name}) exactly; " +
                "it takes Lif, IntegrateAndFire, CubaLif, PoissonSource and SpikeTimeSource. Use the time-step engine.");
        var group = exact.CreateExact(population.Size, CounterRng.Hash(seed, (uint)population.Index, 0x5EED));
        foreach (var (variable, values) in population.Initial) group.SetInitial(variable, values);
        return group;
    }

    /// <summary>A projection in CSR form by source, with real-valued delays.</summary>
    private sealed class OutgoingProjection
    {
        public OutgoingProjection(Projection spec, int index)
        {
            Spec = spec;
            Index = index;
            TargetGroup = spec.Target.Index;
            switch (spec.Connectivity.Explicit(Environment.ProcessorCount))
            {
                case SparseConnectivity c:
                    (RowStart, Target, Weight, DelaysMs) = (c.RowStart, c.TargetIndex, c.Weights, c.DelaysMs?.Select(d => (double)d).ToArray());
                    break;
                case DenseConnectivity c:
                    RowStart = Enumerable.Range(0, c.Sources + 1).Select(i => i * c.Targets).ToArray();
                    Target = Enumerable.Range(0, c.Sources).SelectMany(_ => Enumerable.Range(0, c.Targets)).ToArray();
                    Weight = c.Weights;
                    break;
                case OneToOneConnectivity c:
                    RowStart = Enumerable.Range(0, c.Sources + 1).ToArray();
                    Target = Enumerable.Range(0, c.Sources).ToArray();
                    Weight = c.Weights;
                    break;
                default:
                    throw new NotSupportedException($"No event-engine form of {spec.Connectivity.GetType().Name}.");
            }
        }

        public Projection Spec { get; }
        public int Index { get; }
        public int TargetGroup { get; }
        public int[] RowStart { get; } = [];
        public int[] Target { get; } = [];
        public float[] Weight { get; } = [];
        public double[]? DelaysMs { get; }
    }

    /// <summary>Independent Poisson arrivals into each neuron of a population: exponential intervals from a counter-based stream.</summary>
    private sealed class PoissonTrain(PoissonInput input, ulong seed)
    {
        private readonly uint[] _drawn = new uint[input.Target.Size];
        private readonly double _meanIntervalMs = input.RateHz > 0 ? 1000.0 / input.RateHz : double.PositiveInfinity;

        public PoissonInput Input { get; } = input;

        public double Next(int i, double t) => t + CounterRng.Exponential(seed, (uint)i, _drawn[i]++, _meanIntervalMs);
    }
}
