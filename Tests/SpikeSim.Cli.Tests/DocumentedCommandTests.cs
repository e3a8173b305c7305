using SpikeSim.Tests.Support;
using System.CommandLine;
using System.Text.RegularExpressions;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// The documentation names only commands and flags that exist: every <c>spikesim …</c> line in the README and under
/// <c>docs/</c> (code blocks and inline code) resolves to a command of the real tree, and every <c>--flag</c> it shows
/// is one of that command's options.
/// </summary>
public sealed partial class DocumentedCommandTests
{
    public static TheoryData<string> Pages() => new(PagePaths());

    private static IEnumerable<string> PagePaths() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md", SearchOption.AllDirectories).Order()
            .Select(page => Path.GetRelativePath(RepositoryRoot(), page)).Prepend("README.md");

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_documented_command_and_flag_exists(string page)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), page));
        var root = SpikeSim.Cli.Program.BuildTree().Root;
        var problems = new List<string>();
        // A command after a lone "--" (the one spikesim sweep runs) is checked as a command line of its own.
        foreach (var line in Commands(text).SelectMany(l => l.Split(" -- ").Select((part, i) => i == 0 ? part : "spikesim " + part)))
        {
            Command command = root;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            // Sub-commands come first: "meta maze", "simulate cuba|brunel" (a choice of several resolves to the first).
            while (words.Count > 0 && !words[0].StartsWith('-')
                   && command.Subcommands.FirstOrDefault(c => c.Name == words[0].Split('|', '\\')[0].Trim('`', ',')) is { } sub)
            {
                command = sub;
                words.RemoveAt(0);
            }
            if (command == root && words.Count > 0 && !words[0].StartsWith('-'))
                problems.Add($"'{line}': no command '{words[0]}'");
            foreach (var flag in words.Where(w => w.StartsWith("--")).Select(w => FlagName().Match(w).Value))
                if (flag.Length > 2 && !command.Options.Any(o => o.Name == flag || o.Aliases.Contains(flag)) && flag is not ("--help" or "--version"))
                    problems.Add($"'{line}': {command.Name} has no option {flag}");
        }
        Assert.True(problems.Count == 0, $"{page}:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_pages_show_commands_at_all()
    {
        var all = PagePaths().Select(page => File.ReadAllText(Path.Combine(RepositoryRoot(), page))).SelectMany(Commands).ToList();
        Assert.True(all.Count > 50, $"only {all.Count} documented commands found");
    }

    private static IEnumerable<string> Commands(string markdown)
    {
        foreach (Match m in InlineCommand().Matches(markdown)) yield return m.Groups[1].Value;
        foreach (Match block in CodeBlock().Matches(markdown))
            foreach (var line in block.Groups[1].Value.Split('\n'))
                if (line.Split('#')[0].Trim() is { } code && code.StartsWith("spikesim ")) yield return code;
    }

    [GeneratedRegex(@"`(spikesim [^`]+)`")]
    private static partial Regex InlineCommand();

    [GeneratedRegex(@"```(?:bash)?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"^--[a-z0-9-]+")]
    private static partial Regex FlagName();

    private static string RepositoryRoot() => Repository.Root;
}
