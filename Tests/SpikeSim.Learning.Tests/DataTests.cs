using System.Buffers.Binary;
using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The data sets and encoders.</summary>
public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0.75, 0.5, 2)]   // centre of the right dot
    [InlineData(0.25, 0.5, 2)]   // centre of the left dot
    [InlineData(0.02, 0.02, -1)] // a corner, outside the circle
    [InlineData(0.5, 0.95, 1)]   // top: yin (y > R, far from the right dot)
    [InlineData(0.5, 0.05, 0)]   // bottom: yang
    public void Yin_yang_classifies_landmarks_like_the_reference(double x, double y, int expected)
        => Assert.Equal(expected, YinYang.Classify(x, y, 0.5, 0.1));

    [Fact]
    public void Yin_yang_is_balanced_seeded_and_mirrored()
    {
        var (train, validation, test) = YinYang.Standard();
        Assert.Equal((5000, 1000, 1000), (train.Count, validation.Count, test.Count));
        for (var c = 0; c < 3; c++) Assert.InRange(train.Labels.Count(l => l == c), 1500, 1830);
        for (var i = 0; i < train.Count; i++)
        {
            var s = train.Sample(i);
            Assert.Equal(1f, s[0] + s[2], 5);
            Assert.Equal(1f, s[1] + s[3], 5);
            Assert.Equal(train.Labels[i], YinYang.Classify(s[0], s[1], 0.5, 0.1));
        }
        Assert.Equal(train.X, YinYang.Generate(5000, 42).X);
        Assert.NotEqual(train.X[..40], test.X[..40]);
    }

    [Fact]
    public void Randman_gives_one_spike_time_per_unit_spanning_the_window()
    {
        var data = Randman.Generate(seed: 3, units: 20, steps: 50, classes: 3, samplesPerClass: 200);
        Assert.Equal((600, 20, 3, FeatureKind.SpikeTimes), (data.Count, data.Features, data.Classes, data.Kind));
        Assert.All(data.X, t => Assert.True(t >= 0f && t < 50f, $"spike time {t} outside [0, 50)"));
        var firstClass = Enumerable.Range(0, 200).Select(s => data.X[s * 20]).ToArray();
        Assert.True(firstClass.Min() < 0.01f && firstClass.Max() > 49.9f, "each unit is standardised over its class");
        Assert.Equal(data.X, Randman.Generate(seed: 3, units: 20, steps: 50, classes: 3, samplesPerClass: 200).X);
    }

    [Fact]
    public void A_split_is_a_seeded_partition()
    {
        var data = YinYang.Generate(100, 1);
        var (train, test) = data.Split(0.2, 9);
        Assert.Equal((80, 20), (train.Count, test.Count));
        var rows = train.X.Chunk(4).Concat(test.X.Chunk(4)).Select(r => string.Join(',', r)).OrderBy(r => r);
        Assert.Equal(data.X.Chunk(4).Select(r => string.Join(',', r)).OrderBy(r => r), rows);
        Assert.Equal(train.X, data.Split(0.2, 9).Train.X);
    }

    [Fact]
    public void Npm_digit_files_are_read_and_bad_ones_refused()
    {
        for (var d = 0; d < 10; d++)
            File.WriteAllText(Path.Combine(_dir, $"{d}.json"), "{\"data\": [" + string.Join(',', Enumerable.Repeat(d / 10.0, 784 * 2)) + "]}");
        var data = Mnist.ReadDigitJson(_dir);
        Assert.Equal((20, 784, 10), (data.Count, data.Features, data.Classes));
        Assert.Equal(7, data.Labels[15]);
        Assert.Equal(0.7f, data.Sample(15)[100], 6);

        File.WriteAllText(Path.Combine(_dir, "3.json"), "{\"data\": [0.5, 0.5]}");
        Assert.Contains("28×28", Assert.Throws<DataUnavailableException>(() => Mnist.ReadDigitJson(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, "3.json"), "{\"data\": [0.5, ");
        Assert.Contains("3.json", Assert.Throws<DataUnavailableException>(() => Mnist.ReadDigitJson(_dir)).Message);
    }

    [Fact]
    public void Idx_files_are_read_and_damaged_ones_refused()
    {
        WriteIdx("train-images-idx3-ubyte", 0x803, [3, 28, 28], Enumerable.Range(0, 3 * 784).Select(i => (byte)(i % 256)).ToArray());
        WriteIdx("train-labels-idx1-ubyte", 0x801, [3], [4, 0, 9]);
        WriteIdx("t10k-images-idx3-ubyte", 0x803, [1, 28, 28], new byte[784]);
        WriteIdx("t10k-labels-idx1-ubyte", 0x801, [1], [2]);
        var (train, test) = Mnist.ReadIdx(_dir);
        Assert.Equal([4, 0, 9], train.Labels);
        Assert.Equal(255 / 255f, train.Sample(0)[255]);
        Assert.Single(test.Labels);

        var path = Path.Combine(_dir, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..500]);
        Assert.Contains("truncated", Assert.Throws<DataUnavailableException>(() => Mnist.ReadIdx(_dir)).Message);
        WriteIdx("train-images-idx3-ubyte", 0x801, [3], [1, 2, 3]);
        Assert.Contains("magic", Assert.Throws<DataUnavailableException>(() => Mnist.ReadIdx(_dir)).Message);
        File.Delete(path);
        Assert.Contains("not found", Assert.Throws<DataUnavailableException>(() => Mnist.ReadIdx(_dir)).Message);
    }

    [Fact]
    public void Encoders_produce_their_codes()
    {
        var data = new Dataset("d", [0f, 0.5f, 1f, 0.25f], [0, 1], 2, 2, FeatureKind.Analog);
        const int steps = 2000;
        var output = new float[steps * 2 * 2];
        int[] both = [0, 1];

        new CurrentEncoder(2f).Encode(data, both, steps, output, 1);
        Assert.Equal([0f, 1f, 2f, 0.5f], output[..4]);
        Assert.Equal(output[..4], output[^4..]);

        new PoissonEncoder().Encode(data, both, steps, output, 7);
        double Rate(int b, int f) => Enumerable.Range(0, steps).Average(t => output[(t * 2 + b) * 2 + f]);
        Assert.Equal(0, Rate(0, 0));
        Assert.Equal(0.5, Rate(0, 1), 0.04);
        Assert.Equal(1, Rate(1, 0));
        Assert.Equal(0.25, Rate(1, 1), 0.04);
        var again = new float[output.Length];
        new PoissonEncoder().Encode(data, both, steps, again, 7);
        Assert.Equal(output, again);

        new LatencyEncoder().Encode(data, both, 11, output, 1);
        int FirstSpike(int b, int f) => Enumerable.Range(0, 11).FirstOrDefault(t => output[(t * 2 + b) * 2 + f] == 1f, -1);
        Assert.Equal((-1, 5, 0, 8), (FirstSpike(0, 0), FirstSpike(0, 1), FirstSpike(1, 0), FirstSpike(1, 1)));

        var times = new Dataset("t", [3.7f, float.NaN, 0f, 10f], [0, 1], 2, 2, FeatureKind.SpikeTimes);
        new SpikeTimeEncoder().Encode(times, both, 10, output, 1);
        Assert.Equal(2f, output[..40].Sum());
        Assert.Equal(1f, output[(3 * 2 + 0) * 2 + 0]);
        Assert.Equal(1f, output[(0 * 2 + 1) * 2 + 0]);
    }

    private void WriteIdx(string name, int magic, int[] dims, byte[] data)
    {
        using var stream = File.Create(Path.Combine(_dir, name));
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        stream.Write(word);
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
        }
        stream.Write(data);
    }
}
