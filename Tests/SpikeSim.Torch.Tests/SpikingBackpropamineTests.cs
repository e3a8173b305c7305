using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Torch.Plasticity;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;
using SpikeSim.Tests.Torch.References;
using Xunit;
using static TorchSharp.torch;

namespace SpikeSim.Tests.Learning;

/// <summary>The spiking Backpropamine network: its hand-written BPTT through plasticity against TorchSharp's autograd.</summary>
public sealed class SpikingBackpropamineTests
{
    private const int Inputs = 3, Hidden = 5, Actions = 2, Batch = 2, Steps = 12;
    private static readonly SpikingPlasticSettings Settings = new(MembraneTauSteps: 4, TraceTauSteps: 3, Threshold: 1, SurrogateSlope: 5);

    public static TheoryData<string, TraceStep> Variants => new()
    {
        { "none", TraceStep.Rate }, { "plastic", TraceStep.Rate }, { "modulated", TraceStep.Rate }, { "modulated", TraceStep.Count },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Gradients_through_the_plastic_terms_equal_torch_autograd(string name, TraceStep step)
    {
        var variant = SpikingPlasticVariant.All.Single(v => v.Name == name);
        using var backend = new HostBackend();
        var (ours, heads, reference, referenceHeads, spikes) = Run(backend, variant, Settings with { TraceStep = step });
        Assert.True(spikes > Steps * Batch * Hidden / 10, $"only {spikes} spikes: the test would not exercise the spiking path");
        for (var i = 0; i < heads.Length; i++) Assert.Equal(referenceHeads[i], heads[i], 4);
        foreach (var (parameter, gradient) in ours)
        {
            var expected = reference[parameter];
            double diff = 0, norm = 0;
            for (var i = 0; i < gradient.Length; i++)
            {
                diff += Math.Pow(gradient[i] - expected[i], 2);
                norm += Math.Pow(expected[i], 2);
            }
            Assert.True(norm > 1e-8, $"{parameter}: the reference gradient is zero, so the check is empty");
            Assert.True(Math.Sqrt(diff) <= 1e-4 * Math.Sqrt(norm) + 1e-6, $"{parameter}: relative error {Math.Sqrt(diff / norm):g3}");
        }
    }

    [Fact]
    public void The_ilgpu_kernels_give_the_host_launchers_gradients()
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        using var host = new RecordingBackend(new HostBackend());
        var variant = new ModulatedSpiking();
        var (a, _, _, _, _) = Run(host, variant, Settings);
        var missing = KernelCatalog.PlasticNetwork.Where(k => !host.Launched.Contains(k)).Select(k => k.Name).ToArray();
        Assert.True(missing.Length == 0, "kernels never launched: " + string.Join(", ", missing));
        var (b, _, _, _, _) = Run(emulator, variant, Settings);
        foreach (var (parameter, gradient) in a)
            for (var i = 0; i < gradient.Length; i++) Assert.Equal(gradient[i], b[parameter][i], 4);
    }

    // Runs one episode with large enough weights that neurons spike and P matters, backpropagates a random linear
    // function of the heads, and does the same in torch.
    private static (Dictionary<string, float[]> Ours, float[] Heads, Dictionary<string, float[]> Reference, float[] ReferenceHeads, int Spikes)
        Run(IComputeBackend backend, SpikingPlasticVariant variant, SpikingPlasticSettings settings)
    {
        var rng = new Random(5);
        float Draw(float scale) => (float)(rng.NextDouble() * 2 - 1) * scale;
        using var net = new SpikingPlasticRnn(backend, Inputs, Hidden, Actions, Batch, Steps, variant, settings, seed: 3);
        var values = new Dictionary<string, float[]>();
        foreach (var p in net.Parameters)
        {
            var scale = p.Name switch { "input_weight" => 1.5f, "bias" => 0.3f, "alpha" => 1.5f, "eta" => 0.5f, _ => 0.8f };
            var v = Enumerable.Range(0, p.Length).Select(_ => Draw(scale)).ToArray();
            if (p.Name == "eta") v[0] = 0.3f;
            p.Value.CopyFrom(v);
            values[p.Name] = v;
        }
        var x = Enumerable.Range(0, Steps * Batch * Inputs).Select(_ => (float)rng.NextDouble() * 1.5f).ToArray();
        var heads = new float[Steps * Batch * net.Heads];
        net.Begin();
        var spikes = 0;
        for (var t = 0; t < Steps; t++)
        {
            net.Step(x.AsSpan(t * Batch * Inputs, Batch * Inputs), heads.AsSpan(t * Batch * net.Heads, Batch * net.Heads));
            spikes += (int)net.Spikes(t).Sum();
        }
        var gradHeads = Enumerable.Range(0, heads.Length).Select(i => i % net.Heads == Actions + 1 ? 0f : Draw(1)).ToArray();
        net.Backward(gradHeads);
        var ours = net.Parameters.ToDictionary(p => p.Name, p => p.Gradient.ToArray());

        using var scope = NewDisposeScope();
        var leaves = values.ToDictionary(kv => kv.Key, kv =>
        {
            var shape = net.Parameters.First(p => p.Name == kv.Key).Shape.Select(d => (long)d).ToArray();
            return tensor(kv.Value).reshape(shape).requires_grad_(true);
        });
        if (!leaves.ContainsKey("alpha")) leaves["alpha"] = zeros(Hidden, Hidden);
        if (!leaves.ContainsKey("eta")) leaves["eta"] = zeros(1);
        var referenceHeads = TorchSpikingPlasticRnn.Heads(leaves, tensor(x).reshape(Steps, Batch, Inputs), variant, settings, Actions);
        (referenceHeads * tensor(gradHeads).reshape(Steps, Batch, net.Heads)).sum().backward();
        var reference = values.Keys.ToDictionary(k => k, k => leaves[k].grad!.data<float>().ToArray());
        return (ours, heads, reference, referenceHeads.detach().data<float>().ToArray(), spikes);
    }
}
