using System.Security.Cryptography;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Files;

/// <summary>A file that cannot be read as the kind asked for: missing, of another kind, damaged or malformed.</summary>
public sealed class DamagedFileException(string message, Exception? inner = null) : SpikeSimException(message, inner);

/// <summary>
/// The container of every checkpoint SpikeSim writes: an 8-byte magic naming the kind, the body, and a SHA-256 of
/// everything before it. Written atomically (<see cref="AtomicFile"/>); read back only if the magic and the
/// checksum match, so a truncated, modified or foreign file is named as such and never half-read.
/// </summary>
public static class ChecksummedFile
{
    private const int HashBytes = 32;

    /// <summary>Writes <paramref name="magic"/> (8 ASCII bytes), the body <paramref name="write"/> produces, and the checksum.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, Action<BinaryWriter> write)
    {
        if (magic.Length != 8) throw new ArgumentException("The magic is 8 bytes.", nameof(magic));
        using var stream = new MemoryStream();
        stream.Write(magic);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        AtomicFile.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>Whether the file at <paramref name="path"/> starts with <paramref name="magic"/> (no checksum test).</summary>
    public static bool StartsWith(string path, ReadOnlySpan<byte> magic) => FileMagic.Matches(path, magic);

    /// <summary>
    /// The body of the file at <paramref name="path"/> after verifying its magic and checksum; <paramref name="what"/>
    /// names the kind in messages ("training checkpoint").
    /// </summary>
    /// <exception cref="DamagedFileException">The file is missing, unreadable, of another kind, or damaged.</exception>
    public static byte[] Read(string path, ReadOnlySpan<byte> magic, string what)
    {
        var bytes = InputFile.ReadAllBytes(path, what);
        if (bytes.Length < magic.Length + HashBytes || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new DamagedFileException($"{path} is not a SpikeSim {what} (no {System.Text.Encoding.ASCII.GetString(magic)} header).");
        var content = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new DamagedFileException($"{path} is damaged: its checksum does not match (truncated or modified).");
        return content[magic.Length..].ToArray();
    }
}
