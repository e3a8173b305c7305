using SpikeSim.Simulator.Convolution;
using System.Text.Json.Serialization;
using SpikeSim.Learning.Layers.Convolution;

namespace SpikeSim.Learning.Training;

/// <summary>The layer families of a classifier (<c>--arch</c>).</summary>
public enum NetworkArchitecture
{
    /// <summary>Dense (or recurrent) hidden layers on the flat input.</summary>
    Mlp,

    /// <summary>Convolutional stages on the input image, then dense layers (<see cref="ConvolutionSpec"/>).</summary>
    Conv,
}

/// <summary>
/// One stage of a convolutional front end: <c>Conv2d(C_out, k, stride, padding) → pooling (k_p × k_p, stride k_p; none
/// where <see cref="PoolSize"/> is 1) → LIF or ALIF</c>, snnTorch's order (the neurons integrate the pooled currents).
/// </summary>
public sealed record ConvStage(
    int Channels,
    int Kernel,
    int Stride = 1,
    int Padding = 0,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PoolKind>))] PoolKind Pool = PoolKind.Max,
    int PoolSize = 2)
{
    /// <summary>"12C5-MP2" (S2/P1 where stride or padding are not the defaults; AP, SP for mean and sum pooling).</summary>
    public override string ToString()
        => $"{Channels}C{Kernel}{(Stride != 1 ? $"S{Stride}" : "")}{(Padding != 0 ? $"P{Padding}" : "")}"
         + (PoolSize > 1 ? $"-{Pool switch { PoolKind.Max => "MP", PoolKind.Average => "AP", _ => "SP" }}{PoolSize}" : "");
}

/// <summary>
/// The convolutional front end of a classifier: the input image (C × H × W, the data's values in channels-last order —
/// for one channel, the plain row-major image) and its stages, followed by <see cref="Flatten"/> into the dense layers.
/// </summary>
public sealed record ConvolutionSpec(int Channels, int Height, int Width, ConvStage[] Stages)
{
    /// <summary>
    /// snnTorch's tutorial network for 28 × 28 MNIST (tutorial 7): 12C5-MP2-64C5-MP2, then a dense layer from the
    /// 64 × 4 × 4 = 1024 flattened values to the classes.
    /// </summary>
    public static ConvolutionSpec SnnTorchMnist { get; } = new(1, 28, 28, [new ConvStage(12, 5), new ConvStage(64, 5)]);

    /// <summary>The same stages with <paramref name="pool"/> pooling wherever a stage pools.</summary>
    public ConvolutionSpec WithPooling(PoolKind pool) => this with { Stages = [.. Stages.Select(s => s.PoolSize > 1 ? s with { Pool = pool } : s)] };

    /// <summary>The input image shape.</summary>
    public ImageShape Input => new(Channels, Height, Width);

    /// <summary>Each stage's convolution and pooling geometry, in order (refusing stages that do not fit).</summary>
    public IReadOnlyList<(ConvGeometry Conv, PoolGeometry? Pool)> Geometries()
    {
        var shape = Input;
        var result = new List<(ConvGeometry, PoolGeometry?)>();
        foreach (var stage in Stages)
        {
            if (!Enum.IsDefined(stage.Pool)) throw new Simulator.Errors.InvalidParameterException($"Unknown pooling kind {(int)stage.Pool}.");
            var conv = new ConvGeometry(shape, stage.Channels, stage.Kernel, stage.Stride, stage.Padding);
            shape = conv.Output;
            PoolGeometry? pool = null;
            if (stage.PoolSize > 1)
            {
                pool = new PoolGeometry(shape, stage.PoolSize, stage.PoolSize);
                shape = pool.Value.Output;
            }
            else if (stage.PoolSize < 1) throw new Simulator.Errors.InvalidParameterException($"A pooling size must be at least 1 (got {stage.PoolSize}).");
            result.Add((conv, pool));
        }
        return result;
    }

    /// <summary>The shape the last stage hands to <see cref="Flatten"/>.</summary>
    public ImageShape Output
    {
        get
        {
            var stages = Geometries();
            return stages.Count == 0 ? Input : stages[^1].Pool?.Output ?? stages[^1].Conv.Output;
        }
    }

    /// <summary>Weights and biases of the stages.</summary>
    public long ParameterCount() => Geometries().Sum(g => (long)g.Conv.Output.Channels * g.Conv.Columns + g.Conv.Output.Channels);

    /// <summary>"1×28×28-12C5-MP2-64C5-MP2".</summary>
    public override string ToString() => string.Join('-', Stages.Select(s => s.ToString()).Prepend(Input.ToString()));
}
