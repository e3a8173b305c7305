using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Nir;

/// <summary>
/// How one NIR consumer turns a LIF or LI node back into a discrete-time layer, and so how SpikeSim writes a trained
/// layer u[t] = β·u[t−1] + h[t] for it. NIR's nodes are continuous-time, dv/dt = (v_leak − v + r·I)/τ; every consumer
/// discretises them its own way, with its own dt, and some ignore fields. A dialect chooses τ, r and a scale of the
/// incoming weights so that the consumer's own arithmetic gives back β and h[t], and refuses, naming the node, what the
/// consumer's importer cannot hold. Each consumer's rules, and the files and versions they were read from, are in
/// <c>docs/nir.md</c>. Add a consumer by adding a subclass and listing it in <see cref="All"/>.
/// </summary>
public abstract class NirDialect
{
    /// <summary>The consumers SpikeSim writes for: <c>--nir-for</c> takes their names.</summary>
    public static IReadOnlyList<NirDialect> All { get; } = [new GenericNirDialect(), new SnnTorchNirDialect(), new NorseNirDialect()];

    /// <summary>Everything NIR readers agree on: r = τ/dt with the model's own dt, stated in the metadata.</summary>
    public static NirDialect Generic => All[0];

    /// <summary>The dialect called <paramref name="name"/>.</summary>
    public static NirDialect Named(string name)
        => All.FirstOrDefault(d => d.Name == name)
           ?? throw new InvalidParameterException($"Unknown NIR consumer '{name}'; choose {string.Join(", ", All.Select(d => d.Name))}.");

    /// <summary>The name <c>--nir-for</c> takes and the metadata key <c>nir_for</c> holds.</summary>
    public abstract string Name { get; }

    /// <summary>The step, in seconds, the consumer integrates with (and the file's metadata <c>dt</c>).</summary>
    public abstract double DtSeconds(SnnModelSpec spec);

    /// <summary>How a LIF or LI node's fields give the discrete step, for the file's metadata.</summary>
    public abstract string Discretisation { get; }

    /// <summary>Refuses, naming the node, what this consumer's importer cannot hold (the generic checks come first).</summary>
    public virtual void Check(SnnModelSpec spec)
    {
        if (spec.Cell == HiddenCell.Alif)
            throw new SpikeSimException("NIR has no adaptive-threshold neuron: node 'alif_0' (ALIF) cannot be written; use --format spikesim.");
    }

    /// <summary>
    /// The τ and r of a node whose discrete decay is <paramref name="beta"/>, and the factor by which the weights and bias
    /// that feed it are multiplied so that the consumer's input term equals SpikeSim's h[t].
    /// </summary>
    public abstract LeakyFields Leaky(double beta, SnnModelSpec spec);

    /// <summary>
    /// How this consumer reads a LIF or LI node back into SpikeSim's step u[t] = β·u[t−1] + h[t]: β, and the factor by which
    /// the weights and bias feeding the node are multiplied to give h. <paramref name="metadataDt"/> is the file's dt in
    /// seconds, if it states one. The node's τ and r are positive and finite (checked before).
    /// </summary>
    public abstract (double Beta, double InputScale) Read(float tau, float r, double? metadataDt, string node);

    /// <summary>
    /// How this consumer reads a CubaLIF node back into i[t] = α·i[t−1] + h[t], u[t] = β·u[t−1] + c·i[t]: α, β, the factor
    /// by which the weights and bias feeding the node are multiplied to give h, and the current's gain c into the membrane.
    /// The default is NIR's equations by forward Euler at the metadata's dt (or snnTorch's r = τ_mem/dt where none is given):
    /// i ← i + (dt/τ_syn)·(w_in·x − i), v ← v + (dt/τ_mem)·(r·i − v).
    /// </summary>
    public virtual (double Alpha, double Beta, double InputScale, double Gain) ReadCuba(float tauSyn, float tauMem, float r, float wIn, double? metadataDt, string node)
    {
        var step = metadataDt ?? (r > 1 ? tauMem / (double)r
            : throw new SpikeSimException($"Node '{node}': the graph states no dt, and r = {r:R} is not tau_mem/dt (snnTorch's convention), so its decay is unknown; " +
                                          "name the framework that wrote it with --nir-from."));
        if (!(step < tauSyn) || !(step < tauMem)) throw new SpikeSimException($"Node '{node}': dt = {step:R} s is not below tau_syn and tau_mem, so forward Euler does not decay.");
        var (ks, km) = (step / tauSyn, step / tauMem);
        static double One(double x) => Math.Abs(x - 1) <= 1e-5 ? 1 : x;
        return (1 - ks, 1 - km, One(wIn * ks), One(r * km));
    }

    /// <summary>
    /// How this consumer reads an IF node (dv/dt = r·I, no leak) back into u[t] = β·u[t−1] + h[t]: β (1 for a true
    /// integrator), the factor the weights feeding it are multiplied by, and the factor its threshold is multiplied by.
    /// The default is NIR's reading of a spike of weight w as a jump of r·w: β = 1, weights × r.
    /// </summary>
    public virtual (double Beta, double InputScale, double ThresholdScale) ReadIf(float r, string node) => (1, r, 1);

    /// <summary>
    /// How this consumer reads an I node (dv/dt = r·I, no leak, no spikes): β = 1 and the factor the weights feeding it
    /// are multiplied by — as an IF node without its threshold by default. A consumer without I nodes refuses it.
    /// </summary>
    public virtual (double Beta, double InputScale) ReadI(float r, string node) => (1, ReadIf(r, node).InputScale);

    /// <summary>
    /// Whether this consumer reads v_leak: as forward Euler does, a constant (dt/τ)·v_leak added to v each step. A consumer
    /// that does not refuses a non-zero v_leak (snnTorch asserts it is 0).
    /// </summary>
    public virtual bool ReadsLeak => true;

    /// <summary>Refuses, naming the node, a pooling of <paramref name="kind"/> that this consumer's importer does not build as SpikeSim computes it.</summary>
    public virtual void CheckPooling(PoolKind kind, string node)
    {
    }

    /// <summary>
    /// Refuses a Threshold node (z = H(x − θ), no state) where this consumer has no reading of it; SpikeSim reads it with
    /// NIR's definition (the generic reading).
    /// </summary>
    public virtual void ReadThreshold(string node)
    {
    }

    /// <summary>Refuses a CubaLI node where this consumer has no reading of it; SpikeSim reads it as a CubaLIF that never spikes.</summary>
    public virtual void ReadCubaLi(string node)
    {
    }

    /// <summary>Refuses a Delay node where this consumer has no reading of it; SpikeSim reads it as whole steps of the file's dt.</summary>
    public virtual void ReadDelay(string node)
    {
    }

    /// <summary>Whether a CubaLIF's synaptic current also relaxes to v_leak (Norse's CubaLIF module uses one LI box for both).</summary>
    public virtual bool LeaksSynapse => false;

    /// <summary>Whether every state starts at v_leak rather than 0 (Norse's box cells' initial state is v_leak).</summary>
    public virtual bool StartsAtLeak => false;

    /// <summary>The reset this consumer gives every spiking layer whatever the file says (null: the file's, or NIR's own).</summary>
    public virtual ResetMode? ImportedReset => null;

    /// <summary>
    /// The float32 τ nearest to <paramref name="tau"/> for which the consumer's float32 arithmetic
    /// <paramref name="consumer"/> gives exactly <paramref name="wanted"/> (the nearest τ where no neighbour within 64 ulps does).
    /// </summary>
    protected static float TuneTau(double tau, float wanted, Func<float, float> consumer)
    {
        var start = (float)tau;
        for (var k = 0; k <= 64; k++)
            foreach (var candidate in new[] { Step(start, k), Step(start, -k) })
                if (consumer(candidate) == wanted) return candidate;
        return start;

        static float Step(float x, int ulps) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) + ulps);
    }

    /// <summary>The layer names <see cref="TrainedNir"/> gives: <c>lif_k</c> for hidden layers, <c>readout</c> for the last.</summary>
    protected static string LayerName(SnnModelSpec spec, int layer) => layer == spec.Hidden.Length ? "readout" : $"lif_{layer}";

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The τ and r of one LIF or LI node, and the factor its incoming weights and bias are multiplied by.</summary>
public readonly record struct LeakyFields(float Tau, float R, double InputScale);

/// <summary>
/// SpikeSim's own convention, which any reader of the specification can follow: forward Euler with the model's dt (in the
/// metadata) and r = τ/dt, so v[t] = (1 − dt/τ)·v[t−1] + (dt/τ)·r·I[t] = β·v[t−1] + I[t] for τ = dt/(1 − β). The reset
/// timing and the spike test are in the metadata, since NIR has no field for them.
/// </summary>
public sealed class GenericNirDialect : NirDialect
{
    /// <inheritdoc />
    public override string Name => "generic";

    /// <inheritdoc />
    public override double DtSeconds(SnnModelSpec spec) => spec.DtMs / 1000;

    /// <inheritdoc />
    public override string Discretisation => "forward Euler with r = tau/dt (snnTorch's convention): v[t] = (1 - dt/tau)*v[t-1] + (dt/tau)*r*I[t] = beta*v[t-1] + I[t]";

    /// <inheritdoc />
    public override LeakyFields Leaky(double beta, SnnModelSpec spec)
        => new((float)(DtSeconds(spec) / (1 - beta)), (float)(1 / (1 - beta)), 1);

    /// <summary>
    /// Forward Euler at the metadata's dt — β = 1 − dt/τ, inputs scaled by r·dt/τ — or, where the file states no dt, in
    /// snnTorch's convention r = τ/dt. Where r·dt/τ is 1 to within 1e-5 (snnTorch's own tolerance) β is taken as 1 − 1/r
    /// and the weights are left as they are, which gives SpikeSim's own files back bit for bit.
    /// </summary>
    public override (double Beta, double InputScale) Read(float tau, float r, double? metadataDt, string node)
    {
        var step = metadataDt ?? (r > 1 ? tau / (double)r
            : throw new SpikeSimException($"Node '{node}': the graph states no dt, and r = {r:R} is not tau/dt (snnTorch's convention), so its decay is unknown; " +
                                          "name the framework that wrote it with --nir-from (norse reads r = 1 files with dt = 1 ms)."));
        if (!(step < tau)) throw new SpikeSimException($"Node '{node}': dt = {step:R} s is not below tau = {tau:R} s, so forward Euler does not decay.");
        var scale = r * step / tau;
        return Math.Abs(scale - 1) <= 1e-5 ? (1 - 1 / (double)r, 1) : (1 - step / tau, scale);
    }
}

/// <summary>
/// A dialect for a peer's own NIR importer: what that importer builds is what SpikeSim reproduces, so the nodes it does
/// not build (I) are refused, those whose peer form SpikeSim does not model (Threshold, CubaLI, Delay) are read with NIR's
/// definition only, and every spiking node resets to zero at once, as both importers build it.
/// </summary>
public abstract class PeerNirDialect : NirDialect
{
    /// <summary>The peer's name in messages ("snnTorch").</summary>
    protected abstract string Peer { get; }

    /// <summary>The peer's import function ("import_from_nir").</summary>
    protected abstract string Importer { get; }

    /// <inheritdoc />
    public override ResetMode? ImportedReset => ResetMode.ZeroAtNextStep;

    /// <summary>SpikeSim reads Threshold nodes with NIR's definition only.</summary>
    public override void ReadThreshold(string node) => throw NirDefinitionOnly(node, "Threshold");

    /// <summary>SpikeSim reads CubaLI nodes with NIR's definition only.</summary>
    public override void ReadCubaLi(string node) => throw NirDefinitionOnly(node, "CubaLI");

    /// <summary>SpikeSim reads Delay nodes with NIR's definition only.</summary>
    public override void ReadDelay(string node) => throw NirDefinitionOnly(node, "Delay");

    /// <summary>The peer's importer has no I node.</summary>
    public override (double Beta, double InputScale) ReadI(float r, string node)
        => throw new SpikeSimException($"Node '{node}' is I, which {Peer}'s {Importer} does not build; read the file with --nir-from generic.");

    private SpikeSimException NirDefinitionOnly(string node, string kind)
        => new($"Node '{node}' is {kind}; SpikeSim reads it with NIR's definition only (--nir-from generic), not as {Peer} would build it.");
}

/// <summary>
/// snnTorch's <c>import_from_nir</c> (snntorch/import_nir.py at commit 634fc22, May 2026): dt fixed at 1e-4 s,
/// β = 1 − dt/τ in float32, threshold divided by r·dt/τ unless that is 1, every <c>Leaky</c> and <c>RLeaky</c> reset to
/// zero at once (<c>reset_mechanism="zero"</c>, <c>reset_delay=False</c>), a LIF–Linear cycle read as an <c>RLeaky</c>
/// whose recurrent term is W_rec·s[t−1]; no LI node. SpikeSim writes τ so that snnTorch's float32 β is SpikeSim's β
/// bit for bit and r = τ/dt, and refuses a leaky-integrator readout and a subtractive reset.
/// </summary>
public sealed class SnnTorchNirDialect : PeerNirDialect
{
    /// <inheritdoc />
    protected override string Peer => "snnTorch";

    /// <inheritdoc />
    protected override string Importer => "import_from_nir";

    /// <summary>The step snnTorch's importer assumes, in seconds.</summary>
    public const double Dt = 1e-4;

    /// <inheritdoc />
    public override string Name => "snntorch";

    /// <inheritdoc />
    public override double DtSeconds(SnnModelSpec spec) => Dt;

    /// <inheritdoc />
    public override string Discretisation => "snnTorch's import_from_nir: dt = 1e-4 s, beta = 1 - dt/tau (float32), r = tau/dt so weights and thresholds are unscaled";

    /// <inheritdoc />
    public override void Check(SnnModelSpec spec)
    {
        base.Check(spec);
        if (spec.Readout == ReadoutKind.LeakyIntegrator)
            throw new SpikeSimException("snnTorch's import_from_nir has no LI node: node 'readout' (LI) cannot be read by it; train with a spiking readout (--loss ce-count or mse-rate), or use --nir-for norse or generic.");
        if (spec.Reset != ResetMode.ZeroAtNextStep)
            throw new SpikeSimException($"snnTorch's import_from_nir resets every Leaky to zero at once: node '{LayerName(spec, 0)}' resets by subtraction at the next step; train with --reset to-zero, or use --nir-for generic.");
    }

    /// <inheritdoc />
    public override LeakyFields Leaky(double beta, SnnModelSpec spec)
    {
        var tau = TuneTau(Dt / (1 - beta), (float)beta, ImportedBeta);
        return new LeakyFields(tau, tau / (float)Dt, 1);
    }

    /// <summary>
    /// As snnTorch's importer: dt = 1e-4 s whatever the file says, β = 1 − dt/τ in float32, the threshold divided by
    /// r·dt/τ unless that is 1 (here the weights are multiplied by it instead, which gives the same spikes).
    /// </summary>
    public override (double Beta, double InputScale) Read(float tau, float r, double? metadataDt, string node)
    {
        if (!((float)Dt < tau)) throw new SpikeSimException($"Node '{node}': snnTorch's dt of 1e-4 s is not below tau = {tau:R} s.");
        var scale = r * (float)Dt / tau;
        return (ImportedBeta(tau), Math.Abs(scale - 1) <= 1e-8 + 1e-5 ? 1 : scale);
    }

    /// <summary>
    /// Refused: snnTorch's importer builds an IF node as a <c>Leaky</c> with β = 0.9 and <c>init_hidden=False</c>, whose
    /// (spikes, membrane) pair its own graph then passes to the next layer, which fails (a TypeError at 634fc22); there
    /// is no snnTorch behaviour to reproduce.
    /// </summary>
    public override (double Beta, double InputScale, double ThresholdScale) ReadIf(float r, string node)
        => throw new SpikeSimException($"Node '{node}' is IF, which snnTorch's import_from_nir builds but cannot run (its Leaky returns a tuple the next layer rejects); read the file with --nir-from generic or norse.");

    /// <summary>snnTorch's import_from_nir builds AvgPool2d as nn.AvgPool2d; it has no SumPool2d.</summary>
    public override void CheckPooling(PoolKind kind, string node)
    {
        if (kind != PoolKind.Average)
            throw new SpikeSimException($"snnTorch's import_from_nir builds AvgPool2d but no SumPool2d: node '{node}' cannot be read by it; train with --pool average, or use --nir-for generic.");
    }

    /// <summary>
    /// As snnTorch's importer builds <c>Synaptic</c>: α = 1 − dt/τ_syn and β = 1 − dt/τ_mem in float32 with dt = 1e-4 s;
    /// it asserts r = τ_mem/dt, and divides the threshold by w_in·dt/τ_syn unless that is 1 (here the weights are
    /// multiplied instead: the same spikes); the current enters the membrane unscaled.
    /// </summary>
    public override (double Alpha, double Beta, double InputScale, double Gain) ReadCuba(float tauSyn, float tauMem, float r, float wIn, double? metadataDt, string node)
    {
        if (!((float)Dt < tauSyn) || !((float)Dt < tauMem)) throw new SpikeSimException($"Node '{node}': snnTorch's dt of 1e-4 s is not below tau_syn and tau_mem.");
        if (Math.Abs(r - tauMem / (float)Dt) > 1e-8 + 1e-5 * Math.Abs(tauMem / (float)Dt))
            throw new SpikeSimException($"Node '{node}': snnTorch's import_from_nir asserts r = tau_mem/dt (\"r not supported in CubaLIF\"); r is {r:R}.");
        var scale = wIn * ((float)Dt / tauSyn);
        return (ImportedBeta(tauSyn), ImportedBeta(tauMem), Math.Abs(scale - 1) <= 1e-8 + 1e-5 ? 1 : scale, 1);
    }

    /// <inheritdoc />
    public override bool ReadsLeak => false;

    /// <summary>snnTorch's β from a node's τ: <c>1 - (dt / node.tau)</c> in float32 (numpy keeps the array's dtype).</summary>
    public static float ImportedBeta(float tau) => 1f - (float)Dt / tau;
}

/// <summary>
/// Norse's <c>from_nir</c> (norse/torch/utils/import_nir.py at commit 065a3b45, February 2026): LIF and LI become
/// <c>LIFBoxCell</c> and <c>LIBoxCell</c>, v ← v + dt·(1/τ)·(v_leak − v + x) with dt = 1e-3 s unless the caller passes
/// another, r is ignored (a warning where it is not 1), a spike resets v to 0 at once (v_reset is not read); no recurrent
/// cells. SpikeSim writes r = 1, τ such that Norse's float32 dt/τ is the nearest float to 1 − β, and multiplies the
/// weights and bias that feed a node by 1/(dt/τ), so Norse's v equals SpikeSim's u; it refuses recurrent layers and a
/// subtractive reset.
/// </summary>
public sealed class NorseNirDialect : PeerNirDialect
{
    /// <inheritdoc />
    protected override string Peer => "Norse";

    /// <inheritdoc />
    protected override string Importer => "from_nir";

    /// <summary>The step <c>from_nir</c> integrates with by default, in seconds.</summary>
    public const double Dt = 1e-3;

    /// <inheritdoc />
    public override string Name => "norse";

    /// <inheritdoc />
    public override double DtSeconds(SnnModelSpec spec) => Dt;

    /// <inheritdoc />
    public override string Discretisation => "Norse's from_nir with its default dt = 1e-3 s: v += dt*(1/tau)*(v_leak - v + x), r = 1 (Norse ignores r), the weights and bias into each node divided by dt/tau";

    /// <inheritdoc />
    public override void Check(SnnModelSpec spec)
    {
        base.Check(spec);
        if (spec.Recurrent)
            throw new SpikeSimException("Norse's from_nir has no recurrent cells (its recurrent mapping is commented out): node 'recurrent_0' cannot be read by it; use --nir-for snntorch or generic.");
        if (spec.Reset != ResetMode.ZeroAtNextStep)
            throw new SpikeSimException($"Norse's from_nir resets a LIF to v_reset at once: node '{LayerName(spec, 0)}' resets by subtraction at the next step; train with --reset to-zero, or use --nir-for generic.");
    }

    /// <inheritdoc />
    public override LeakyFields Leaky(double beta, SnnModelSpec spec)
    {
        var wanted = (float)(1 - beta);
        var tau = TuneTau(Dt / (1 - beta), wanted, StepFactor);
        return new LeakyFields(tau, 1f, 1 / (double)StepFactor(tau));
    }

    /// <summary>As Norse's <c>from_nir</c> with its default dt: v ← v + dt·(1/τ)·(x − v), r not read, reset to 0 at once.</summary>
    public override (double Beta, double InputScale) Read(float tau, float r, double? metadataDt, string node)
    {
        var factor = StepFactor(tau);
        if (!(factor < 1)) throw new SpikeSimException($"Node '{node}': Norse's dt of 1 ms is not below tau = {tau:R} s.");
        return (1 - (double)factor, factor);
    }

    /// <summary>As Norse's <c>IAFCell</c>: v ← v + x, r not read (a warning where it is not 1).</summary>
    public override (double Beta, double InputScale, double ThresholdScale) ReadIf(float r, string node) => (1, 1, 1);

    /// <summary>Norse's from_nir builds SumPool2d as LPPool2d with norm 1, a sum of absolute values, and has no AvgPool2d.</summary>
    public override void CheckPooling(PoolKind kind, string node)
        => throw new SpikeSimException($"Norse's from_nir builds SumPool2d as LPPool2d(1), a sum of absolute values (SpikeSim's sum keeps signs), and no AvgPool2d: node '{node}' cannot be read by it as trained; use --nir-for generic.");

    /// <summary>
    /// As Norse's <c>CubaLIF</c> module: x ← w_in·x into an LI box synapse, i ← i + dt·(1/τ_syn)·(x − i), then
    /// v ← v + dt·(1/τ_mem)·(r·i − v) with the new i; dt = 1 ms, reset to 0 at once.
    /// </summary>
    public override (double Alpha, double Beta, double InputScale, double Gain) ReadCuba(float tauSyn, float tauMem, float r, float wIn, double? metadataDt, string node)
    {
        var (ks, km) = (StepFactor(tauSyn), StepFactor(tauMem));
        if (!(ks < 1) || !(km < 1)) throw new SpikeSimException($"Node '{node}': Norse's dt of 1 ms is not below tau_syn and tau_mem.");
        return (1 - (double)ks, 1 - (double)km, (double)wIn * ks, (double)r * km);
    }

    /// <inheritdoc />
    public override bool LeaksSynapse => true;

    /// <inheritdoc />
    public override bool StartsAtLeak => true;

    /// <summary>Norse's factor dt·(1/τ) in float32: <c>dt * p.tau_mem_inv</c> with <c>tau_mem_inv = 1 / tau</c>.</summary>
    public static float StepFactor(float tau) => (float)Dt * (1f / tau);
}
