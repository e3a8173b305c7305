using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using SpikeSim.Cluster;
using SpikeSim.Simulator.Errors;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// <c>--cluster</c>: evolution candidates evaluated by the command's own silo or by real <c>spikesim worker</c> processes
/// give the result of the run on this process's threads — an in-process silo, three local workers, a worker killed
/// mid-generation, a coordinator killed and resumed, and two workers joined through Redis.
/// </summary>
[Collection(WholeMachine.Name)]
public sealed class ClusterCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-cluster").FullName;

    private static readonly string[] Run = ["meta", "maze", "--generations", "5", "--seed", "3"];

    /// <summary>The uninterrupted run on this process's threads (no silo) that every cluster run must reproduce, computed once.</summary>
    private static readonly Lazy<string> OnThreads = new(() =>
    {
        var json = Path.Combine(Directory.CreateTempSubdirectory("spikesim-cluster").FullName, "a.json");
        var result = CliProcess.Run([.. Run, "--json", json]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return Results(json);
    });

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The fitness history and held-out results of a run's JSON (times left out), as text, so that equality is exact.</summary>
    private static string Results(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        return string.Join('\n', new[] { "best", "mean", "held_out_steps", "held_out_reward", "final_sigma" }.Select(k => $"{k}: {root.GetProperty(k).GetRawText()}"));
    }

    [Fact]
    public void The_commands_own_silo_gives_the_result_on_threads()
    {
        var json = Path.Combine(_dir, "i.json");
        var result = CliProcess.Run([.. Run, "--cluster", "in-process", "--json", json]);
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("1 worker (in-process)", result.Stdout);
        Assert.Equal(OnThreads.Value, Results(json));
    }

    [Fact]
    public void Three_local_workers_give_the_result_on_threads()
    {
        var json = Path.Combine(_dir, "b.json");
        var result = CliProcess.Run([.. Run, "--cluster", "local:3", "--json", json]);
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("3 workers joined", result.Stdout);
        Assert.Contains("3 workers (local:3)", result.Stdout);
        Assert.Equal(OnThreads.Value, Results(json));
    }

    [Fact]
    public void A_worker_killed_during_generation_3_changes_nothing()
    {
        var json = Path.Combine(_dir, "c.json");
        var pids = new ConcurrentDictionary<int, int>();
        var killed = 0;
        var result = CliProcess.Watch(line =>
        {
            if (line.Trim() is var text && text.StartsWith("worker ") && text.Contains(": pid "))
                pids[int.Parse(text["worker ".Length..text.IndexOf(':')])] = int.Parse(text[(text.LastIndexOf(' ') + 1)..]);
            if (text.StartsWith("generation 2:") && Interlocked.Exchange(ref killed, 1) == 0)
                Process.GetProcessById(pids[2]).Kill(); // SIGKILL: no goodbye to the cluster
        }, [.. Run, "--cluster", "local:3", "--json", json]);
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Equal(1, killed);
        Assert.Contains("lost worker", result.Stdout);
        Assert.Equal(OnThreads.Value, Results(json));
    }

    // The coordinator itself SIGKILLed after generation 2 (its local workers follow it out), then resumed from its
    // checkpoint on a new local cluster: the run ends as the uninterrupted run on threads does.
    [Fact]
    public void A_coordinator_killed_after_generation_2_resumes_on_a_cluster_with_the_same_result()
    {
        var (checkpoint, json) = (Path.Combine(_dir, "k.ckpt"), Path.Combine(_dir, "k.json"));
        using var second = new ManualResetEventSlim();
        using var coordinator = CliProcess.Start(line =>
        {
            if (line.Trim().StartsWith("generation 2:")) second.Set();
        }, [.. Run, "--cluster", "local:2", "--checkpoint", checkpoint, "--json", json]);
        Assert.True(second.Wait(TimeSpan.FromMinutes(3)), "generation 2 finished");
        coordinator.Kill(); // SIGKILL, mid-run
        coordinator.WaitForExit();
        Assert.False(File.Exists(json));
        var resumed = CliProcess.Run([.. Run, "--cluster", "local:2", "--checkpoint", checkpoint, "--resume", "--json", json]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Contains("resumed after generation", resumed.Stdout);
        Assert.Equal(OnThreads.Value, Results(json));
    }

    [RedisFact]
    public void Two_workers_joined_through_redis_give_the_result_on_threads()
    {
        using var redis = RedisFactAttribute.Start();
        var cluster = $"redis:127.0.0.1:{redis.Port}";
        var joined = new CountdownEvent(2);
        var workers = Enumerable.Range(0, 2).Select(_ => CliProcess.Start(line =>
        {
            if (line.Contains(" joined redis:")) joined.Signal();
        }, "worker", "--cluster", cluster, "--threads", "1", "--address", "127.0.0.1")).ToArray();
        try
        {
            Assert.True(joined.Wait(TimeSpan.FromMinutes(2)), "both workers joined");
            var json = Path.Combine(_dir, "d.json");
            // The command's own silo on fixed ports and address, as behind a firewall.
            var port = FreePortPair();
            var result = CliProcess.Run([.. Run, "--cluster", cluster, "--cluster-address", "127.0.0.1", "--cluster-port", $"{port}", "--json", json]);
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            Assert.Contains($"2 workers ({cluster})", result.Stdout);
            Assert.Equal(OnThreads.Value, Results(json));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Kill();
                worker.WaitForExit(10_000);
            }
        }
    }

    [Fact]
    public void Neuromodulation_controllers_evaluated_by_two_local_workers_evolve_as_on_threads()
    {
        string History(string json, params string[] cluster)
        {
            var result = CliProcess.Run(["meta", "neuromodulation", "--generations", "2", "--population", "4", "--epochs", "1", "--seeds", "1", .. cluster, "--json", json]);
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            return string.Join('\n', doc.RootElement.EnumerateObject().Where(p => !p.Name.EndsWith("seconds")).Select(p => $"{p.Name}: {p.Value.GetRawText()}"));
        }
        Assert.Equal(History(Path.Combine(_dir, "n1.json")), History(Path.Combine(_dir, "n2.json"), "--cluster", "local:2"));
    }

    [Fact]
    public void Compare_runs_on_two_local_workers_as_on_threads()
    {
        JsonElement[] Runs(string json, params string[] cluster)
        {
            var result = CliProcess.Run(["compare", "--task", "yinyang", "--seeds", "1", "--epochs", "1", "--hidden", "8", .. cluster, "--json", json]);
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            return [.. doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.Clone())];
        }
        var (here, there) = (Runs(Path.Combine(_dir, "c1.json")), Runs(Path.Combine(_dir, "c2.json"), "--cluster", "local:2"));
        Assert.Equal(10, there.Length);
        foreach (var (a, b) in here.Zip(there))
        {
            Assert.Equal(a.GetProperty("arm").GetString(), b.GetProperty("arm").GetString());
            // SNN runs are SpikeSim's own kernels: the same bits. ANN runs are libtorch's, whose losses differ in the last
            // digits between two in-process runs too (its parallel sums); their accuracy agrees.
            if (a.GetProperty("model").GetString() == "SNN")
                Assert.Equal(a.GetProperty("train_loss").GetRawText() + a.GetProperty("test_accuracy").GetRawText(),
                    b.GetProperty("train_loss").GetRawText() + b.GetProperty("test_accuracy").GetRawText());
            else
                Assert.Equal(a.GetProperty("test_accuracy")[0].GetDouble(), b.GetProperty("test_accuracy")[0].GetDouble(), 0.005);
        }
    }

    [Fact]
    public void Backpropamine_seed_runs_on_two_local_workers_give_the_rewards_on_threads()
    {
        string Runs(string json, params string[] cluster)
        {
            var result = CliProcess.Run(["meta", "backpropamine", "--compare", "--seeds", "2", "--episodes", "10", "--hidden", "16", "--variants", "none,modulated", .. cluster, "--json", json]);
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            return string.Join('\n', doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => $"{r.GetProperty("variant")} {r.GetProperty("seed")} {string.Join(',', r.GetProperty("reward").EnumerateArray().Select(x => x.GetRawText()))}"));
        }
        var here = Runs(Path.Combine(_dir, "b1.json"));
        Assert.Equal(4, here.Split('\n').Length);
        Assert.Equal(here, Runs(Path.Combine(_dir, "b2.json"), "--cluster", "local:2"));
    }

    [Fact]
    public void A_sweep_gathers_every_grid_point_and_two_local_workers_give_the_same_points()
    {
        string[] Points(string json, params string[] cluster)
        {
            var md = Path.ChangeExtension(json, ".md");
            var result = CliProcess.Run(["sweep", "--set", "n=400,800", "--set", "seed=1,2,3", .. cluster, "--json", json, "--markdown", md, "--", "simulate", "cuba", "--duration-ms", "50", "--threads", "1"]);
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            var table = File.ReadAllLines(md);
            Assert.StartsWith("| n | seed |", table[0]);
            Assert.Equal(2 + 6, table.Length);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal("simulate cuba --duration-ms 50 --threads 1", doc.RootElement.GetProperty("command").GetString());
            return [.. doc.RootElement.GetProperty("points").EnumerateArray().Select(p =>
                $"{string.Join(',', p.GetProperty("values").EnumerateObject().Select(v => $"{v.Name}={v.Value.GetString()}"))} {p.GetProperty("result").GetProperty("synapses")} {p.GetProperty("result").GetProperty("spikes")}")];
        }
        var here = Points(Path.Combine(_dir, "s1.json"));
        Assert.Equal(6, here.Length);
        Assert.Equal(["n=400,seed=1", "n=400,seed=2"], here.Take(2).Select(p => p.Split(' ')[0]));
        Assert.Equal(6, here.Distinct().Count());
        Assert.Equal(here, Points(Path.Combine(_dir, "s2.json"), "--cluster", "local:2"));
        Assert.Equal(here, Points(Path.Combine(_dir, "s3.json"), "--cluster", "in-process"));
    }

    [Fact]
    public void Bench_evolution_times_this_process_and_a_local_cluster_on_the_same_evolution()
    {
        var json = Path.Combine(_dir, "bench.json");
        var result = CliProcess.Run("bench", "evolution", "--generations", "2", "--population", "8", "--mazes", "3", "--size", "9", "--workers", "1", "--json", json);
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("same best fitness", result.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(2 * 8 * 3, root.GetProperty("lifetimes").GetDouble());
        Assert.True(root.GetProperty("cluster").GetProperty("same_result").GetBoolean());
        foreach (var part in new[] { root.GetProperty("in_process"), root.GetProperty("cluster") })
            Assert.Equal(root.GetProperty("lifetimes").GetDouble() / part.GetProperty("seconds").GetDouble(), part.GetProperty("lifetimes_per_s").GetDouble(), 1e-6);
    }

    [Fact]
    public void Cluster_addresses_parse_or_name_the_forms()
    {
        Assert.Equal(new ClusterAddress.Local(3), ClusterAddress.Parse("local:3"));
        Assert.Equal(new ClusterAddress.InProcess(), ClusterAddress.Parse("in-process"));
        Assert.Equal(new ClusterAddress.Redis("10.0.0.5", 6379), ClusterAddress.Parse("redis:10.0.0.5:6379"));
        foreach (var bad in new[] { "local:0", "local:x", "redis:host", "redis:host:0", "tcp:1", "" })
            Assert.Contains("local:N", Assert.Throws<InvalidParameterException>(() => ClusterAddress.Parse(bad)).Message);
        CliProcess.AssertOneError(CliProcess.Run("meta", "maze", "--generations", "1", "--cluster", "local:0"), "--cluster 'local:0'");
        CliProcess.AssertOneError(CliProcess.Run("worker", "--cluster", "local:2"), "spikesim worker joins a cluster");
        CliProcess.AssertOneError(CliProcess.Run("worker", "--cluster", "in-process"), "spikesim worker joins a cluster");
        CliProcess.AssertOneError(CliProcess.Run("meta", "maze", "--generations", "1", "--cluster-port", "7000"), "--cluster-port does not apply");
        CliProcess.AssertOneError(CliProcess.Run("meta", "maze", "--generations", "1", "--cluster", "local:1", "--cluster-address", "10.0.0.1"), "--cluster-address is for a Redis cluster");
    }

    /// <summary>A port P such that P and P + 1 are free now (the silo's and the gateway's).</summary>
    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            first.Start();
            var port = ((System.Net.IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65534) continue;
            try
            {
                using var second = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 1);
                second.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
        throw new InvalidOperationException("no two free neighbouring ports");
    }
}
