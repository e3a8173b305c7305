using System.Text.Json;
using System.Text.Json.Serialization;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Training;

/// <summary>
/// A trained network's reset in JSON (checkpoints, run ledgers, cluster jobs): written as its <see cref="OptionName"/>
/// (<c>subtract-at-next-step</c>, <c>zero-at-next-step</c>); read also under the names that checkpoints before the one
/// reset vocabulary wrote, <c>subtract</c> and <c>to_zero</c>, which meant these two (a trained network has no other
/// reset), so that an older checkpoint still resumes.
/// </summary>
public sealed class NextStepResetConverter : JsonConverter<ResetMode>
{
    public override ResetMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("A reset is a name, such as \"subtract-at-next-step\".");
        var name = reader.GetString()!;
        var key = name.Trim().ToLowerInvariant().Replace('_', '-');
        if (key == "subtract") return ResetMode.SubtractAtNextStep;
        if (key == "to-zero") return ResetMode.ZeroAtNextStep;
        try
        {
            return OptionName.Parse<ResetMode>(key, "reset");
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, ResetMode value, JsonSerializerOptions options) => writer.WriteStringValue(OptionName.Of(value));
}
