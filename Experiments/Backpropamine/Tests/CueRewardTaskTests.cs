using Xunit;

namespace SpikeSim.Experiments.Backpropamine.Tests;

/// <summary>The cue–reward task's rules.</summary>
public sealed class CueRewardTaskTests
{
    [Fact]
    public void The_task_rewards_responding_exactly_when_the_rewarded_cue_was_shown()
    {
        var task = new CueRewardTask(batch: 1, cues: 2, seed: 4, episodeLength: 200, responsePenalty: 0);
        task.Reset();
        double always = 0;
        for (var t = 0; t < 200; t++)
        {
            task.Observe();
            always += task.Act([1L])[0];
        }
        // Responding always is right in the trials that showed the rewarded cue (half of them) and wrong in the rest.
        Assert.InRange(always / task.TrialsJudged[0], -0.4, 0.4);
        Assert.InRange(task.TrialsJudged[0], 200 / 5 - 1, 200 / 4 + 1);
    }
}
