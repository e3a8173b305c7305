using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>
/// Golden trajectories: every state variable of each model under a fixed, seeded drive, pinned in
/// <c>Golden/*.csv</c>. A change of any model's numerics shows up here. The closed-form tests say the
/// files are right; this says they stay right. Regenerate deliberately with SPIKESIM_UPDATE_GOLDEN=1.
/// </summary>
public sealed class GoldenTrajectoryTests
{
    private const int Steps = 400;

    private static readonly Dictionary<string, INeuronModel> Models = new()
    {
        ["lif"] = new Lif(TauMs: 10, VLeak: -0.2, VThreshold: 1, VReset: 0, RefractoryMs: 1),
        ["lif-subtract-euler"] = new Lif(TauMs: 10, VThreshold: 1, Reset: ResetMode.Subtract, Integrator: Integrator.ForwardEuler),
        ["if"] = new IntegrateAndFire(VThreshold: 1, VReset: -0.1, RefractoryMs: 0.5),
        ["li"] = new LeakyIntegrator(TauMs: 8, VLeak: 0.1),
        ["cuba-lif"] = new CubaLif(TauMemMs: 12, TauSynExcMs: 3, TauSynInhMs: 7, VThreshold: 1, RefractoryMs: 2),
        ["alif"] = new AdaptiveLif(TauMs: 15, TauAdaptMs: 60, Beta: 0.4, VThreshold: 1),
        ["izhikevich-fs"] = Izhikevich.FastSpiking,
    };

    public static TheoryData<string> Names() => new(Models.Keys);

    private static string Trajectory(INeuronModel model)
    {
        var network = new Network();
        var drive = network.AddPopulation("drive", 16, new PoissonSource(300));
        var neurons = network.AddPopulation("neurons", 4, model);
        var weights = Enumerable.Range(0, 64).Select(k => (k % 11 - 3) / 16f).ToArray();
        network.Connect(drive, neurons, new DenseConnectivity(16, 4, weights), 0);
        if (model.InputChannels > 1) network.Connect(drive, neurons, new DenseConnectivity(16, 4, weights.Select(w => -Math.Abs(w) / 2).ToArray()), 1);
        network.Inject(new CurrentInput(neurons, [0.5f, 1f, 1.5f, 2f], [0.2f, 0.4f, 0.8f]));
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1, Seed: 2024));
        var recorders = model.StateVariables.Select(v => simulation.Observe(new StateRecorder(neurons, v, [0, 1, 2, 3]))).ToArray();
        simulation.RunSteps(Steps);
        var csv = new StringBuilder("step,variable,n0,n1,n2,n3\n");
        for (var k = 0; k < Steps; k++)
            foreach (var recorder in recorders)
                csv.Append(CultureInfo.InvariantCulture, $"{k},{recorder.Variable.Name},{string.Join(',', recorder.Samples[k].Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}\n");
        return csv.ToString();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Trajectory_matches_its_golden_file(string name)
    {
        var actual = Trajectory(Models[name]);
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".csv");
        if (Environment.GetEnvironmentVariable("SPIKESIM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Golden", name + ".csv"), actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {name}.csv is missing; generate it with SPIKESIM_UPDATE_GOLDEN=1");
        var expected = File.ReadAllLines(path);
        var lines = actual.TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Length, lines.Length);
        for (var i = 1; i < lines.Length; i++)
        {
            var e = expected[i].Split(',');
            var a = lines[i].Split(',');
            Assert.Equal(e[..2], a[..2]);
            for (var c = 2; c < e.Length; c++)
            {
                double x = double.Parse(e[c], CultureInfo.InvariantCulture), y = double.Parse(a[c], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x)), $"{name}.csv line {i + 1}: {e[c]} vs {a[c]}");
            }
        }
        Assert.Contains(expected.Skip(1), l => l.Split(',')[2..].Any(v => v != "0"));
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
