using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>A learner on the cue–reward task that runs and learns from one episode per call (either path).</summary>
public interface IEpisodeTrainer : IDisposable
{
    /// <summary>Runs episode <paramref name="index"/> and updates the network from it.</summary>
    EpisodeResult Episode(int index);
}
