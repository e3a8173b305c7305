using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Engines;

/// <summary>
/// Adds k·w to each neuron's input for this step, with k ~ Poisson(λ = rate·dt) drawn by inversion
/// from one counter-based uniform per (neuron, step); e^(−λ) comes from the host.
/// </summary>
internal readonly struct PoissonInputKernel(ArrayView<float> input, float lambda, float expMinusLambda, float weight, ulong seed, int step)
    : IRangeKernel
{
    /// <summary>Counts beyond this are cut off; at λ ≤ 20 their probability is below 1e-30.</summary>
    public const int MaxCount = 100;

    private readonly ArrayView<float> _input = input;
    private readonly float _lambda = lambda, _expMinusLambda = expMinusLambda, _weight = weight;
    private readonly ulong _seed = seed;
    private readonly int _step = step;

    public void Execute(int i) => _input[i] += Count(i) * _weight;

    public void ExecuteRange(int start, int end)
    {
        var input = _input.AsSpan();
        for (var i = start; i < end; i++) input[i] += Count(i) * _weight;
    }

    /// <summary>The number of events neuron <paramref name="i"/> receives in this step.</summary>
    public int Count(int i)
    {
        var u = CounterRng.Uniform(_seed, (uint)i, (uint)_step);
        var p = _expMinusLambda;
        var cumulative = p;
        var k = 0;
        while (u >= cumulative && k < MaxCount)
        {
            k++;
            p *= _lambda / k;
            cumulative += p;
        }
        return k;
    }
}
