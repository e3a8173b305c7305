#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the GLIBCXX_3.4.32 version requirement of libLibTorchSharp.so weak where the system libstdc++
/// lacks that version (see TorchSharpOnOlderLibstdcxx.targets). Reads ELF64 little-endian only.
/// </summary>
public sealed class SpikeSimWeakenGlibcxxRequirement : Task
{
    private const string Version = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public string Folder { get; set; } = "";

    public override bool Execute()
    {
        var libraries = Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "libLibTorchSharp.so", SearchOption.AllDirectories)
            : Array.Empty<string>();
        if (libraries.Length == 0) return true;
        var system = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        if (system == null)
        {
            Log.LogWarning("SpikeSim: no system libstdc++.so.6 found; libLibTorchSharp.so left as it is. If TorchSharp fails to load, see docs/architecture.md (TorchSharp on Debian 12).");
            return true;
        }
        if (Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(Version))) return true;
        foreach (var library in libraries)
        {
            try
            {
                var result = Weaken(library);
                if (result != null) Log.LogMessage(MessageImportance.High, "SpikeSim: " + result);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning("SpikeSim: could not patch " + library + " (" + e.Message + "); TorchSharp will not load on this libstdc++. See docs/architecture.md (TorchSharp on Debian 12).");
            }
        }
        return true;
    }

    /// <summary>Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 entry; returns what it did, or null if it was already weak.</summary>
    private static string? Weaken(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3a), shnum = BitConverter.ToUInt16(elf, 0x3c);
        for (var i = 0; i < shnum; i++)
        {
            var sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            var offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            var link = BitConverter.ToUInt32(elf, sh + 0x28);
            var strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)(shoff + link * shentsize)) + 0x18));
            for (var need = offset; ; )
            {
                int count = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var k = 0; k < count; k++)
                {
                    var name = ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8));
                    if (name == Version)
                    {
                        var flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return null;
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                        var temporary = path + ".spikesim-tmp";
                        File.WriteAllBytes(temporary, elf);
                        // Replace the directory entry rather than write into the file: the output folder's copy may be
                        // a hard link to the NuGet cache's (CreateHardLinksForCopyLocalIfPossible), which stays as it is.
                        File.Delete(path);
                        File.Move(temporary, path);
                        return "marked the " + Version + " requirement of " + path + " weak (this libstdc++ lacks it; see docs/architecture.md)";
                    }
                    var nextAux = BitConverter.ToUInt32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                var next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return null;
    }

    private static string ReadString(byte[] data, int start)
    {
        var end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, start, end - start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
