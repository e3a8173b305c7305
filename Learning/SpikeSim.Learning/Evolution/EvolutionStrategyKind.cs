using System.Text.Json.Serialization;

namespace SpikeSim.Learning.Evolution;

/// <summary>The evolution strategies; on the command line and in checkpoints by their <see cref="Training.OptionName"/>.</summary>
public enum EvolutionStrategyKind
{
    /// <summary>Diagonal-covariance CMA-ES with log-rank weights (<see cref="DiagonalCmaEs"/>).</summary>
    Cma,

    /// <summary>Salimans et al.'s antithetic natural-gradient ES (<see cref="OpenAiEs"/>); named "openai", as checkpoints have always spelled it.</summary>
    [JsonStringEnumMemberName("openai")]
    OpenAI,
}
