using System.CommandLine;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Cli.Commands;

/// <summary>The group a command belongs to on the command line.</summary>
public enum CommandGroup
{
    /// <summary>A command of its own: <c>spikesim train</c>.</summary>
    Root,

    /// <summary><c>spikesim simulate …</c>: run a network and report its activity.</summary>
    Simulate,

    /// <summary><c>spikesim meta …</c>: meta-learning.</summary>
    Meta,

    /// <summary><c>spikesim bench …</c>: SpikeSim timed against a reference, side by side.</summary>
    Bench,
}

/// <summary>A network an experiment can build without a file, for <c>spikesim export --network NAME</c>.</summary>
/// <param name="Name">Its name on the command line (lower kebab case).</param>
/// <param name="Description">One line for the help.</param>
/// <param name="Build">Builds it from the request; returns the network and the time step in ms it was made for.</param>
public sealed record NetworkRecipe(string Name, string Description, Func<NetworkRequest, (Network Network, double DtMs)> Build);

/// <summary>What <c>export --network</c> passes to a <see cref="NetworkRecipe"/>: the options a recipe may honour.</summary>
/// <param name="N">--n, where given.</param>
/// <param name="Seed">--seed.</param>
/// <param name="DtMs">--dt-ms, where given.</param>
public sealed record NetworkRequest(int? N, ulong Seed, double? DtMs);

/// <summary>
/// Says what a model file holds, for <c>spikesim inspect</c>, if it is of a kind this inspector knows; returns false
/// otherwise, so the next inspector is asked.
/// </summary>
public delegate bool ModelFileInspector(string path, ModelFile file);

/// <summary>The command line under construction: the root, its groups, and what sources register besides commands.</summary>
public sealed class CommandTree
{
    private readonly Dictionary<CommandGroup, Command> _groups;
    private readonly List<NetworkRecipe> _networks = [];
    private readonly List<ModelFileInspector> _inspectors = [];
    private readonly List<SpikeSim.Cluster.IClusterJob> _jobs = [];

    public CommandTree(RootCommand root)
    {
        Root = root;
        _groups = new Dictionary<CommandGroup, Command>
        {
            [CommandGroup.Root] = root,
            [CommandGroup.Simulate] = new("simulate", "Run a network and report its activity"),
            [CommandGroup.Meta] = new("meta", "Meta-learning: Backpropamine, evolved decomposed plasticity, evolved neuromodulation of learning rates"),
            [CommandGroup.Bench] = new("bench", "Time SpikeSim against a reference, side by side"),
        };
        foreach (var (group, command) in _groups)
            if (group != CommandGroup.Root) root.Add(command);
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>The networks <c>export --network</c> can write, in registration order.</summary>
    public IReadOnlyList<NetworkRecipe> Networks => _networks;

    /// <summary>The inspectors of model-file kinds, asked in registration order.</summary>
    public IReadOnlyList<ModelFileInspector> Inspectors => _inspectors;

    /// <summary>Adds <paramref name="command"/> under <paramref name="group"/>.</summary>
    public void Add(CommandGroup group, Command command) => _groups[group].Add(command);

    /// <summary>Registers a network for <c>export --network</c>; names are unique.</summary>
    public void Add(NetworkRecipe recipe)
    {
        if (_networks.Any(r => r.Name == recipe.Name)) throw new InvalidOperationException($"Two sources register the network '{recipe.Name}'.");
        _networks.Add(recipe);
    }

    /// <summary>Registers an inspector for a model-file kind.</summary>
    public void Add(ModelFileInspector inspector) => _inspectors.Add(inspector);

    /// <summary>The jobs a <c>spikesim worker</c> serves, in registration order.</summary>
    public IReadOnlyList<SpikeSim.Cluster.IClusterJob> Jobs => _jobs;

    /// <summary>Registers work that commands send to cluster workers; names are unique.</summary>
    public void Add(SpikeSim.Cluster.IClusterJob job)
    {
        if (_jobs.Any(j => j.Name == job.Name)) throw new InvalidOperationException($"Two sources register the cluster job '{job.Name}'.");
        _jobs.Add(job);
    }
}
