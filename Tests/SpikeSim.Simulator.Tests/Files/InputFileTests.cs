using SpikeSim.Simulator.Files;
using Xunit;

namespace SpikeSim.Tests.Files;

public sealed class InputFileTests
{
    [Fact]
    public void A_regular_file_is_read_whole_and_a_missing_one_is_named()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3, 4]);
            Assert.Equal([1, 2, 3, 4], InputFile.ReadAllBytes(path, "model file"));
            File.Delete(path);
            Assert.Contains("No model file", Assert.Throws<DamagedFileException>(() => InputFile.ReadAllBytes(path, "model file")).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_device_with_no_end_is_refused_instead_of_read_until_memory_runs_out()
    {
        var error = Assert.Throws<DamagedFileException>(() => InputFile.ReadAllBytes("/dev/zero", "model file"));
        Assert.Contains("not a regular file", error.Message);
    }
}
