namespace SpikeSim.Learning.Evolution;

/// <summary>
/// A CMA-ES with a diagonal covariance (sep-CMA style), as Wang et al. (2022) use: λ candidates
/// x_k = m + σ·√C ⊙ z_k; the best μ = λ/2 recombined with weights w_i ∝ ln(μ + 1) − ln i;
/// C ← (1 − c_c)·C + c_c·Σ w_i·((x_(i) − m)/σ)² (covariance learning rate c_c, default 0.02);
/// σ by cumulative step-size adaptation, p ← (1 − c_σ)·p + √(c_σ(2 − c_σ)μ_eff)·(m' − m)/(σ√C),
/// σ ← σ·exp((c_σ/d_σ)(‖p‖/E‖N(0, I)‖ − 1)); σ and C are held within bounds.
/// </summary>
public sealed class DiagonalCmaEs : IEvolutionStrategy
{
    private readonly int _lambda, _mu;
    private readonly double[] _weights;
    private readonly double _muEff, _cSigma, _dSigma, _cCov, _chiN;
    private readonly ulong _seed;
    private double[] _mean, _variance, _path;
    private double _sigma;

    public DiagonalCmaEs(double[] initialMean, ulong seed, int population = 80, double sigma = 0.01, double covarianceRate = 0.02)
    {
        if (population < 4) throw new ArgumentException("The population needs at least 4 members.");
        (_lambda, _mu, _seed, _sigma, _cCov) = (population, population / 2, seed, sigma, covarianceRate);
        _weights = Enumerable.Range(1, _mu).Select(i => Math.Log(_mu + 1) - Math.Log(i)).ToArray();
        var sum = _weights.Sum();
        for (var i = 0; i < _mu; i++) _weights[i] /= sum;
        _muEff = 1 / _weights.Sum(w => w * w);
        var n = initialMean.Length;
        _cSigma = (_muEff + 2) / (n + _muEff + 5);
        _dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (n + 1)) - 1) + _cSigma;
        _chiN = Math.Sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
        _mean = (double[])initialMean.Clone();
        _variance = Enumerable.Repeat(1.0, n).ToArray();
        _path = new double[n];
    }

    /// <summary>Continues from a checkpointed state.</summary>
    public DiagonalCmaEs(EvolutionState state, int population, double covarianceRate = 0.02)
        : this(state.Mean, state.Seed, population, state.Sigma, covarianceRate)
    {
        (Generation, _variance, _path) = (state.Generation, (double[])state.Variance.Clone(), (double[])state.PathSigma.Clone());
    }

    public EvolutionStrategyKind Kind => EvolutionStrategyKind.Cma;
    public int Generation { get; private set; }
    public double[] Mean => (double[])_mean.Clone();
    public double Sigma => _sigma;
    public EvolutionState State => new(EvolutionStrategyKind.Cma, Generation, _seed, Mean, _sigma, (double[])_variance.Clone(), (double[])_path.Clone());

    public double[][] Ask()
    {
        var n = _mean.Length;
        var candidates = new double[_lambda][];
        var z = new double[n];
        for (var k = 0; k < _lambda; k++)
        {
            Gaussian.Fill(z, _seed, Generation, k);
            candidates[k] = new double[n];
            for (var i = 0; i < n; i++) candidates[k][i] = _mean[i] + _sigma * Math.Sqrt(_variance[i]) * z[i];
        }
        return candidates;
    }

    public void Tell(double[][] candidates, double[] fitness)
    {
        var n = _mean.Length;
        var order = Enumerable.Range(0, candidates.Length).OrderByDescending(k => fitness[k]).ThenBy(k => k).Take(_mu).ToArray();
        var mean = new double[n];
        for (var r = 0; r < _mu; r++)
            for (var i = 0; i < n; i++) mean[i] += _weights[r] * candidates[order[r]][i];
        double norm = 0;
        for (var i = 0; i < n; i++)
        {
            _path[i] = (1 - _cSigma) * _path[i] + Math.Sqrt(_cSigma * (2 - _cSigma) * _muEff) * (mean[i] - _mean[i]) / (_sigma * Math.Sqrt(_variance[i]));
            norm += _path[i] * _path[i];
            double spread = 0;
            for (var r = 0; r < _mu; r++)
            {
                var y = (candidates[order[r]][i] - _mean[i]) / _sigma;
                spread += _weights[r] * y * y;
            }
            _variance[i] = Math.Clamp((1 - _cCov) * _variance[i] + _cCov * spread, 1e-8, 1e8);
        }
        _sigma = Math.Clamp(_sigma * Math.Exp(_cSigma / _dSigma * (Math.Sqrt(norm) / _chiN - 1)), 1e-8, 10);
        _mean = mean;
        Generation++;
    }
}
