using SpikeSim.Export;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Experiments.Backpropamine;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>Writing and inspecting spiking Backpropamine agents (<c>meta backpropamine --path snn --export</c>, <c>inspect</c>).</summary>
internal static class BackpropamineAgentExport
{
    /// <summary>Writes the trained network with its rule and a copy of <paramref name="training"/> whose task fields are filled in here.</summary>
    public static void Write(string path, SpikingPlasticRnn network, CueRewardTask task, TrainedAgent training)
    {
        var record = training.Clone();
        record.Task = "cue-reward";
        record.Algorithm = "A2C";
        record.Cues = (uint)task.Cues;
        record.Observation = task.InputLayout;
        record.Actions = "rest, respond: sampled from softmax of the first two readout rows; the third row is the value";
        NetworkExporter.Write(BackpropamineAgentFile.ToModelFile(network, record), path);
        Console.WriteLine($"wrote {path}: the spiking Backpropamine network ({network.Hidden} LIF neurons, variant {network.Variant.Name})" +
                          (network.Variant.IsPlastic ? " with its rule" : ""));
    }

    public static int Inspect(string path, ModelFile file)
    {
        using var backend = new HostBackend(threads: 1);
        var (network, record) = BackpropamineAgentFile.Read(file, backend, batch: 1, maxSteps: 1);
        using (network)
        {
            var s = network.Settings;
            Console.WriteLine($"{path}: valid SpikeSim model file, format {file.Header.Major}.{file.Header.Minor}, dt {file.Dt} ms: a spiking Backpropamine agent for '{record.Task}'");
            Console.WriteLine($"  {network.Hidden} LIF neurons (τ_mem {s.MembraneTauSteps} steps of {file.Dt} ms, θ {s.Threshold}), traces τ {s.TraceTauSteps} steps ({s.TraceStep}); " +
                              (network.Variant.IsPlastic ? $"recurrent weights W + α ⊙ P, P by the {network.Variant.Name} rule" : "fixed recurrent weights (no rule)"));
            Console.WriteLine($"  inputs: {record.Observation}");
            Console.WriteLine($"  trained by {record.Algorithm}: {record.Episodes} episodes of batch {record.Batch}, {record.Cues} cues, Adam lr {record.LearningRate:g}, seed {record.Seed}; " +
                              $"mean reward per episode over the last tenth {record.FinalReward:0.00}");
        }
        return 0;
    }
}
