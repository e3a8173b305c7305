namespace SpikeSim.Export.Codecs;

/// <summary>The checks every codec registry makes: one codec per type written, one per custom name.</summary>
internal static class CodecRegistry
{
    /// <summary>Refuses two codecs of one type (<paramref name="type"/>) or one custom name (<paramref name="customName"/>).</summary>
    public static IReadOnlyList<T> Unique<T>(IEnumerable<T> codecs, Func<T, Type> type, Func<T, string?> customName)
    {
        List<T> list = [.. codecs];
        if (list.GroupBy(type).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two codecs write {twice.Key.Name}.");
        if (list.Select(customName).OfType<string>().GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } name)
            throw new ArgumentException($"Two codecs are named '{name.Key}'.");
        return list;
    }
}
