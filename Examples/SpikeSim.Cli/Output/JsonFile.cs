using System.Text.Json;

namespace SpikeSim.Cli.Output;

/// <summary>Writes results as snake_case JSON, atomically (temporary file, then rename).</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(string path, T value)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, Serialize(value) + Environment.NewLine);
        File.Move(temporary, full, overwrite: true);
    }
}
