namespace SpikeSim.Export;

/// <summary>Identity and version of the SpikeSim model file (see proto/spikesim/v1/model.proto).</summary>
public static class ModelFormat
{
    /// <summary>The format name every file carries in its header.</summary>
    public const string Name = "spikesim-model";

    /// <summary>Major version: a reader refuses files of a newer major version.</summary>
    public const uint Major = 1;

    /// <summary>Minor version: newer minors only add fields, which older readers skip. 1.1 added trained classifiers and quantisation;
    /// 1.2 the form of a decomposed rule (direct or through an eligibility trace) and its constants, and evolved agents;
    /// 1.3 agents trained with a Backpropamine rule, and what that rule's Hebbian term reads;
    /// 1.4 the header's SHA-256 of the file's contents, which readers check;
    /// 1.5 names the trained layers' subtraction at the next step (SUBTRACT_NEXT_STEP) apart from the engines' immediate
    /// SUBTRACT, and readers refuse enum values and node kinds they do not know;
    /// 1.6 learning rules outside the schema (<c>CustomRule</c>), read by the rule codec registered under their name;
    /// 1.7 trained convolutional classifiers (<c>Conv2d</c> and <c>Pool2d</c> nodes), and their quantised values;
    /// 1.8 a <c>CustomRule</c>'s neuromodulator;
    /// 1.9 the traces' time constants of a decomposed rule, which simulation networks now run (<c>DecomposedStdp</c>);
    /// 1.10 the discrete-time integrator (<c>DISCRETE_TIME</c>) and the resets at the next step (<c>SUBTRACT_NEXT_STEP</c>,
    /// <c>ZERO_NEXT_STEP</c>) on LIF, ALIF and CubaLIF nodes of simulation networks, and trained cells written with them.</summary>
    public const uint Minor = 10;

    /// <summary>The first minor version whose files must carry a checksum.</summary>
    public const uint ChecksummedSince = 4;
}
