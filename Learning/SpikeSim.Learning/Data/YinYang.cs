using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Data;

/// <summary>
/// The Yin-Yang data set (Kriener, Göltz et al. 2022, ICONS), generated as in its reference code:
/// points (x, y) uniform in [0, 2R]² inside the circle of radius R = r_big, labelled yin, yang or dot
/// (the dots have radius r_small); the class is drawn first and points are drawn until one falls in it,
/// so the classes are balanced. Inputs are (x, y, 2R − x, 2R − y) scaled by 1/(2R) into [0, 1] — with
/// r_big = 0.5 that is exactly the paper's (x, y, 1 − x, 1 − y). Train/validation/test use seeds 42/41/40.
/// The values follow the same construction as the reference, not its NumPy random stream.
/// </summary>
public static class YinYang
{
    /// <summary>The standard split sizes and seeds: 5000/1000/1000, seeds 42/41/40.</summary>
    public static (Dataset Train, Dataset Validation, Dataset Test) Standard(double rBig = 0.5, double rSmall = 0.1)
        => (Generate(5000, 42, rBig, rSmall, "yinyang-train"), Generate(1000, 41, rBig, rSmall, "yinyang-validation"),
            Generate(1000, 40, rBig, rSmall, "yinyang-test"));

    /// <summary><paramref name="count"/> samples from <paramref name="seed"/>.</summary>
    public static Dataset Generate(int count, ulong seed, double rBig = 0.5, double rSmall = 0.1, string name = "yinyang")
    {
        var rng = new Xoshiro256(seed);
        var x = new float[count * 4];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var goal = rng.NextInt(3);
            double px, py;
            do
            {
                px = rng.NextDouble() * 2 * rBig;
                py = rng.NextDouble() * 2 * rBig;
            } while (Classify(px, py, rBig, rSmall) != goal);
            var scale = 1 / (2 * rBig);
            x[i * 4] = (float)(px * scale);
            x[i * 4 + 1] = (float)(py * scale);
            x[i * 4 + 2] = (float)((2 * rBig - px) * scale);
            x[i * 4 + 3] = (float)((2 * rBig - py) * scale);
            labels[i] = goal;
        }
        return new Dataset(name, x, labels, 4, 3, FeatureKind.Analog);
    }

    /// <summary>0 yang, 1 yin, 2 dot, −1 outside the big circle (the reference's <c>get_class</c>).</summary>
    public static int Classify(double x, double y, double rBig, double rSmall)
    {
        if (Math.Sqrt((x - rBig) * (x - rBig) + (y - rBig) * (y - rBig)) > rBig) return -1;
        var right = Math.Sqrt((x - 1.5 * rBig) * (x - 1.5 * rBig) + (y - rBig) * (y - rBig));
        var left = Math.Sqrt((x - 0.5 * rBig) * (x - 0.5 * rBig) + (y - rBig) * (y - rBig));
        if (right < rSmall || left < rSmall) return 2;
        var yin = right <= rSmall || (left > rSmall && left <= 0.5 * rBig) || (y > rBig && right > 0.5 * rBig);
        return yin ? 1 : 0;
    }
}
