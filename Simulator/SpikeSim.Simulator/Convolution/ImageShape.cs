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
/// A 2-D convolution's geometry (groups 1): a kh × kw kernel, strides (s_y, s_x), zero paddings (p_y, p_x); output
/// size ⌊(H + 2p_y − kh)/s_y⌋ + 1 by ⌊(W + 2p_x − kw)/s_x⌋ + 1, and the column length K = C_in·kh·kw of its im2col
/// matrix, whose column (ky·kw + kx)·C_in + c matches the kernel layout [C_out, kh, kw, C_in] of Learning's
/// <c>Conv2d</c>. Training's convolutions are square (<see cref="Kernel"/>, <see cref="Stride"/>, <see cref="Padding"/>);
/// a NIR Conv1d runs as a 1 × k kernel over a (C, 1, L) image.
/// </summary>
public readonly struct ConvGeometry
{
    /// <summary>Input shape.</summary>
    public readonly ImageShape Input;

    /// <summary>Output shape.</summary>
    public readonly ImageShape Output;

    /// <summary>Kernel height and width.</summary>
    public readonly int KernelHeight, KernelWidth;

    /// <summary>Strides down and across.</summary>
    public readonly int StrideY, StrideX;

    /// <summary>Zero padding above and below, left and right.</summary>
    public readonly int PaddingY, PaddingX;

    /// <summary>A square k × k kernel with one stride and padding for both sides.</summary>
    public ConvGeometry(ImageShape input, int outChannels, int kernel, int stride = 1, int padding = 0)
        : this(input, outChannels, kernel, kernel, stride, stride, padding, padding)
    {
    }

    /// <summary>The geometry, refused where the kernel does not fit the padded input.</summary>
    public ConvGeometry(ImageShape input, int outChannels, int kernelHeight, int kernelWidth, int strideY, int strideX, int paddingY, int paddingX)
    {
        input.Validate("A convolution's input");
        Geometry.AtLeast(outChannels, 1, "out_channels");
        Geometry.AtLeast(kernelHeight, 1, "kernel_size");
        Geometry.AtLeast(kernelWidth, 1, "kernel_size");
        Geometry.AtLeast(strideY, 1, "stride");
        Geometry.AtLeast(strideX, 1, "stride");
        Geometry.AtLeast(paddingY + 1, 1, "padding + 1");
        Geometry.AtLeast(paddingX + 1, 1, "padding + 1");
        if (input.Height + 2 * paddingY < kernelHeight || input.Width + 2 * paddingX < kernelWidth)
            throw new Errors.InvalidParameterException($"A {kernelHeight}×{kernelWidth} kernel does not fit a {input} input padded by ({paddingY}, {paddingX}).");
        Input = input;
        (KernelHeight, KernelWidth, StrideY, StrideX, PaddingY, PaddingX) = (kernelHeight, kernelWidth, strideY, strideX, paddingY, paddingX);
        Output = new ImageShape(outChannels, (input.Height + 2 * paddingY - kernelHeight) / strideY + 1, (input.Width + 2 * paddingX - kernelWidth) / strideX + 1);
    }

    /// <summary>Whether the kernel is square with one stride and one padding for both sides (what training builds).</summary>
    public bool IsSquare => KernelHeight == KernelWidth && StrideY == StrideX && PaddingY == PaddingX;

    /// <summary>The side k of a square kernel (<see cref="IsSquare"/>).</summary>
    public int Kernel => IsSquare ? KernelHeight : throw NotSquare();

    /// <summary>The stride of a square geometry.</summary>
    public int Stride => IsSquare ? StrideY : throw NotSquare();

    /// <summary>The padding of a square geometry.</summary>
    public int Padding => IsSquare ? PaddingY : throw NotSquare();

    private InvalidOperationException NotSquare()
        => new($"A {KernelHeight}×{KernelWidth} convolution (stride {StrideY}×{StrideX}, padding {PaddingY}×{PaddingX}) has no single kernel side.");

    /// <summary>Column length of the im2col matrix: C_in·kh·kw (the fan-in of each output).</summary>
    public int Columns => Input.Channels * KernelHeight * KernelWidth;

    /// <summary>"5×5", "1×3 stride 1×2", with padding where there is some.</summary>
    public string KernelText => $"{KernelHeight}×{KernelWidth}" + (StrideY != 1 || StrideX != 1 ? $" stride {StrideY}×{StrideX}" : "") + (PaddingY != 0 || PaddingX != 0 ? $" padding {PaddingY}×{PaddingX}" : "");
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
