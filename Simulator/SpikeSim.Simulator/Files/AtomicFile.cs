namespace SpikeSim.Simulator.Files;

/// <summary>
/// Writes a file so that a reader sees the old content or the new, never half of it: the content goes to
/// <c>path.tmp</c> next to the target (same directory, so the same file system), which is then renamed over it.
/// A crash mid-write leaves the old file and a stray <c>.tmp</c>. Missing directories are created.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="writeTo"/> with the temporary path, then renames that file onto <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTo)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        writeTo(temporary);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) => Write(path, t => File.WriteAllText(t, text));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, t => File.WriteAllBytes(t, bytes));
}
