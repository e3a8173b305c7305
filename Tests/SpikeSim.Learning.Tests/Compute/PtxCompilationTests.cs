using SpikeSim.Learning.Surrogates;
using SpikeSim.Tests.Support;

namespace SpikeSim.Tests.Compute;

/// <summary>The trainer's kernels (spiking layers, optimisers, plastic networks) compile to PTX and have host range methods.</summary>
public sealed class PtxCompilationTests : KernelCompilationTests<ISurrogate>
{
    protected override string KnownKernel => "SpikingScanForwardKernel`1";
}
