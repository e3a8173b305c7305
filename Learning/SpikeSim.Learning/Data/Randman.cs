using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Data;

/// <summary>
/// randman (Zenke &amp; Vogels 2021): each class is a random smooth D-dimensional manifold embedded in the
/// firing times of the input units. Unit i of class c has the smooth random function
/// fᵢ(x) = Π_d Σ_{k=1..K} a·k^(−α)·sin(2π(k·x_d·f + φ)) with a, f, φ uniform in [0, 1) per (i, d, k) and
/// K = ⌈prec^(−1/α)⌉ (prec 10⁻³); samples are points x uniform in [0, 1)^D; each unit's values are
/// min–max standardised over the class's samples and scaled to a spike time in [0, steps). One spike per unit.
/// Follows randman's construction; the random stream is SpikeSim's, not NumPy's.
/// </summary>
public static class Randman
{
    /// <summary>The settings: 100 units, 100 steps, D = 2, 10 classes, 1000 samples per class, α = 2.</summary>
    public static Dataset Generate(ulong seed, int units = 100, int steps = 100, int manifoldDim = 2, int classes = 10,
        int samplesPerClass = 1000, double alpha = 2.0, double precision = 1e-3)
    {
        var terms = (int)Math.Min(Math.Ceiling(Math.Pow(precision, -1 / alpha)), 1000);
        var rng = new Xoshiro256(seed);
        var count = classes * samplesPerClass;
        var x = new float[count * units];
        var labels = new int[count];
        var values = new double[samplesPerClass, units];
        for (var c = 0; c < classes; c++)
        {
            var (amp, freq, phase) = (Draw(rng, units, manifoldDim, terms), Draw(rng, units, manifoldDim, terms), Draw(rng, units, manifoldDim, terms));
            var points = new double[samplesPerClass, manifoldDim];
            for (var s = 0; s < samplesPerClass; s++)
            for (var d = 0; d < manifoldDim; d++) points[s, d] = rng.NextDouble();
            for (var s = 0; s < samplesPerClass; s++)
            for (var i = 0; i < units; i++)
            {
                var v = 1.0;
                for (var d = 0; d < manifoldDim; d++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < terms; k++)
                        sum += amp[i, d, k] * Math.Pow(k + 1, -alpha) * Math.Sin(2 * Math.PI * (k * points[s, d] * freq[i, d, k] + phase[i, d, k]));
                    v *= sum;
                }
                values[s, i] = v;
            }
            for (var i = 0; i < units; i++)
            {
                double min = double.MaxValue, max = double.MinValue;
                for (var s = 0; s < samplesPerClass; s++) { min = Math.Min(min, values[s, i]); max = Math.Max(max, values[s, i]); }
                for (var s = 0; s < samplesPerClass; s++)
                {
                    var row = c * samplesPerClass + s;
                    // Standardised to [0, 1) then to a time in steps; 1 − 1e-7 keeps the latest spike inside the window.
                    x[row * units + i] = (float)((values[s, i] - min) / (max - min + 1e-7) * steps * (1 - 1e-7));
                }
            }
            for (var s = 0; s < samplesPerClass; s++) labels[c * samplesPerClass + s] = c;
        }
        return new Dataset("randman", x, labels, units, classes, FeatureKind.SpikeTimes);
    }

    private static double[,,] Draw(Xoshiro256 rng, int units, int dims, int terms)
    {
        var a = new double[units, dims, terms];
        for (var i = 0; i < units; i++)
        for (var d = 0; d < dims; d++)
        for (var k = 0; k < terms; k++) a[i, d, k] = rng.NextDouble();
        return a;
    }
}
