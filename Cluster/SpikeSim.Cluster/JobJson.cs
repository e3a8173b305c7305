using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpikeSim.Cluster;

/// <summary>The JSON that jobs' parameters, items and results travel in: enums by name, NaN and ∞ allowed, doubles round-tripped exactly.</summary>
public static class JobJson
{
    /// <summary>The options every job uses for its parameters, items and results.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
