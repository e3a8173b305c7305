using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>A fact that needs a Redis server: skipped, with the install command, where Debian's redis-server is missing.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    private const string Program = "/usr/bin/redis-server";

    public RedisFactAttribute()
    {
        if (!File.Exists(Program)) Skip = "redis-server is not installed (apt-get install -y redis-server)";
    }

    /// <summary>Starts a throw-away Redis server on a free local port, without persistence; disposing stops it.</summary>
    public static RedisServer Start()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.StandardOutput.ReadToEndAsync();
        for (var tries = 0; ; tries++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new RedisServer(process, port);
            }
            catch (SocketException) when (tries < 100)
            {
                Thread.Sleep(100);
            }
        }
    }

    public sealed class RedisServer(Process process, int port) : IDisposable
    {
        public int Port { get; } = port;

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit(5000);
            process.Dispose();
        }
    }
}
