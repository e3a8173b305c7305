using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpikeSim.Learning.Training;

/// <summary>
/// The name by which a choice (an enum member) appears on the command line, in checkpoints, in JSON results and in
/// model files: the member in lower kebab case (<c>MseRate</c> → <c>mse-rate</c>, <c>SpikeTimes</c> → <c>spike-times</c>).
/// One rule for every choice, so that no command keeps its own table of names; a member may set its name explicitly
/// with <see cref="JsonStringEnumMemberNameAttribute"/> (where files already spelled it otherwise).
/// </summary>
public static class OptionName
{
    /// <summary>The rule for members without an explicit name.</summary>
    internal static readonly JsonNamingPolicy Policy = JsonNamingPolicy.KebabCaseLower;

    /// <summary>The name of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum
    {
        var member = value.ToString();
        return typeof(T).GetField(member)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
               ?? Policy.ConvertName(member);
    }

    /// <summary>The names of every member of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Of).ToArray();

    /// <summary>The member named <paramref name="name"/> (case and surrounding spaces ignored).</summary>
    /// <param name="name">What the user or the file gave.</param>
    /// <param name="what">What the choice is, for the error ("loss", "encoder").</param>
    /// <exception cref="ArgumentException">No member has that name; the message lists the names.</exception>
    public static T Parse<T>(string name, string what) where T : struct, Enum
    {
        var key = name.Trim().ToLowerInvariant();
        foreach (var value in Enum.GetValues<T>())
            if (Of(value) == key) return value;
        throw new ArgumentException($"Unknown {what} '{name}'; choose {Choices<T>()}.");
    }

    /// <summary>"a, b or c": the names for a message.</summary>
    public static string Choices<T>() where T : struct, Enum => Choices(All<T>());

    /// <summary>"a, b or c": <paramref name="names"/> for a message.</summary>
    public static string Choices(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
}

/// <summary>Writes and reads a choice as its <see cref="OptionName"/> in JSON (no integers).</summary>
public sealed class OptionNameConverter<T>() : JsonStringEnumConverter<T>(OptionName.Policy, allowIntegerValues: false)
    where T : struct, Enum;
