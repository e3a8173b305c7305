using TorchSharp;

namespace SpikeSim.Learning.Torch;

/// <summary>
/// Constant <see cref="Scalar"/>s held for the process's life. TorchSharp's operators read a Scalar's native handle and
/// do not keep the managed object alive through the native call, so a temporary made by an implicit conversion
/// (<c>clamp(t, -1, 1)</c>, <c>t * 0.5</c>, <c>t.pow(2)</c>) can be finalized — and its native Scalar freed — while
/// libtorch still reads it (a CI run once failed inside <c>pow</c> with "INTERNAL ASSERT FAILED at c10/core/Scalar.h").
/// The same holds for the Scalars TorchSharp makes itself: <c>a + b</c> on two tensors calls <c>add(b, alpha: 1)</c>
/// with a temporary alpha (a CI run failed so inside an A2C episode: "toFloat: Expected false to be true"), as do
/// <c>add(scalar)</c> and <c>scalar − tensor</c>, and TorchSharp's optimisers pass temporaries on every step.
/// Code on SpikeSim's libtorch paths therefore passes Scalars it holds: these constants, or a <c>using var</c> for a
/// value that varies (a <c>using</c> keeps it reachable until the end of its scope); adds two tensors as
/// <c>a.add(b, One)</c> (bit for bit <c>a + b</c>); and steps with <see cref="Optimizers.TorchOptimizer"/>s.
/// Tests count the Scalars left to the finalizer on every path (HeldScalarTests): none.
/// </summary>
public static class HeldScalars
{
    /// <summary>The integer constants −1, 0, 1 and 2 (as the implicit conversions of int literals made them).</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar(), Zero = 0.ToScalar(), One = 1.ToScalar(), Two = 2.ToScalar();
}
