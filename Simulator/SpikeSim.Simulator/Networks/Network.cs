using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Networks;

/// <summary>
/// A network description: populations, projections and injected currents, on the host and free
/// of any device or engine. Engines instantiate it; the same description runs in each engine.
/// </summary>
public sealed class Network
{
    private readonly List<Population> _populations = [];
    private readonly List<Projection> _projections = [];
    private readonly List<CurrentInput> _currents = [];
    private readonly List<PoissonInput> _poissonInputs = [];
    private readonly List<NoiseCurrentInput> _noise = [];
    private readonly List<NetworkInput> _inputs = [];
    private readonly List<AffineFeed> _feeds = [];
    private readonly Dictionary<Population, float[]> _feedBias = [];

    /// <summary>Populations in the order they were added.</summary>
    public IReadOnlyList<Population> Populations => _populations;

    /// <summary>Projections in the order they were added.</summary>
    public IReadOnlyList<Projection> Projections => _projections;

    /// <summary>Every input from outside the populations, in the order injected.</summary>
    public IReadOnlyList<NetworkInput> Inputs => _inputs;

    /// <summary>Injected currents.</summary>
    public IReadOnlyList<CurrentInput> Currents => _currents;

    /// <summary>Poisson spike-train inputs.</summary>
    public IReadOnlyList<PoissonInput> PoissonInputs => _poissonInputs;

    /// <summary>Random noise currents.</summary>
    public IReadOnlyList<NoiseCurrentInput> NoiseCurrents => _noise;

    /// <summary>Affine feeds (the per-step inputs of trained layers), in the order they were added.</summary>
    public IReadOnlyList<AffineFeed> Feeds => _feeds;

    /// <summary>The bias added after a population's feeds, where one was set.</summary>
    public IReadOnlyDictionary<Population, float[]> FeedBias => _feedBias;

    /// <summary>The external inputs the feeds read.</summary>
    public IEnumerable<ExternalInput> ExternalInputs => _feeds.Select(f => f.From.Input).OfType<ExternalInput>().Distinct();

    /// <summary>
    /// Adds an affine feed: the target's input of each step gets W·x before it integrates. A same-step feed must come from
    /// a population earlier in the order, so that it has been integrated first.
    /// </summary>
    public AffineFeed Feed(AffineFeed feed)
    {
        if (!_populations.Contains(feed.Target)) throw new InvalidParameterException("A feed's target must be a population of this network.");
        if (feed.From.Source is { } source)
        {
            if (!_populations.Contains(source)) throw new InvalidParameterException("A feed's source must be a population of this network.");
            if (feed.From.Lag == 0 && source.Index >= feed.Target.Index)
                throw new InvalidParameterException($"A same-step feed {source.Name} → {feed.Target.Name} must come from an earlier population.");
        }
        feed.Validate();
        _feeds.Add(feed);
        return feed;
    }

    /// <summary>Sets the bias added to <paramref name="target"/>'s input after its feeds: h = Σ W·x + bias.</summary>
    public void SetFeedBias(Population target, float[] bias)
    {
        if (bias.Length != target.Size) throw new InvalidParameterException($"The bias of '{target.Name}' has {bias.Length} values for {target.Size} neurons.");
        if (bias.Any(b => !float.IsFinite(b))) throw new InvalidParameterException($"The bias of '{target.Name}' must be finite.");
        _feedBias[target] = bias;
    }

    /// <summary>Total neurons.</summary>
    public long NeuronCount => _populations.Sum(p => (long)p.Size);

    /// <summary>Total synapses.</summary>
    public long SynapseCount => _projections.Sum(p => p.Connectivity.SynapseCount);

    /// <summary>Adds a population of <paramref name="size"/> neurons of <paramref name="model"/>.</summary>
    public Population AddPopulation(string name, int size, INeuronModel model)
    {
        if (_populations.Any(p => p.Name == name)) throw new InvalidParameterException($"There is already a population named '{name}'.");
        var population = new Population(name, size, model, _populations.Count);
        _populations.Add(population);
        return population;
    }

    /// <summary>Connects <paramref name="source"/> to input channel <paramref name="channel"/> of <paramref name="target"/>.</summary>
    public Projection Connect(Population source, Population target, Connectivity connectivity, int channel = 0, double delayMs = 0,
        Plasticity.IPlasticityRule? plasticity = null)
    {
        if (plasticity is not null && connectivity is not SparseConnectivity)
            throw new InvalidParameterException($"Plasticity needs a sparse projection; {source.Name} → {target.Name} is {connectivity.GetType().Name}.");
        if (!_populations.Contains(source) || !_populations.Contains(target))
            throw new InvalidParameterException("Both ends of a projection must be populations of this network.");
        if (connectivity.Sources != source.Size || connectivity.Targets != target.Size)
            throw new InvalidParameterException(
                $"Projection {source.Name} → {target.Name} is {connectivity.Sources}×{connectivity.Targets}, but the populations are {source.Size} and {target.Size}.");
        if ((uint)channel >= (uint)target.Model.InputChannels)
            throw new InvalidParameterException($"'{target.Name}' has {target.Model.InputChannels} input channel(s); channel {channel} does not exist.");
        if (!(delayMs >= 0) || double.IsInfinity(delayMs))
            throw new InvalidParameterException($"A delay must be zero or a positive time in ms (got {delayMs}).");
        connectivity.Validate();
        var projection = new Projection(source, target, connectivity, channel, delayMs, plasticity);
        _projections.Add(projection);
        return projection;
    }

    /// <summary>Adds independent Poisson spike trains into every neuron of the input's target.</summary>
    public PoissonInput Inject(PoissonInput input)
    {
        if (!_populations.Contains(input.Target)) throw new InvalidParameterException("A Poisson input's target must be a population of this network.");
        input.Validate();
        _poissonInputs.Add(input);
        _inputs.Add(input);
        return input;
    }

    /// <summary>Adds a uniform random current, fresh every step, into every neuron of the input's target.</summary>
    public NoiseCurrentInput Inject(NoiseCurrentInput input)
    {
        if (!_populations.Contains(input.Target)) throw new InvalidParameterException("A noise current's target must be a population of this network.");
        input.Validate();
        _noise.Add(input);
        _inputs.Add(input);
        return input;
    }

    /// <summary>Adds <paramref name="input"/>, of whichever kind (a reader of files that hold any kind calls this).</summary>
    public NetworkInput Inject(NetworkInput input) => input switch
    {
        CurrentInput current => Inject(current),
        PoissonInput poisson => Inject(poisson),
        NoiseCurrentInput noise => Inject(noise),
        _ => throw new InvalidParameterException($"The engines do not run inputs of kind {input.GetType().Name}."),
    };

    /// <summary>Injects a current.</summary>
    public CurrentInput Inject(CurrentInput current)
    {
        if (!_populations.Contains(current.Target)) throw new InvalidParameterException("A current's target must be a population of this network.");
        current.Validate();
        _currents.Add(current);
        _inputs.Add(current);
        return current;
    }
}
