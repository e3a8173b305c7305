using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Data;

/// <summary>What a data set's feature values mean, which decides the encoders that fit it.</summary>
public enum FeatureKind
{
    /// <summary>Analog values in [0, 1] (pixels, coordinates): rate, latency or current encoding.</summary>
    Analog,

    /// <summary>One spike time per input unit, in steps (NaN: no spike): already spikes.</summary>
    SpikeTimes,
}

/// <summary>A labelled data set in memory: <see cref="Count"/> samples × <see cref="Features"/> values, row-major.</summary>
public sealed class Dataset
{
    /// <summary>Wraps features and labels; checks that they agree.</summary>
    public Dataset(string name, float[] features, int[] labels, int featureCount, int classes, FeatureKind kind)
    {
        if (featureCount < 1 || features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"{name}: {features.Length} values do not make {labels.Length} samples of {featureCount} features.");
        if (labels.Any(l => l < 0 || l >= classes)) throw new ArgumentException($"{name}: a label lies outside 0..{classes - 1}.");
        (Name, X, Labels, Features, Classes, Kind) = (name, features, labels, featureCount, classes, kind);
    }

    /// <summary>Name, e.g. "yinyang-train".</summary>
    public string Name { get; }

    /// <summary>Features, sample-major.</summary>
    public float[] X { get; }

    /// <summary>Class of each sample.</summary>
    public int[] Labels { get; }

    /// <summary>Values per sample.</summary>
    public int Features { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>What the values mean.</summary>
    public FeatureKind Kind { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index) => X.AsSpan(index * Features, Features);

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string name)
    {
        var x = new float[indices.Count * Features];
        var y = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Sample(indices[i]).CopyTo(x.AsSpan(i * Features));
            y[i] = Labels[indices[i]];
        }
        return new Dataset(name, x, y, Features, Classes, Kind);
    }

    /// <summary>A seeded shuffle split: the first (1 − <paramref name="testFraction"/>) for training, the rest for testing.</summary>
    public (Dataset Train, Dataset Test) Split(double testFraction, ulong seed)
    {
        var order = Permutation(Count, seed);
        var test = (int)Math.Round(Count * testFraction);
        return (Subset(order[..^test], Name + "-train"), Subset(order[^test..], Name + "-test"));
    }

    /// <summary>A Fisher–Yates permutation of 0..n−1 from <paramref name="seed"/> (the same on every machine).</summary>
    public static int[] Permutation(int n, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
