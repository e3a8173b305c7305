using SpikeSim.Export.Codecs;

namespace CustomRule;

/// <summary>
/// How <see cref="VogelsSprekelerStdp"/> is stored in a SpikeSim model file: a <c>CustomRule</c> named
/// "examples.vogels_sprekeler" with its parameters by name (eta, alpha, tau_ms, w_max; weights in the projection's units).
/// Pass <c>ModelCodecs.BuiltIn.With(new VogelsSprekelerStdpCodec())</c> to the exporter and importer.
/// </summary>
public sealed class VogelsSprekelerStdpCodec : CustomRuleCodec<VogelsSprekelerStdp>
{
    /// <inheritdoc />
    public override string Name => "examples.vogels_sprekeler";

    /// <inheritdoc />
    protected override IEnumerable<(string Name, double Value)> Parameters(VogelsSprekelerStdp r)
        => [("eta", r.Eta), ("alpha", r.Alpha), ("tau_ms", r.TauMs), ("w_max", r.WMax)];

    /// <inheritdoc />
    protected override VogelsSprekelerStdp FromParameters(Func<string, double> get) => new(get("eta"), get("alpha"), get("tau_ms"), get("w_max"));
}
