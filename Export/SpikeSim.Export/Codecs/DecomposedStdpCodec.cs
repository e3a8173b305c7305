using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Plasticity;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// <see cref="DecomposedStdp"/> as a <c>DecomposedRule</c> message in its ELIGIBILITY form: the coefficient vectors, the
/// modulation readout, the update interval, τ_c, η, the weight bounds and the traces' τ (format 1.9). post and pre name
/// what the rule reads: the traces of the projection's target and source populations. A DIRECT rule (the rate agents')
/// or one without the traces' τ (written before 1.9) is refused by name: the engines have no form of it.
/// </summary>
public sealed class DecomposedStdpCodec : RuleCodec<DecomposedStdp>
{
    /// <inheritdoc />
    protected override ProtoPlasticity.RuleOneofCase Kind => ProtoPlasticity.RuleOneofCase.Decomposed;

    /// <inheritdoc />
    protected override ProtoPlasticity Write(DecomposedStdp r, RuleWriting context) => new() { Decomposed = Message(r, "trace of the target population", "trace of the source population") };

    /// <summary>The message of <paramref name="r"/>, with <paramref name="post"/> and <paramref name="pre"/> naming what it reads.</summary>
    public static Proto.DecomposedRule Message(DecomposedStdp r, string post, string pre)
    {
        var v = r.Coefficients;
        return new Proto.DecomposedRule
        {
            APost = Vector(v.APost), APre = Vector(v.APre), BPost = Vector(v.BPost), BPre = Vector(v.BPre),
            CPost = Vector(v.CPost), CPre = Vector(v.CPre), DPost = Vector(v.DPost), DPre = Vector(v.DPre),
            ModulationWeight = Vector(v.ModulationWeight), ModulationBias = v.ModulationBias,
            Form = Proto.DecomposedForm.Eligibility, UpdateIntervalMs = r.UpdateIntervalMs, EligibilityTauMs = r.TauCMs, LearningRate = r.LearningRate,
            WMin = r.WMin, WMax = r.WMax, PreTraceTauMs = r.PreTauMs, PostTraceTauMs = r.PostTauMs, Post = post, Pre = pre,
        };

        static Proto.Tensor Vector(float[] values) => Tensors.F32(values, values.Length);
    }

    /// <inheritdoc />
    protected override DecomposedStdp ReadRule(ProtoPlasticity plasticity, RuleReading context)
    {
        var r = plasticity.Decomposed;
        var where = $"Projection '{context.Projection}'";
        if (r.Form != Proto.DecomposedForm.Eligibility)
            throw new SpikeSimException($"{where} learns by a decomposed rule in the {r.Form} form (the rate agents'), which the simulation engines do not run; they run the ELIGIBILITY form.");
        if (r.PreTraceTauMs == 0 || r.PostTraceTauMs == 0)
            throw new SpikeSimException($"{where} learns by a decomposed rule without its traces' time constants (a file before format 1.9): the engines cannot run it.");
        var values = Coefficients(r, context.Projection, r.APost?.Shape.Count > 0 ? (int)r.APost.Shape[0] : 0, r.APre?.Shape.Count > 0 ? (int)r.APre.Shape[0] : 0);
        var rule = new DecomposedStdp(values, r.UpdateIntervalMs, r.EligibilityTauMs, r.LearningRate, r.WMin, r.WMax, r.PreTraceTauMs, r.PostTraceTauMs);
        try
        {
            rule.Validate();
        }
        catch (InvalidParameterException e)
        {
            throw new SpikeSimException($"{where}: {e.Message}");
        }
        return rule;
    }

    /// <summary>The coefficient vectors of <paramref name="r"/>, <paramref name="post"/> and <paramref name="pre"/> long; refuses a missing or misshapen one, naming <paramref name="where"/>.</summary>
    public static DecomposedRuleValues Coefficients(Proto.DecomposedRule r, string where, int post, int pre)
    {
        float[] Post(Proto.Tensor? t, string name) => Tensors.Floats(t, $"{where} {name}", post);
        float[] Pre(Proto.Tensor? t, string name) => Tensors.Floats(t, $"{where} {name}", pre);
        return new DecomposedRuleValues(Post(r.APost, "a_post"), Pre(r.APre, "a_pre"), Post(r.BPost, "b_post"), Pre(r.BPre, "b_pre"),
            Post(r.CPost, "c_post"), Pre(r.CPre, "c_pre"), Post(r.DPost, "d_post"), Pre(r.DPre, "d_pre"), Post(r.ModulationWeight, "modulation_weight"), r.ModulationBias);
    }
}
