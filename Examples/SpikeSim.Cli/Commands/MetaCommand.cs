using System.CommandLine;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim meta</c>: the meta-learning commands.</summary>
internal static class MetaCommand
{
    public static Command Create()
    {
        var meta = new Command("meta", "Meta-learning: Backpropamine, evolved decomposed plasticity, evolved neuromodulation of learning rates");
        meta.Add(BackpropamineCommand.Create());
        meta.Add(MazeCommand.Create());
        meta.Add(NeuromodulationCommand.Create());
        return meta;
    }
}
