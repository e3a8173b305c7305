using Xunit;

namespace SpikeSim.Tests;

/// <summary>
/// Tests that load every core for minutes (the file fuzzing with its per-file time limit, the device check's publish and
/// emulator run) take turns instead of slowing each other past their limits.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeMachine
{
    public const string Name = "whole machine";
}
