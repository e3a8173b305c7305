using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;

namespace SpikeSim.Tests.Compute;

/// <summary>The simulator's kernels compile to PTX and have host range methods.</summary>
public sealed class PtxCompilationTests : KernelCompilationTests<IKernel>
{
    protected override string KnownKernel => "CubaLifStepKernel";
}
