using System.Security.Cryptography;
using Google.Protobuf;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export;

/// <summary>
/// Bytes of the model file, with the header's checksum. The digest is SHA-256 over the raw bytes of every top-level field except
/// the header (field 1), in file order, so it needs no re-serialisation to check and covers fields a newer minor version added.
/// The header itself is guarded by its own checks (format name, major version); its producer and creation time are not covered.
/// </summary>
public static class ModelFileCodec
{
    private const int HeaderField = 1;

    /// <summary>A header of the current format, stamped now.</summary>
    public static Header NewHeader() => new()
    {
        Format = ModelFormat.Name, Major = ModelFormat.Major, Minor = ModelFormat.Minor, Producer = "SpikeSim", CreatedUtc = DateTime.UtcNow.ToString("O"),
    };

    /// <summary>The bytes of <paramref name="file"/> with its header's checksum set (the message is updated in place).</summary>
    public static byte[] Encode(ModelFile file)
    {
        file.Header ??= NewHeader();
        file.Header.Sha256 = ByteString.Empty;
        file.Header.Sha256 = ByteString.CopyFrom(Digest(file.ToByteArray()));
        return file.ToByteArray();
    }

    /// <summary>Parses a model file and checks its checksum; one clear error where the bytes are not a message or are damaged.
    /// A message with another format name is returned for <see cref="ModelFileChecks.Header"/> to name.</summary>
    public static ModelFile Decode(byte[] bytes)
    {
        ModelFile file;
        try
        {
            file = ModelFile.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SpikeSimException($"This is not a readable SpikeSim model file ({e.Message}).", e);
        }
        if (file.Header?.Format == ModelFormat.Name) Verify(file.Header, bytes);
        return file;
    }

    /// <summary>
    /// The model file in <paramref name="bytes"/>, or null where they are not a protobuf message with a SpikeSim header;
    /// a file that says it is one but whose contents fail the checksum is an error, not null.
    /// </summary>
    public static ModelFile? TryDecode(byte[] bytes)
    {
        ModelFile file;
        try
        {
            file = ModelFile.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        if (file.Header?.Format != ModelFormat.Name) return null;
        Verify(file.Header, bytes);
        return file;
    }

    private static void Verify(Header header, byte[] bytes)
    {
        bool required = header.Major > 1 || header.Minor >= ModelFormat.ChecksummedSince;
        if (header.Sha256.IsEmpty)
        {
            if (required) throw new SpikeSimException($"The model file (format {header.Major}.{header.Minor}) has lost its checksum; it is damaged.");
            return;
        }
        if (!header.Sha256.Span.SequenceEqual(Digest(bytes)))
            throw new SpikeSimException("The model file is damaged: its contents do not match the checksum in its header (truncated or altered after it was written).");
    }

    /// <summary>SHA-256 of every top-level field but the header, walked on the wire (tag, then the field's bytes by wire type).</summary>
    public static byte[] Digest(ReadOnlySpan<byte> bytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int position = 0;
        while (position < bytes.Length)
        {
            int start = position;
            ulong tag = Varint(bytes, ref position);
            int field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: Varint(bytes, ref position); break;
                case 1: position = Advance(bytes, position, 8); break;
                case 2:
                    ulong length = Varint(bytes, ref position);
                    position = Advance(bytes, position, length > int.MaxValue ? -1 : (long)length);
                    break;
                case 5: position = Advance(bytes, position, 4); break;
                default: throw Damaged($"wire type {tag & 7} at byte {start} is not one the model file uses");
            }
            if (field == 0) throw Damaged($"field number 0 at byte {start}");
            if (field != HeaderField) sha.AppendData(bytes[start..position]);
        }
        return sha.GetHashAndReset();
    }

    private static SpikeSimException Damaged(string why) => new($"The model file is damaged: {why}.");

    private static int Advance(ReadOnlySpan<byte> bytes, int position, long length)
    {
        if (length < 0 || position + length > bytes.Length) throw Damaged("a field runs past the end of the file");
        return position + (int)length;
    }

    private static ulong Varint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length) throw Damaged("a number runs past the end of the file");
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Damaged("a number longer than ten bytes");
    }
}
