using SpikeSim.Simulator.Errors;

namespace SpikeSim.Learning.Layers;

/// <summary>Parameter checks that end in one <see cref="InvalidParameterException"/>.</summary>
internal static class Validate
{
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new InvalidParameterException($"{name} must be positive and finite (got {value}).");
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new InvalidParameterException($"{name} must be zero or positive and finite (got {value}).");
    }

    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new InvalidParameterException($"{name} must be at least {minimum} (got {value}).");
    }
}
