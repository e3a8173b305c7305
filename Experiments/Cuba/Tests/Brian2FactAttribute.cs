using Xunit;

namespace SpikeSim.Experiments.Cuba.Tests;

/// <summary>A fact that runs Brian2 itself: skipped, with the install command, where Debian's python3-brian is missing.</summary>
public sealed class Brian2FactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() => Brian2Reference.Unavailable());

    public Brian2FactAttribute()
    {
        if (Missing.Value is { } why) Skip = why;
    }
}
