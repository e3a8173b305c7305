using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Inputs;

/// <summary>
/// An injected current: I_i(t) = amplitude_i·waveform[step] (the waveform holds its last value
/// after it ends). Without a waveform the current is constant. Currents onto one population add.
/// </summary>
public sealed record CurrentInput(Population Target, float[] Amplitude, float[]? Waveform = null) : NetworkInput(Target)
{
    /// <summary>True when the current never changes.</summary>
    public bool IsConstant => Waveform is null || Waveform.Length <= 1;

    /// <summary>The waveform's value at <paramref name="step"/>.</summary>
    public float Scale(int step) => Waveform is null ? 1f : Waveform[Math.Min(step, Waveform.Length - 1)];

    /// <summary>A current of <paramref name="amplitude"/> into every neuron of <paramref name="target"/>.</summary>
    public static CurrentInput Constant(Population target, float amplitude)
        => new(target, Enumerable.Repeat(amplitude, target.Size).ToArray());

    internal override void Validate()
    {
        if (Amplitude.Length != Target.Size)
            throw new InvalidParameterException($"A current into '{Target.Name}' has {Amplitude.Length} amplitudes for {Target.Size} neurons.");
        if (Waveform is { Length: 0 }) throw new InvalidParameterException("A current waveform needs at least one value.");
        foreach (var x in Amplitude.Concat(Waveform ?? []))
            if (!float.IsFinite(x)) throw new InvalidParameterException($"A current into '{Target.Name}' is {x}; currents must be finite.");
    }
}
