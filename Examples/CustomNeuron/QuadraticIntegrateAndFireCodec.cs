using SpikeSim.Export.Codecs;

namespace CustomNeuron;

/// <summary>
/// How <see cref="QuadraticIntegrateAndFire"/> is stored in a SpikeSim model file: a <c>CustomNeuron</c> node named
/// "examples.qif" with its parameters by name (tau_ms, v_rest, v_crit, delta_mv, r, v_peak, v_reset; potentials in mV).
/// Pass <c>ModelCodecs.BuiltIn.With(new QuadraticIntegrateAndFireCodec())</c> to the exporter and importer.
/// </summary>
public sealed class QuadraticIntegrateAndFireCodec : CustomNeuronCodec<QuadraticIntegrateAndFire>
{
    /// <inheritdoc />
    public override string Name => "examples.qif";

    /// <inheritdoc />
    protected override IEnumerable<(string Name, double Value)> Parameters(QuadraticIntegrateAndFire m) =>
    [
        ("tau_ms", m.TauMs), ("v_rest", m.VRest), ("v_crit", m.VCrit), ("delta_mv", m.DeltaMv), ("r", m.R), ("v_peak", m.VPeak), ("v_reset", m.VReset),
    ];

    /// <inheritdoc />
    protected override QuadraticIntegrateAndFire FromParameters(Func<string, double> get)
        => new(get("tau_ms"), get("v_rest"), get("v_crit"), get("delta_mv"), get("r"), get("v_peak"), get("v_reset"));
}
