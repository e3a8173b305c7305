using SpikeSim.Cluster;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// The maze fitness (<see cref="MazeEvolution.Fitness"/>) as a cluster job: a worker rebuilds the agent from these
/// settings and evaluates candidates of <c>spikesim meta maze --cluster …</c> exactly as the command's own threads would.
/// </summary>
internal sealed class MazeFitnessJob : FitnessJob<MazeFitnessJob.Settings>
{
    /// <summary>What fixes the fitness function: the agent, its size and policy, and the mazes of a generation.</summary>
    public sealed record Settings(MazeAgentChoice Agent, int Hidden, ActionPolicyKind Policy, int Mazes, int Size, int Repeats);

    /// <inheritdoc />
    public override string Name => "maze-fitness";

    /// <inheritdoc />
    public override Func<double[], ulong, double> Fitness(Settings s) => MazeEvolution.Fitness(s.Agent.Create(s.Hidden, s.Policy), s.Mazes, s.Size, s.Repeats);

    /// <summary>A worker's candidates × mazes in vector lanes, as the command's own threads evaluate a population.</summary>
    public override ICandidateEvaluator Batch(Settings s) => new MazeEvolution.PopulationEvaluator(s.Agent.Create(s.Hidden, s.Policy), s.Mazes, s.Size, s.Repeats, 1);
}
