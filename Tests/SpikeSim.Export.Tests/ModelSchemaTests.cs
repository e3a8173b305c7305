using System.Text.RegularExpressions;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>The <c>.proto</c> describes itself: a <c>protoc --decode</c> user needs no C# to know what a value means.</summary>
public sealed partial class ModelSchemaTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Repository.Root, "proto", "spikesim", "v1", "model.proto"));

    /// <summary>
    /// Every real-valued or tensor field carries its unit or meaning: in its name (<c>_ms</c>, <c>_hz</c>), in a comment on
    /// its line or just above it, or by name in the comment above its message.
    /// </summary>
    [Fact]
    public void Every_physical_field_has_its_unit_or_meaning()
    {
        var missing = new List<string>();
        var (message, messageComment, above) = ("", "", new List<string>());
        foreach (var raw in Lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal)) { above.Add(line); continue; }
            if (MessageLine().Match(line) is { Success: true } m) (message, messageComment) = (m.Groups[1].Value, string.Join(' ', above));
            else if (FieldLine().Match(line) is { Success: true } f && message.Length > 0)
            {
                var name = f.Groups[1].Value;
                var known = name.EndsWith("_ms", StringComparison.Ordinal) || name.EndsWith("_hz", StringComparison.Ordinal)
                            || f.Groups[2].Value.Contains("//", StringComparison.Ordinal) || above.Count > 0
                            || Regex.IsMatch(messageComment, $@"\b{Regex.Escape(name)}\b");
                if (!known) missing.Add($"{message}.{name}");
            }
            above.Clear();
        }
        Assert.True(missing.Count == 0, "fields without a unit or meaning: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_enum_says_what_its_unspecified_value_means_and_both_subtraction_timings_are_named()
    {
        var text = string.Join('\n', Lines);
        foreach (Match e in EnumBlock().Matches(text))
            Assert.True(e.Groups[1].Value.Contains("UNSPECIFIED", StringComparison.Ordinal),
                $"enum {e.Groups[2].Value}: the comment above it does not say what UNSPECIFIED means");
        Assert.Contains("SUBTRACT_NEXT_STEP = 3;", text);
        foreach (var topic in new[] { "refractory", "delay of 0", "drawn per step", "0.04·v² + 5·v + 140", "mV" })
            Assert.Contains(topic, text);
    }

    [GeneratedRegex(@"^message (\w+)")]
    private static partial Regex MessageLine();

    [GeneratedRegex(@"^(?:repeated )?(?:double|float|Tensor) (\w+) = \d+;(.*)$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"((?://[^\n]*\n)*)enum (\w+) \{")]
    private static partial Regex EnumBlock();
}
