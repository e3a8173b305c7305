using SpikeSim.Export;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Experiments.Maze;

/// <summary>Writing and inspecting evolved maze agents (<c>meta maze --export</c>, <c>inspect</c>).</summary>
internal static class EvolvedAgentExport
{
    /// <summary>Writes the spiking agent <paramref name="theta"/> describes, with its evolution record.</summary>
    public static void Write(string path, SpikingMazeAgent agent, double[] theta, EvolvedAgent record)
    {
        NetworkExporter.Write(EvolvedMazeAgentFile.ToModelFile(agent, theta, record), path);
        Console.WriteLine($"wrote {path}: the spiking maze agent ({agent.Hidden} LIF neurons) with its two decomposed rules");
    }

    public static int Inspect(string path, ModelFile file)
    {
        var (agent, theta, record) = EvolvedMazeAgentFile.Read(file);
        Console.WriteLine($"{path}: valid SpikeSim model file, format {file.Header.Major}.{file.Header.Minor}, dt {file.Dt} ms: an evolved {record.Agent} {record.Task} agent");
        Console.WriteLine($"  {agent.Hidden} LIF neurons ({agent.Neuron.TauMs} ms), {theta.Length} evolved numbers; W_x and W_h start at 0 and learn by decomposed rules " +
                          $"(eligibility τ_c {SpikingMazeAgent.EligibilityTauMs} ms, η {SpikingMazeAgent.LearningRate:g3}/ms, modulated), one update per {record.StepMs} ms task step");
        Console.WriteLine($"  evolved {record.Generations} generations × {record.Population} ({record.Strategy}) on {record.MazeSize}×{record.MazeSize} mazes; " +
                          $"held-out ({record.HeldOutMazes} mazes) steps per episode: {string.Join(", ", record.HeldOutSteps.Select(v => v.ToString("0.0")))}");
        return 0;
    }
}
