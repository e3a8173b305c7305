using Google.Protobuf;
using SpikeSim.Export;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Evolution;
using SpikeSim.Experiments.Maze;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Experiments.Maze.Tests;

/// <summary>An evolved spiking maze agent written to the model file and read back lives the same lifetimes.</summary>
public sealed class EvolvedMazeAgentFileTests
{
    private static (SpikingMazeAgent Agent, double[] Theta, ModelFile File) Written()
    {
        var agent = new SpikingMazeAgent(5);
        var theta = new double[agent.ParameterCount];
        Gaussian.Scaled(theta, 3, 0.8);
        var file = EvolvedMazeAgentFile.ToModelFile(agent, theta, new EvolvedAgent { Generations = 7, Population = 80, Strategy = "cma", MazeSize = 9 });
        return (agent, theta, ModelFile.Parser.ParseFrom(file.ToByteArray()));
    }

    [Fact]
    public void The_agent_read_back_lives_the_same_lifetimes_and_the_file_holds_its_rules_by_name()
    {
        var (agent, theta, file) = Written();
        var (read, readTheta, record) = EvolvedMazeAgentFile.Read(file);
        Assert.Equal(agent.Hidden, read.Hidden);
        Assert.Equal(theta.Select(v => (double)(float)v), readTheta);
        Assert.Equal((7u, "spiking", "maze"), (record.Generations, record.Agent, record.Task));
        var maze = Maze.Generate(9, 12);
        var (scores, steps) = agent.Lifetime(theta, maze, 5);
        var (readScores, readSteps) = read.Lifetime(readTheta, maze, 5);
        Assert.Equal(steps, readSteps);
        Assert.Equal(scores, readScores);

        // Named numbers sit where the agent reads them: the bias current first, then W_o, b_o, W_h's rule, W_x's rule.
        var nodes = file.Graph.Nodes.ToDictionary(n => n.Name);
        var described = agent.Describe(theta);
        Assert.Equal(described.Bias, nodes["affine_x"].Affine.Bias.F32);
        Assert.Equal(described.Input.APre, nodes["affine_x"].Affine.Plasticity.Decomposed.APre.F32);
        Assert.Equal(MazeLearner.Inputs, nodes["affine_x"].Affine.Plasticity.Decomposed.APre.F32.Count);
        Assert.Equal(described.Recurrent.ModulationBias, nodes["recurrent"].Affine.Plasticity.Decomposed.ModulationBias);
        Assert.Equal(DecomposedForm.Eligibility, nodes["recurrent"].Affine.Plasticity.Decomposed.Form);
        Assert.Equal(10, nodes["lif_h"].Lif.TauMs);
        Assert.Contains(file.Graph.Edges, e => e.Source == "recurrent" && e.Target == "lif_h");
    }

    [Fact]
    public void A_file_whose_rule_or_start_differs_from_the_agent_is_refused()
    {
        var (_, _, file) = Written();
        var other = file.Clone();
        other.Graph.Nodes.Single(n => n.Name == "recurrent").Affine.Plasticity.Decomposed.LearningRate *= 2;
        Assert.Contains("other constants", Assert.Throws<SpikeSimException>(() => EvolvedMazeAgentFile.Read(other)).Message);
        var started = file.Clone();
        started.Graph.Nodes.Single(n => n.Name == "affine_x").Affine.Weight.F32[0] = 0.5f;
        Assert.Contains("start at zero", Assert.Throws<SpikeSimException>(() => EvolvedMazeAgentFile.Read(started)).Message);
        var missing = file.Clone();
        missing.Graph.Nodes.Single(n => n.Name == "affine_x").Affine.Plasticity = null;
        Assert.Contains("no decomposed rule", Assert.Throws<SpikeSimException>(() => EvolvedMazeAgentFile.Read(missing)).Message);
    }
}
