using BenchmarkDotNet.Attributes;
using SpikeSim.Learning.Evolution;
using SpikeSim.Experiments.Maze;

namespace SpikeSim.Benchmarks;

/// <summary>
/// One 8-episode lifetime of each maze agent (hidden 16) in a 15×15 maze, from the evolution's starting parameters
/// N(0, 0.05²) (a near-random walk that uses most of its 8 × 200 steps; the benchmark returns the steps taken):
/// the unit of work of a maze evolution (960 lifetimes per generation at population 80 and 12 mazes). A rate agent
/// lives 8 lifetimes per vector pass (<see cref="MazeLearner.Lanes"/>): <see cref="Lifetime"/> is one lane of a pass,
/// <see cref="EightLifetimes"/> a full pass (the spiking agent lives them one after another).
/// </summary>
public class MazeLifetimeBenchmarks
{
    private MazeLearner _agent = null!;
    private double[] _theta = null!;
    private Maze _maze = null!;

    public enum AgentKind { Decomposed, Full, Rnn, Spiking }

    [Params(AgentKind.Decomposed, AgentKind.Full, AgentKind.Rnn, AgentKind.Spiking)]
    public AgentKind Agent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _agent = Agent switch
        {
            AgentKind.Decomposed => new MazeAgent(MazeAgentKind.Decomposed, 16),
            AgentKind.Full => new MazeAgent(MazeAgentKind.Full, 16),
            AgentKind.Rnn => new MazeAgent(MazeAgentKind.NonPlastic, 16),
            _ => new SpikingMazeAgent(16),
        };
        _theta = new double[_agent.ParameterCount];
        Gaussian.Scaled(_theta, 1, 0.05);
        _maze = Maze.Generate(15, 3);
    }

    [Benchmark]
    public int Lifetime() => _agent.Lifetime(_theta, _maze, 7).Steps.Sum();

    [Benchmark]
    public int EightLifetimes() => _agent.Lifetimes([.. Enumerable.Repeat(_theta, 8)], [.. Enumerable.Repeat(_maze, 8)], [.. Enumerable.Range(7, 8).Select(s => (ulong)s)]).Sum(l => l.Steps.Sum());
}
