namespace SpikeSim.Simulator.Files;

/// <summary>
/// Reads a file SpikeSim takes as input whole, after checking it is one: it exists, fits in one array, and holds
/// exactly the length its directory entry states, so a device such as /dev/zero or a file growing while read is
/// refused with one line instead of being read until memory runs out.
/// </summary>
public static class InputFile
{
    /// <summary>The bytes of <paramref name="path"/>; <paramref name="what"/> names the kind in messages ("model file").</summary>
    /// <exception cref="DamagedFileException">The file is missing, unreadable, too large, or not a regular file.</exception>
    public static byte[] ReadAllBytes(string path, string what)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new DamagedFileException($"No {what} at '{path}'.");
            long length = info.Length;
            if (length > Array.MaxLength)
                throw new DamagedFileException($"{path} is {length / (1024.0 * 1024 * 1024):F1} GB; a {what} is read whole, and can be at most {Array.MaxLength / (1024.0 * 1024 * 1024):F1} GB.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var bytes = new byte[length];
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
                throw new DamagedFileException($"{path} became shorter while it was read.");
            if (stream.ReadByte() != -1)
                throw new DamagedFileException($"{path} is not a regular file: it reads past its stated length of {length} bytes.");
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DamagedFileException($"Cannot read {what} {path}: {e.Message}", e);
        }
    }
}
