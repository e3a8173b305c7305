using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch;

/// <summary>
/// libtorch's own thread pools, set from the command's <c>--threads</c>: left alone, libtorch sizes its intra-op pool
/// from the cores it detects, which in a container can be the host's, and oversubscribes the cores SpikeSim was given.
/// </summary>
public static class TorchThreads
{
    private static readonly Lock Gate = new();
    private static bool _interopSet;

    /// <summary>
    /// Uses <paramref name="threads"/> intra-op threads (0: the cores present) and as many inter-op threads; the inter-op
    /// pool can be sized once per process, before libtorch first uses it, so a later call changes the intra-op pool only.
    /// </summary>
    public static int Use(int threads)
    {
        var n = threads > 0 ? threads : Environment.ProcessorCount;
        lock (Gate)
        {
            set_num_threads(n);
            if (!_interopSet)
            {
                try
                {
                    set_num_interop_threads(n);
                }
                catch (Exception e) when (e is InvalidOperationException or System.Runtime.InteropServices.ExternalException)
                {
                    // Already started by earlier torch work in this process: the intra-op setting above still holds.
                }
                _interopSet = true;
            }
        }
        return n;
    }
}
