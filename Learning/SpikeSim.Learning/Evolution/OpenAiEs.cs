namespace SpikeSim.Learning.Evolution;

/// <summary>
/// The simple evolution strategy of Salimans et al. (2017): antithetic pairs θ ± σ·ε, fitness shaped by centred
/// ranks in [−0.5, 0.5], and θ ← θ + α/(λσ)·Σ_k F_k·ε_k.
/// </summary>
public sealed class OpenAiEs : IEvolutionStrategy
{
    private readonly int _pairs;
    private readonly double _sigma, _rate;
    private readonly ulong _seed;
    private double[] _mean;
    private double[][] _noise = [];

    public OpenAiEs(double[] initialMean, ulong seed, int population = 80, double sigma = 0.02, double learningRate = 0.01)
    {
        if (population < 2 || population % 2 != 0) throw new ArgumentException("The population must be even (antithetic pairs).");
        (_pairs, _sigma, _rate, _seed, _mean) = (population / 2, sigma, learningRate, seed, (double[])initialMean.Clone());
    }

    public OpenAiEs(EvolutionState state, int population, double learningRate = 0.01) : this(state.Mean, state.Seed, population, state.Sigma, learningRate)
        => Generation = state.Generation;

    public EvolutionStrategyKind Kind => EvolutionStrategyKind.OpenAI;
    public int Generation { get; private set; }
    public double[] Mean => (double[])_mean.Clone();
    public EvolutionState State => new(EvolutionStrategyKind.OpenAI, Generation, _seed, Mean, _sigma, [], []);

    public double[][] Ask()
    {
        var n = _mean.Length;
        _noise = new double[_pairs][];
        var candidates = new double[2 * _pairs][];
        for (var k = 0; k < _pairs; k++)
        {
            _noise[k] = new double[n];
            Gaussian.Fill(_noise[k], _seed, Generation, k);
            candidates[2 * k] = new double[n];
            candidates[2 * k + 1] = new double[n];
            for (var i = 0; i < n; i++)
            {
                candidates[2 * k][i] = _mean[i] + _sigma * _noise[k][i];
                candidates[2 * k + 1][i] = _mean[i] - _sigma * _noise[k][i];
            }
        }
        return candidates;
    }

    public void Tell(double[][] candidates, double[] fitness)
    {
        var ranks = new double[fitness.Length];
        var order = Enumerable.Range(0, fitness.Length).OrderBy(k => fitness[k]).ThenBy(k => k).ToArray();
        for (var r = 0; r < order.Length; r++) ranks[order[r]] = (double)r / (order.Length - 1) - 0.5;
        var n = _mean.Length;
        for (var k = 0; k < _pairs; k++)
        {
            var f = ranks[2 * k] - ranks[2 * k + 1];
            for (var i = 0; i < n; i++) _mean[i] += _rate / (2 * _pairs * _sigma) * f * _noise[k][i];
        }
        Generation++;
    }
}
