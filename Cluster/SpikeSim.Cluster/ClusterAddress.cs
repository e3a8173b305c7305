using System.Net;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cluster;

/// <summary>
/// Where the work of a command goes, parsed from <c>--cluster</c>:
/// <c>in-process</c> (a silo in the command's own process that serves the work itself: Orleans with nothing to start),
/// <c>local:N</c> (N worker processes on this machine, started and stopped by the command),
/// <c>redis:HOST:PORT</c> (the workers of a cluster whose membership is kept in Redis, on any machines), or,
/// for the workers a <c>local:N</c> command starts, <c>primary:PORT</c> (join the command's own silo on this machine).
/// </summary>
public abstract record ClusterAddress
{
    /// <summary>
    /// The command's own silo is the one worker: the work goes through the same grain calls as on a cluster, on this
    /// process's threads, with no other process and no network beyond loopback.
    /// </summary>
    public sealed record InProcess : ClusterAddress
    {
        /// <inheritdoc />
        public override string ToString() => "in-process";
    }

    /// <summary>N worker processes on this machine, with localhost clustering; the command's own silo is the primary.</summary>
    public sealed record Local(int Workers) : ClusterAddress
    {
        /// <inheritdoc />
        public override string ToString() => $"local:{Workers}";
    }

    /// <summary>A cluster whose membership table is kept by the Redis server at Host:Port.</summary>
    public sealed record Redis(string Host, int Port) : ClusterAddress
    {
        /// <inheritdoc />
        public override string ToString() => $"redis:{Host}:{Port}";
    }

    /// <summary>The silo of a <c>local:N</c> command on this machine, listening at <see cref="Port"/>.</summary>
    public sealed record Primary(int Port) : ClusterAddress
    {
        /// <summary>The primary silo's endpoint.</summary>
        public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

        /// <inheritdoc />
        public override string ToString() => $"primary:{Port}";
    }

    /// <summary>Parses a <c>--cluster</c> value; a malformed one throws <see cref="InvalidParameterException"/> naming the forms.</summary>
    public static ClusterAddress Parse(string text)
    {
        var parts = text.Split(':');
        return parts switch
        {
            ["in-process"] => new InProcess(),
            ["local", var n] when int.TryParse(n, out var workers) && workers is >= 1 and <= 256 => new Local(workers),
            ["redis", var host, var port] when host.Length > 0 && TryPort(port, out var p) => new Redis(host, p),
            ["primary", var port] when TryPort(port, out var p) => new Primary(p),
            _ => throw new InvalidParameterException($"--cluster '{text}': expected in-process (a silo in this process), local:N (1 ≤ N ≤ 256 worker processes on this machine) or redis:HOST:PORT."),
        };
    }

    private static bool TryPort(string text, out int port) => int.TryParse(text, out port) && port is > 0 and < 65536;
}
