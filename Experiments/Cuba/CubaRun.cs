using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Compute;
using SpikeSim.Cli.Runs;

namespace SpikeSim.Experiments.Cuba;

/// <summary>Builds and runs the Vogels–Abbott CUBA network in either engine.</summary>
internal static class CubaRun
{
    public static NetworkRunResult Run(int n, double durationMs, double dtMs, ulong seed, EngineKind engine, IComputeBackend? backend,
        IProgress<int>? progress = null)
    {
        var (network, _) = VogelsAbbottCuba.Build(n, seed);
        return NetworkRun.Run(network, engine, durationMs, dtMs, seed, backend, progress: progress, progressTotal: (int)Math.Max(1, durationMs / dtMs));
    }
}
