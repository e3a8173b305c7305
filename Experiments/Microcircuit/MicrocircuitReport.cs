using System.Diagnostics;
using SpikeSim.Cli.Runs;

namespace SpikeSim.Experiments.Microcircuit;

/// <summary>
/// What a microcircuit run measured, in the issue's JSON layout: per-population rates and ISI CVs after the transient, the
/// time to build and to run, the real-time factor, bytes per synapse and the process's peak resident memory.
/// </summary>
public sealed record MicrocircuitReport(PotjansDiesmann2014.Parameters Parameters, NetworkRunResult Run, double TransientMs, double BuildSeconds, double PeakMemoryMb)
{
    /// <summary>The report of <paramref name="run"/>; the build time adds the description's to the engine's.</summary>
    public static MicrocircuitReport Of(PotjansDiesmann2014.Parameters parameters, NetworkRunResult run, double transientMs, double describeSeconds)
    {
        using var self = Process.GetCurrentProcess();
        return new MicrocircuitReport(parameters, run, transientMs, describeSeconds + run.BuildSeconds, self.PeakWorkingSet64 / 1e6);
    }

    /// <summary>Seconds of computation per second of biological time.</summary>
    public double RealTimeFactor => Run.RunSeconds / (Run.DurationMs * 1e-3);

    /// <summary>Rate (Hz) of each population after the transient, by name.</summary>
    public Dictionary<string, double> RatesHz => Run.Populations.ToDictionary(p => p.Name, p => Math.Round(p.RateHz, 4));

    /// <summary>Mean ISI CV of each population after the transient, by name.</summary>
    public Dictionary<string, double?> CvIsi => Run.Populations.ToDictionary(p => p.Name, p => double.IsNaN(p.MeanIsiCv) ? (double?)null : Math.Round(p.MeanIsiCv, 4));

    /// <summary>Prints the per-population table against NEST's reference rates and the run's figures.</summary>
    public void Print()
    {
        Console.WriteLine($"{"population",-10} {"neurons",8} {"rate Hz",9} {"NEST Hz",8} {"ratio",6} {"ISI CV",7}");
        for (var i = 0; i < Run.Populations.Count; i++)
        {
            var p = Run.Populations[i];
            var reference = PotjansDiesmann2014.ReferenceRatesHz[i];
            Console.WriteLine($"{p.Name,-10} {p.Neurons,8} {p.RateHz,9:0.000} {reference,8:0.000} {p.RateHz / reference,6:0.00} {p.MeanIsiCv,7:0.000}");
        }
        Console.WriteLine($"build {BuildSeconds:0.0} s, run {Run.RunSeconds:0.0} s, real-time factor {RealTimeFactor:0.00}, " +
                          $"{Run.BytesPerSynapse:0.00} bytes/synapse, peak memory {PeakMemoryMb:0} MB" +
                          (Parameters.Scale < 1 || Parameters.KScale < 1 ? " (NEST's rates are the full model's)" : ""));
    }

    /// <summary>The JSON object of the issue: n, synapses, duration_ms, run_s, build_s, real_time_factor, bytes_per_synapse, peak_memory_mb, rates_hz, cv_isi, device.</summary>
    public object Json(string engine, ulong seed) => new
    {
        n = Run.Neurons, synapses = Run.Synapses, duration_ms = Run.DurationMs, run_s = Run.RunSeconds, build_s = BuildSeconds,
        real_time_factor = RealTimeFactor, bytes_per_synapse = Run.BytesPerSynapse, peak_memory_mb = PeakMemoryMb,
        rates_hz = RatesHz, cv_isi = CvIsi, device = Run.Device,
        engine, seed, scale = Parameters.Scale, k_scale = Parameters.KScale, input = Parameters.Background.ToString().ToLowerInvariant(),
        transient_ms = TransientMs, spikes = Run.SpikeCount,
        nest_reference_rates_hz = PotjansDiesmann2014.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => PotjansDiesmann2014.ReferenceRatesHz[x.i]),
    };
}
