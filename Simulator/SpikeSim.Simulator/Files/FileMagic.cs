namespace SpikeSim.Simulator.Files;

/// <summary>Recognises a file by its first bytes, without reading the rest.</summary>
public static class FileMagic
{
    /// <summary>Whether the file at <paramref name="path"/> exists and starts with <paramref name="magic"/>.</summary>
    public static bool Matches(string path, ReadOnlySpan<byte> magic)
    {
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[magic.Length];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == magic.Length && head.SequenceEqual(magic);
    }
}
