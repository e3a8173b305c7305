using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>The agents <c>meta maze --agent</c> evolves.</summary>
internal enum MazeAgentChoice
{
    /// <summary>Tanh RNN whose weights follow the rank-1 decomposed rule (Wang et al.).</summary>
    Decomposed,

    /// <summary>The same network with full A, B, C, D matrices.</summary>
    Full,

    /// <summary>Non-plastic RNN whose weights are evolved directly.</summary>
    Rnn,

    /// <summary>The decomposed rule on LIF neurons, driven by spike traces, the modulation as third factor.</summary>
    Spiking,
}

/// <summary>Builds the chosen agent.</summary>
internal static class MazeAgentChoices
{
    /// <summary>The agent <paramref name="choice"/> with <paramref name="hidden"/> recurrent neurons, choosing its moves by <paramref name="policy"/>.</summary>
    public static MazeLearner Create(this MazeAgentChoice choice, int hidden, ActionPolicyKind policy) => choice switch
    {
        MazeAgentChoice.Decomposed => new MazeAgent(MazeAgentKind.Decomposed, hidden, policy),
        MazeAgentChoice.Full => new MazeAgent(MazeAgentKind.Full, hidden, policy),
        MazeAgentChoice.Rnn => new MazeAgent(MazeAgentKind.NonPlastic, hidden, policy),
        MazeAgentChoice.Spiking when policy == ActionPolicyKind.Softmax => new SpikingMazeAgent(hidden),
        MazeAgentChoice.Spiking => throw new InvalidParameterException(
            $"--agent spiking samples softmax(logits) only (the model file has no gate): leave out --policy or give --policy {OptionName.Of(ActionPolicyKind.Softmax)}."),
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, null),
    };
}
