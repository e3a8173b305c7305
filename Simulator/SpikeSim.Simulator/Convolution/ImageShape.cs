namespace SpikeSim.Simulator.Convolution;

/// <summary>
/// The shape of one sample's activation in a convolutional network: C channels of H × W pixels, stored
/// <b>channels-last</b> — element (y, x, c) at (y·W + x)·C + c — so that a convolution is one GEMM whose output
/// rows are pixels and whose columns are channels. A flatten (Learning's <c>Flatten</c>, the simulator's <see cref="Networks.SpikeFeed.Flatten"/>) turns it into PyTorch's and NIR's
/// channels-first order (c·H·W + y·W + x) before a dense layer, so dense weights read in that order.
/// </summary>
public readonly struct ImageShape(int channels, int height, int width) : IEquatable<ImageShape>
{
    /// <summary>Channels C.</summary>
    public readonly int Channels = channels;

    /// <summary>Rows H.</summary>
    public readonly int Height = height;

    /// <summary>Columns W.</summary>
    public readonly int Width = width;

    /// <summary>Pixels H·W.</summary>
    public int Pixels => Height * Width;

    /// <summary>Values per sample, C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Refuses a shape with a dimension below 1 or more values than one array row holds.</summary>
    public void Validate(string name)
    {
        if (Channels < 1 || Height < 1 || Width < 1 || (long)Channels * Height * Width > int.MaxValue)
            throw new Errors.InvalidParameterException($"{name} must have at least one channel, row and column (got {this}).");
    }

    /// <inheritdoc />
    public bool Equals(ImageShape other) => Channels == other.Channels && Height == other.Height && Width == other.Width;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ImageShape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Channels, Height, Width);

    /// <summary>"C×H×W".</summary>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}

/// <summary>
/// A 2-D convolution's geometry (groups 1, square kernel): output size ⌊(H + 2p − k)/s⌋ + 1 per side, and the
/// column length K = C_in·k·k of its im2col matrix, whose column (ky·k + kx)·C_in + c matches the kernel layout
/// [C_out, k, k, C_in] of Learning's <c>Conv2d</c>.
/// </summary>
public readonly struct ConvGeometry
{
    /// <summary>Input shape.</summary>
    public readonly ImageShape Input;

    /// <summary>Output shape.</summary>
    public readonly ImageShape Output;

    /// <summary>Kernel side k, stride s, zero padding p.</summary>
    public readonly int Kernel, Stride, Padding;

    /// <summary>The geometry, refused where the kernel does not fit the padded input.</summary>
    public ConvGeometry(ImageShape input, int outChannels, int kernel, int stride = 1, int padding = 0)
    {
        input.Validate("A convolution's input");
        Geometry.AtLeast(outChannels, 1, "out_channels");
        Geometry.AtLeast(kernel, 1, "kernel_size");
        Geometry.AtLeast(stride, 1, "stride");
        Geometry.AtLeast(padding + 1, 1, "padding + 1");
        if (input.Height + 2 * padding < kernel || input.Width + 2 * padding < kernel)
            throw new Errors.InvalidParameterException($"A {kernel}×{kernel} kernel does not fit a {input} input padded by {padding}.");
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Output = new ImageShape(outChannels, (input.Height + 2 * padding - kernel) / stride + 1, (input.Width + 2 * padding - kernel) / stride + 1);
    }

    /// <summary>Column length of the im2col matrix: C_in·k·k (the fan-in of each output).</summary>
    public int Columns => Input.Channels * Kernel * Kernel;
}

/// <summary>A 2-D pooling window's geometry (square, no padding): output size ⌊(H − k)/s⌋ + 1 per side.</summary>
public readonly struct PoolGeometry
{
    /// <summary>Input shape.</summary>
    public readonly ImageShape Input;

    /// <summary>Output shape (same channels).</summary>
    public readonly ImageShape Output;

    /// <summary>Window side k and stride s.</summary>
    public readonly int Size, Stride;

    /// <summary>The geometry, refused where the window does not fit the input.</summary>
    public PoolGeometry(ImageShape input, int size, int stride)
    {
        input.Validate("A pooling layer's input");
        Geometry.AtLeast(size, 1, "kernel_size");
        Geometry.AtLeast(stride, 1, "stride");
        if (input.Height < size || input.Width < size)
            throw new Errors.InvalidParameterException($"A {size}×{size} pooling window does not fit a {input} input.");
        Input = input;
        Size = size;
        Stride = stride;
        Output = new ImageShape(input.Channels, (input.Height - size) / stride + 1, (input.Width - size) / stride + 1);
    }
}

internal static class Geometry
{
    /// <summary>Refuses <paramref name="value"/> below <paramref name="minimum"/>, naming it.</summary>
    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new Errors.InvalidParameterException($"{name} must be at least {minimum} (got {value}).");
    }
}
