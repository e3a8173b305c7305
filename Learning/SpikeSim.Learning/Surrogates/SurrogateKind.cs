namespace SpikeSim.Learning.Surrogates;

/// <summary>The surrogate derivatives; on the command line and in files by their <see cref="Training.OptionName"/> (fast-sigmoid, …).</summary>
public enum SurrogateKind
{
    /// <summary>SuperSpike's fast sigmoid (<see cref="FastSigmoid"/>).</summary>
    FastSigmoid,

    /// <summary>The arctangent (<see cref="Surrogates.Arctan"/>).</summary>
    Arctan,

    /// <summary>The triangle (<see cref="Surrogates.Triangle"/>).</summary>
    Triangle,

    /// <summary>The logistic sigmoid's derivative (<see cref="Surrogates.Sigmoid"/>).</summary>
    Sigmoid,
}
