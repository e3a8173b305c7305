using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// Checks an estimate of what a network or a file will take against the memory this machine has free, before anything
/// is allocated, so that a network too large is one clear refusal with both figures instead of an abort or a kill.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes of memory available now: MemAvailable on Linux, else what the runtime may use.</summary>
    public static long AvailableBytes
    {
        get
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
            return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        }
    }

    /// <summary>Refuses <paramref name="what"/> where <paramref name="bytes"/> exceeds the memory available.</summary>
    public static void Require(double bytes, string what)
    {
        var available = AvailableBytes;
        if (bytes > available)
            throw new InvalidParameterException(
                $"{what} needs about {Gb(bytes)} of memory; {Gb(available)} is available here. Make it smaller, or run it on a larger machine.");
    }

    /// <summary>Bytes a simulation of <paramref name="neurons"/> neurons and <paramref name="synapses"/> synapses takes while it is built and run on the host: the network's arrays, their copies in the engine, and the builder's growth.</summary>
    public static double Simulation(double neurons, double synapses) => synapses * BytesPerSynapse + neurons * BytesPerNeuron;

    /// <summary>Bytes per synapse while a network is built and run (weights and targets in the description, their engine copies, and list growth while drawing).</summary>
    public const double BytesPerSynapse = 24;

    /// <summary>Bytes per neuron (state, input rings, spike lists and recorders' counters), generously.</summary>
    public const double BytesPerNeuron = 256;

    private static string Gb(double bytes) => bytes >= 1e9 ? $"{bytes / 1e9:0.#} GB" : $"{bytes / 1e6:0} MB";
}
