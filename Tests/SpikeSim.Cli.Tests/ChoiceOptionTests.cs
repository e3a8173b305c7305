using System.CommandLine;
using SpikeSim.Cli.Commands;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Training;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>Options that name a choice: the fallback when absent (not the enum's first member), names read in any case, others refused.</summary>
public sealed class ChoiceOptionTests
{
    [Fact]
    public void An_absent_choice_takes_its_fallback_and_a_given_one_its_member()
    {
        var schedule = new ChoiceOption<LearningRateSchedule>("--schedule", "Schedule", LearningRateSchedule.Cosine);
        var loss = new ChoiceOption<LossKind>("--loss", "Loss");
        var root = new RootCommand { schedule.Option, loss.Option };
        var absent = root.Parse("");
        Assert.Empty(absent.Errors);
        Assert.Equal(LearningRateSchedule.Cosine, schedule.From(absent));
        Assert.Null(loss.Given(absent));
        Assert.Throws<InvalidOperationException>(() => loss.From(absent));
        var given = root.Parse("--schedule Constant --loss mse-rate");
        Assert.Empty(given.Errors);
        Assert.Equal(LearningRateSchedule.Constant, schedule.From(given));
        Assert.Equal(LossKind.MseRate, loss.Given(given));
    }

    [Fact]
    public void The_help_gives_the_names_and_the_default_as_they_are_typed()
    {
        var cell = new ChoiceOption<HiddenCell>("--cell", "Hidden neuron", HiddenCell.Alif);
        Assert.Equal("lif|alif", cell.Option.HelpName);
        Assert.Equal("Hidden neuron [default: alif]", cell.Option.Description);
        Assert.False(cell.Option.HasDefaultValue);
    }

    [Fact]
    public void An_unknown_name_is_a_parse_error_that_lists_the_names()
    {
        var schedule = new ChoiceOption<LearningRateSchedule>("--schedule", "Schedule", LearningRateSchedule.Cosine);
        var root = new RootCommand { schedule.Option };
        var error = Assert.Single(root.Parse("--schedule step").Errors);
        Assert.Equal("Unknown --schedule 'step'; choose constant or cosine.", error.Message);
    }
}
