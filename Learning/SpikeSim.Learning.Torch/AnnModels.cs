using SpikeSim.Simulator.Convolution;
using SpikeSim.Learning.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch;

/// <summary>The ANN counterpart of an SNN classifier: the same widths, fed the same data.</summary>
/// <param name="Inputs">Input width.</param>
/// <param name="Hidden">Hidden widths.</param>
/// <param name="Classes">Output width.</param>
/// <param name="Recurrent">An Elman RNN over the encoded time steps instead of an MLP on the raw features.</param>
/// <param name="Convolution">Convolutional stages ahead of the dense layers (a CNN), as the SNN's.</param>
public sealed record AnnModelSpec(int Inputs, int[] Hidden, int Classes, bool Recurrent = false, Training.ConvolutionSpec? Convolution = null)
{
    /// <summary>The ANN of an SNN's shape: the same widths, and the same convolutional stages where it has them.</summary>
    public static AnnModelSpec Of(Training.SnnModelSpec snn) => new(snn.Inputs, snn.Hidden, snn.Classes, snn.Recurrent, snn.Convolution);

    /// <summary>"784-256-256-10 ReLU MLP", "4-128-3 tanh RNN" or "1×28×28-12C5-MP2-64C5-MP2-10 ReLU CNN".</summary>
    public override string ToString()
        => $"{(Convolution is { } c ? c.ToString() : Inputs.ToString())}-{string.Join("", Hidden.Select(h => h + "-"))}{Classes} "
         + (Recurrent ? "tanh RNN" : Convolution is null ? "ReLU MLP" : "ReLU CNN");
}

/// <summary>
/// A classifier whose affine layers are exposed for GRAPES: weights [out, in] as in the SNN layers, each
/// optionally followed by <see cref="ErrorModulation"/> when <see cref="Factors"/> is set (propagating GRAPES).
/// </summary>
public abstract class AnnClassifier : nn.Module<Tensor, Tensor>
{
    protected AnnClassifier(string name) : base(name) { }

    /// <summary>Per-layer factors for propagating GRAPES, or null.</summary>
    public Tensor[]? Factors { get; set; }

    /// <summary>The affine layers, input first; each one's weight rows are its nodes.</summary>
    public abstract IReadOnlyList<Linear> Affine { get; }

    /// <summary>Pre-activation of layer <paramref name="index"/>, modulated where factors are set.</summary>
    protected Tensor Modulated(int index, Tensor z) => Factors is null ? z : ErrorModulation.Apply(z, Factors[index]);

    /// <summary>
    /// Weights from SpikeSim's <see cref="WeightInit"/> with β = 0 and θ = √2 — He initialisation,
    /// N(0, 2/fan_in), drawn from the same seeded generator as the SNN's weights; biases zero.
    /// </summary>
    protected static void Initialise(IEnumerable<Linear> layers, int seed)
    {
        var random = new Random(seed);
        using var _ = no_grad();
        foreach (var layer in layers)
        {
            var (outputs, inputs) = ((int)layer.weight!.shape[0], (int)layer.weight.shape[1]);
            var w = new float[outputs * inputs];
            WeightInit.Gaussian(w, inputs, 0f, MathF.Sqrt(2f), 1f, random);
            layer.weight.copy_(tensor(w).reshape(outputs, inputs));
            layer.bias!.zero_();
        }
    }
}

/// <summary>A ReLU multi-layer perceptron: x → [Linear → ReLU]* → Linear (logits).</summary>
public sealed class Mlp : AnnClassifier
{
    private readonly ModuleList<Linear> _layers = new();

    public Mlp(AnnModelSpec spec, int seed) : base("mlp")
    {
        var widths = new[] { spec.Inputs }.Concat(spec.Hidden).Append(spec.Classes).ToArray();
        for (var i = 0; i + 1 < widths.Length; i++) _layers.Add(nn.Linear(widths[i], widths[i + 1]));
        RegisterComponents();
        Initialise(_layers, seed);
    }

    public override IReadOnlyList<Linear> Affine => _layers.ToList();

    /// <summary>Logits for a batch × inputs matrix.</summary>
    public override Tensor forward(Tensor x)
    {
        for (var i = 0; i < _layers.Count; i++)
        {
            var z = Modulated(i, _layers[i].forward(x));
            x = i + 1 < _layers.Count ? nn.functional.relu(z) : z;
        }
        return x;
    }
}

/// <summary>
/// A ReLU CNN of an SNN's convolutional shape: per stage <c>Conv2d → pooling → ReLU</c> (the SNN's order, ReLU where
/// the SNN has its neurons; sum pooling as average pooling × k²), then flatten and the dense layers as <see cref="Mlp"/>.
/// Kernels start He-initialised like the dense layers (fan-in C_in·k·k). GRAPES modulates the dense layers
/// (<see cref="AnnClassifier.Affine"/>); the convolutions train by plain backpropagation here.
/// </summary>
public sealed class Cnn : AnnClassifier
{
    private readonly Training.ConvolutionSpec _spec;
    private readonly ModuleList<Conv2d> _convs = new();
    private readonly ModuleList<Linear> _layers = new();

    public Cnn(AnnModelSpec spec, int seed) : base("cnn")
    {
        _spec = spec.Convolution ?? throw new ArgumentException("A CNN needs convolutional stages.", nameof(spec));
        var channels = _spec.Channels;
        foreach (var stage in _spec.Stages)
        {
            _convs.Add(nn.Conv2d(channels, stage.Channels, stage.Kernel, stride: stage.Stride, padding: stage.Padding));
            channels = stage.Channels;
        }
        var widths = new[] { _spec.Output.Size }.Concat(spec.Hidden).Append(spec.Classes).ToArray();
        for (var i = 0; i + 1 < widths.Length; i++) _layers.Add(nn.Linear(widths[i], widths[i + 1]));
        RegisterComponents();
        Initialise(_layers, seed);
        var random = new Random(seed + 7919);
        using var _ = no_grad();
        foreach (var conv in _convs)
        {
            var shape = conv.weight!.shape;
            var fanIn = (int)(shape[1] * shape[2] * shape[3]);
            var w = new float[shape[0] * fanIn];
            WeightInit.Gaussian(w, fanIn, 0f, MathF.Sqrt(2f), 1f, random);
            conv.weight.copy_(tensor(w).reshape(shape));
            conv.bias!.zero_();
        }
    }

    public override IReadOnlyList<Linear> Affine => _layers.ToList();

    /// <summary>Logits for a batch × (C·H·W) matrix of channels-last images (one channel: the plain image).</summary>
    public override Tensor forward(Tensor x)
    {
        var (c, h, w) = (_spec.Channels, _spec.Height, _spec.Width);
        x = x.reshape(x.shape[0], h, w, c).permute(0, 3, 1, 2);
        for (var i = 0; i < _convs.Count; i++)
        {
            var stage = _spec.Stages[i];
            x = _convs[i].forward(x);
            if (stage.PoolSize > 1)
                x = stage.Pool switch
                {
                    Simulator.Convolution.PoolKind.Max => nn.functional.max_pool2d(x, stage.PoolSize),
                    Simulator.Convolution.PoolKind.Average => nn.functional.avg_pool2d(x, stage.PoolSize),
                    _ => SumPool(x, stage.PoolSize),
                };
            x = nn.functional.relu(x);
        }
        x = x.flatten(1);
        for (var i = 0; i < _layers.Count; i++)
        {
            var z = Modulated(i, _layers[i].forward(x));
            x = i + 1 < _layers.Count ? nn.functional.relu(z) : z;
        }
        return x;
    }

    /// <summary>Sum pooling: average pooling × k² (the factor a held Scalar, see <see cref="HeldScalars"/>).</summary>
    private static Tensor SumPool(Tensor x, int k)
    {
        using var area = (k * k).ToScalar();
        return nn.functional.avg_pool2d(x, k) * area;
    }
}

/// <summary>
/// An Elman RNN over the encoded steps: h[t] = tanh(W_in·x[t] + W_rec·h[t−1] + b) (one hidden layer),
/// logits = W_out·h[T−1] + b_out. Input is steps × batch × inputs, as the SNN receives it.
/// </summary>
public sealed class Rnn : AnnClassifier
{
    private readonly Linear _input, _recurrent, _output;

    public Rnn(AnnModelSpec spec, int seed) : base("rnn")
    {
        if (spec.Hidden.Length != 1) throw new ArgumentException("The RNN has one hidden layer.");
        var h = spec.Hidden[0];
        _input = nn.Linear(spec.Inputs, h);
        _recurrent = nn.Linear(h, h, hasBias: false);
        _output = nn.Linear(h, spec.Classes);
        RegisterComponents();
        var random = new Random(seed);
        using var _ = no_grad();
        foreach (var layer in new[] { _input, _recurrent, _output })
        {
            var (outputs, inputs) = ((int)layer.weight!.shape[0], (int)layer.weight.shape[1]);
            var w = new float[outputs * inputs];
            // Glorot-like N(0, 1/fan_in) suits tanh.
            WeightInit.Gaussian(w, inputs, 0f, 1f, 1f, random);
            layer.weight.copy_(tensor(w).reshape(outputs, inputs));
            layer.bias?.zero_();
        }
    }

    public override IReadOnlyList<Linear> Affine => [_input, _output];

    /// <summary>Logits for a steps × batch × inputs tensor.</summary>
    public override Tensor forward(Tensor x)
    {
        var steps = x.shape[0];
        Tensor? h = null;
        for (var t = 0; t < steps; t++)
        {
            var z = _input.forward(x[t]);
            if (h is not null) z = z.add(_recurrent.forward(h), HeldScalars.One);
            h = tanh(Modulated(0, z));
        }
        return Modulated(1, _output.forward(h!));
    }
}
