namespace SpikeSim.Simulator.Convolution;

/// <summary>What a pooling window computes.</summary>
public enum PoolKind
{
    /// <summary>The window's maximum (the first one, in row-major window order, where several are equal — as PyTorch).</summary>
    Max,

    /// <summary>The window's mean (PyTorch's AvgPool2d, NIR's AvgPool2d).</summary>
    Average,

    /// <summary>The window's sum (NIR's SumPool2d; Sinabs' and Speck's pooling).</summary>
    Sum,
}
