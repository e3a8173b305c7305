using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Networks;

/// <summary>A named group of neurons of one model, with optional initial values of its state.</summary>
public sealed class Population
{
    private readonly List<(StateVariable Variable, float[] Values)> _initial = [];

    internal Population(string name, int size, INeuronModel model, int index)
    {
        if (size <= 0) throw new InvalidParameterException($"Population '{name}' needs at least one neuron (got {size}).");
        Name = name;
        Size = size;
        Model = model;
        Index = index;
    }

    /// <summary>Its name, unique in the network.</summary>
    public string Name { get; }

    /// <summary>Number of neurons.</summary>
    public int Size { get; }

    /// <summary>The neuron model.</summary>
    public INeuronModel Model { get; }

    /// <summary>Position in <see cref="Network.Populations"/>.</summary>
    public int Index { get; }

    /// <summary>Initial values set with <see cref="SetInitial"/>.</summary>
    public IReadOnlyList<(StateVariable Variable, float[] Values)> Initial => _initial;

    /// <summary>Sets the initial value of <paramref name="variable"/> for every neuron.</summary>
    public Population SetInitial(StateVariable variable, float[] values)
    {
        if (!Model.StateVariables.Contains(variable))
            throw new InvalidParameterException($"Population '{Name}' has no state variable '{variable.Name}'.");
        if (values.Length != Size)
            throw new InvalidParameterException($"Population '{Name}' has {Size} neurons but {values.Length} initial values of '{variable.Name}'.");
        _initial.Add((variable, values));
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Size} × {Model.GetType().Name})";
}
