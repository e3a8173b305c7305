using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>The host launcher's choice to split a launch or not: timed both ways, the faster kept, the other re-timed.</summary>
public sealed class SplitDecisionTests
{
    /// <summary>Runs <paramref name="launches"/> launches of 1000 indices whose time is <paramref name="ticks"/>(split); returns the ways taken.</summary>
    private static bool[] Drive(SplitDecision decision, int launches, Func<bool, long> ticks)
    {
        var ways = new bool[launches];
        for (var k = 0; k < launches; k++)
        {
            var split = ways[k] = decision.NextSplit;
            decision.Record(split, 1000, ticks(split));
        }
        return ways;
    }

    [Fact]
    public void Both_ways_are_timed_alternately_before_a_choice()
    {
        var ways = Drive(new SplitDecision(), 2 * SplitDecision.Window, split => split ? 10 : 20);
        Assert.Equal(Enumerable.Range(0, 2 * SplitDecision.Window).Select(k => k % 2 == 1), ways);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_faster_way_is_kept_and_the_other_tried_once_in_ExploreEvery(bool splitIsFaster)
    {
        var decision = new SplitDecision();
        Drive(decision, 2 * SplitDecision.Window, split => split == splitIsFaster ? 10 : 20);
        Assert.Equal(splitIsFaster, decision.Choice);
        var ways = Drive(decision, 100 * SplitDecision.ExploreEvery, split => split == splitIsFaster ? 10 : 20);
        Assert.Equal(100, ways.Count(w => w != splitIsFaster));
        Assert.Equal(splitIsFaster, decision.Choice);
    }

    [Fact]
    public void A_machine_that_becomes_busy_moves_the_choice_within_a_bounded_number_of_launches()
    {
        var decision = new SplitDecision();
        Drive(decision, 1000, split => split ? 10 : 20);
        Assert.True(decision.Choice);
        // The second core is taken by someone else: splitting now costs more than running alone.
        var ways = Drive(decision, 2 * SplitDecision.Window * SplitDecision.ExploreEvery, split => split ? 30 : 20);
        Assert.False(decision.Choice);
        Assert.False(ways[^1]);
        // And back, once the core is free again.
        Drive(decision, 2 * SplitDecision.Window * SplitDecision.ExploreEvery, split => split ? 10 : 20);
        Assert.True(decision.Choice);
    }

    [Fact]
    public void A_few_preempted_launches_do_not_move_the_choice()
    {
        var decision = new SplitDecision();
        Drive(decision, 1000, split => split ? 10 : 20);
        var k = 0;
        // Three launches in a row of the chosen way take 100× longer (the thread was descheduled).
        Drive(decision, 3, _ => 1000);
        Assert.True(decision.Choice);
        Drive(decision, 1000, split => (k++ % 7 == 0 && split) ? 1000 : split ? 10 : 20);
        Assert.True(decision.Choice);
    }

    [Fact]
    public void Millions_of_launches_keep_deciding()
    {
        var decision = new SplitDecision();
        var ways = Drive(decision, 3_000_000, split => split ? 10 : 20);
        Assert.True(decision.Choice);
        Assert.Equal(SplitDecision.ExploreEvery - 1, ways[^SplitDecision.ExploreEvery..].Count(w => w));
    }
}
