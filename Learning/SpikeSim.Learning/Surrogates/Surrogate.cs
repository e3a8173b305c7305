namespace SpikeSim.Learning.Surrogates;

/// <summary>
/// A surrogate function chosen at run time: its kind and slope. <see cref="Accept"/> hands the
/// matching <see cref="ISurrogate"/> struct to generic code, so kernels are specialised per kind.
/// </summary>
public abstract record Surrogate(float Slope)
{
    /// <summary>Calls <paramref name="visitor"/> with the struct this surrogate stands for.</summary>
    public abstract void Accept(ISurrogateVisitor visitor);

    /// <summary>Which surrogate this is.</summary>
    public abstract SurrogateKind Kind { get; }

    /// <summary>The surrogate of kind <paramref name="kind"/>, with its usual slope unless given.</summary>
    public static Surrogate Create(SurrogateKind kind, float? slope = null) => kind switch
    {
        SurrogateKind.FastSigmoid => new FastSigmoidSurrogate(slope ?? 10f),
        SurrogateKind.Arctan => new ArctanSurrogate(slope ?? 2f),
        SurrogateKind.Triangle => new TriangleSurrogate(slope ?? 1f),
        SurrogateKind.Sigmoid => new SigmoidSurrogate(slope ?? 5f),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>Receives the struct of a <see cref="Surrogate"/>.</summary>
public interface ISurrogateVisitor
{
    /// <summary>Runs with the surrogate as a type argument.</summary>
    void Visit<TSurrogate>(TSurrogate surrogate) where TSurrogate : struct, ISurrogate;
}

/// <summary><see cref="FastSigmoid"/> with slope k.</summary>
public sealed record FastSigmoidSurrogate(float Slope = 10f) : Surrogate(Slope)
{
    public override SurrogateKind Kind => SurrogateKind.FastSigmoid;
    public override void Accept(ISurrogateVisitor visitor) => visitor.Visit(new FastSigmoid(Slope));
}

/// <summary><see cref="Arctan"/> with slope α.</summary>
public sealed record ArctanSurrogate(float Slope = 2f) : Surrogate(Slope)
{
    public override SurrogateKind Kind => SurrogateKind.Arctan;
    public override void Accept(ISurrogateVisitor visitor) => visitor.Visit(new Arctan(Slope));
}

/// <summary><see cref="Triangle"/> with slope k.</summary>
public sealed record TriangleSurrogate(float Slope = 1f) : Surrogate(Slope)
{
    public override SurrogateKind Kind => SurrogateKind.Triangle;
    public override void Accept(ISurrogateVisitor visitor) => visitor.Visit(new Triangle(Slope));
}

/// <summary><see cref="Sigmoid"/> with slope k.</summary>
public sealed record SigmoidSurrogate(float Slope = 5f) : Surrogate(Slope)
{
    public override SurrogateKind Kind => SurrogateKind.Sigmoid;
    public override void Accept(ISurrogateVisitor visitor) => visitor.Visit(new Sigmoid(Slope));
}
