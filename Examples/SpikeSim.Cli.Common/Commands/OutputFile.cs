using System.CommandLine;
using System.CommandLine.Parsing;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// Options that name a file a command writes (<c>--json</c>, <c>--plot</c>, <c>-o</c>, …), checked when the command
/// line is parsed — before any work and before any file is touched: a file name, not a folder, in a folder that exists
/// or can be made in a writable one, and not an existing file unless <c>--force</c> is given. The files themselves are written to a temporary file beside
/// the target and renamed.
/// </summary>
public static class OutputFile
{
    /// <summary><c>--force</c>: let outputs replace existing files. One option, recursive from the root.</summary>
    public static Option<bool> Force { get; } = new("--force") { Description = "Replace output files that exist (they are refused otherwise)", Recursive = true };

    /// <summary>An optional output file option.</summary>
    public static Option<string?> Create(string name, string description, params string[] aliases)
    {
        var option = new Option<string?>(name, aliases) { Description = description, HelpName = "FILE" };
        option.Validators.Add(result => Validate(result, name));
        return option;
    }

    /// <summary>Why <paramref name="path"/> cannot be written, or null: the same checks, for options parsed elsewhere.</summary>
    public static string? Problem(string path, string option, bool force)
    {
        if (string.IsNullOrWhiteSpace(path)) return $"{option} needs a file name.";
        if (Directory.Exists(path)) return $"{option} {path} is a folder; give a file name.";
        string folder;
        try
        {
            folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "";
        }
        catch (Exception e) when (e is ArgumentException or PathTooLongException or NotSupportedException)
        {
            return $"{option} {path} is not a usable file name ({e.Message}).";
        }
        // A missing folder is made when the file is written, so the nearest folder that exists must take it.
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) return $"{option} {path}: {existing} is a file, not a folder.";
            existing = Path.GetDirectoryName(existing) ?? "";
            if (existing.Length == 0) return $"{option} {path}: no folder of it exists.";
        }
        if (File.Exists(path) && !force) return $"{option} {path} already exists; pass --force to replace it, or choose another name.";
        return Writable(existing) ? null : $"{option} {path}: the folder {existing} cannot be written.";
    }

    // Whether a file can be created in the folder: a hidden probe, deleted at once.
    private static bool Writable(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".spikesim-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Validate(OptionResult result, string name)
    {
        if (result.Tokens.Count == 0) return;
        var path = result.Tokens[^1].Value;
        var force = result.GetResult(Force) is { } given && given.GetValueOrDefault<bool>();
        if (Problem(path, name, force) is { } problem) result.AddError(problem);
    }
}
