namespace SpikeSim.Tests.Support;

/// <summary>Where the repository's files are, for tests that read its documentation and schema.</summary>
public static class Repository
{
    /// <summary>The folder holding SpikeSim.sln, found above the test's own folder.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SpikeSim.sln"))) return dir.FullName;
        throw new InvalidOperationException("SpikeSim.sln not found above " + AppContext.BaseDirectory);
    }
}
