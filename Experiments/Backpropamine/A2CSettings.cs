using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>Settings of Backpropamine's outer loop (the paper's code values as defaults).</summary>
public sealed record A2CSettings(int Hidden = 200, int Batch = 30, float LearningRate = 1e-4f, float Gamma = 0.9f,
    float EntropyWeight = 0.1f, float ValueWeight = 0.1f, float GradientClip = 2f);

/// <summary>One episode's outcome: mean total reward per batch element, and the most it could have been.</summary>
public readonly record struct EpisodeResult(int Episode, double MeanReward, double MeanTrials);
