using Xunit;

namespace SpikeSim.Tests.Cli;

public sealed class ErrorLineTests
{
    [Fact]
    public void A_message_carrying_a_damaged_files_text_is_printed_as_one_short_line()
    {
        Assert.Equal("edge a\\nb → c\\x00", SpikeSim.Cli.Program.OneLine("edge a\nb → c\0"));
        var long_ = SpikeSim.Cli.Program.OneLine(new string('x', 10_000));
        Assert.True(long_.Length < 510 && long_.EndsWith(" …"), long_.Length.ToString());
        Assert.Equal("plain", SpikeSim.Cli.Program.OneLine("plain"));
    }
}
