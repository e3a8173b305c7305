using System.Text.Json;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Output;

/// <summary>Writes results as snake_case JSON, atomically (temporary file, then rename).</summary>
public static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(string path, T value)
        => AtomicFile.WriteAllText(path, Serialize(value) + Environment.NewLine);
}
