using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Experiments.FiCurve;

/// <summary>
/// The f–I curve of a leaky integrate-and-fire neuron (Gerstner et al., <i>Neuronal Dynamics</i>, 2014, §1.3):
/// neuron k of N receives a constant current I_k = k·I_max/(N − 1), and its firing rate is compared with the closed form
/// <code>
/// ν(I) = 1 / (t_ref + τ·ln((v_∞ − v_reset)/(v_∞ − θ))),   v_∞ = v_leak + R·I,   for v_∞ &gt; θ;   ν = 0 otherwise.
/// </code>
/// </summary>
public static class FiCurve
{
    /// <summary>The neuron: τ 10 ms, R 1, v_leak 0, θ 1, v_reset 0, refractory 2 ms (dimensionless potentials).</summary>
    public static readonly Lif Neuron = new(TauMs: 10, R: 1, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 2);

    /// <summary>One neuron's drive, measured rate and closed-form rate.</summary>
    public readonly record struct Point(double Current, double RateHz, double TheoryHz);

    /// <summary>N neurons, neuron k driven by k·<paramref name="maxCurrent"/>/(N − 1).</summary>
    public static (Network Network, Population Neurons, float[] Currents) Build(int n, double maxCurrent)
    {
        if (n < 2) throw new InvalidParameterException($"The f–I curve needs at least 2 neurons (got --n {n}).");
        if (!(maxCurrent > 0) || !double.IsFinite(maxCurrent)) throw new InvalidParameterException($"--max-current must be positive (got {maxCurrent}).");
        var network = new Network();
        var neurons = network.AddPopulation("neurons", n, Neuron);
        var currents = Enumerable.Range(0, n).Select(k => (float)(k * maxCurrent / (n - 1))).ToArray();
        network.Inject(new CurrentInput(neurons, currents));
        return (network, neurons, currents);
    }

    /// <summary>ν(I) of <paramref name="model"/> in Hz, the closed form above.</summary>
    public static double TheoryHz(Lif model, double current)
    {
        var vInfinity = model.VLeak + model.R * current;
        if (vInfinity <= model.VThreshold) return 0;
        var intervalMs = model.RefractoryMs + model.TauMs * Math.Log((vInfinity - model.VReset) / (vInfinity - model.VThreshold));
        return 1000 / intervalMs;
    }

    /// <summary>
    /// Runs the curve for <paramref name="durationMs"/> in <paramref name="simulation"/> (either engine) and returns every neuron's
    /// point; a neuron's rate is the inverse of its mean interspike interval (0 with fewer than two spikes), so it does not
    /// depend on where the run cuts its last interval.
    /// </summary>
    public static Point[] Run(ISimulationEngine simulation, Population neurons, float[] currents, double durationMs)
    {
        var intervals = new Intervals(neurons.Size);
        simulation.Record([new SpikeRecording(neurons)], intervals);
        simulation.Run(durationMs);
        return [.. currents.Select((current, k) => new Point(current, intervals.RateHz(k), TheoryHz(Neuron, current)))];
    }

    /// <summary>The curve in the time-step engine on <paramref name="backend"/>.</summary>
    public static Point[] Run(IComputeBackend backend, int n, double maxCurrent, double durationMs, double dtMs)
    {
        var (network, neurons, currents) = Build(n, maxCurrent);
        using var simulation = Simulation.Create(network, EngineKind.Step, dtMs, 1, backend);
        return Run(simulation, neurons, currents, durationMs);
    }

    /// <summary>Each neuron's first and last spike time and spike count.</summary>
    private sealed class Intervals(int n) : IRecordingSink
    {
        private readonly double[] _first = new double[n], _last = new double[n];
        private readonly int[] _count = new int[n];

        public double RateHz(int k) => _count[k] < 2 ? 0 : (_count[k] - 1) / ((_last[k] - _first[k]) * 1e-3);

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var i = 0; i < neurons.Length; i++)
            {
                var k = neurons[i];
                if (_count[k]++ == 0) _first[k] = timesMs[i];
                _last[k] = timesMs[i];
            }
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }
    }
}
