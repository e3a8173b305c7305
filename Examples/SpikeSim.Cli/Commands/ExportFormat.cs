using System.Text.Json.Serialization;

namespace SpikeSim.Cli.Commands;

/// <summary>The file formats <c>spikesim export --format</c> writes.</summary>
internal enum ExportFormat
{
    /// <summary>SpikeSim's protobuf model file.</summary>
    [JsonStringEnumMemberName("spikesim")]
    SpikeSim,

    /// <summary>The Neuromorphic Intermediate Representation (HDF5).</summary>
    Nir,
}
