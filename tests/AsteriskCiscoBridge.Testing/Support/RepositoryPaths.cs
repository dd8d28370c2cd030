namespace AsteriskCiscoBridge.Testing.Support;

/// <summary>Finds folders of the repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding AsteriskCiscoBridge.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The recorded Asterisk wire fixtures (tests/fixtures/asterisk).</summary>
    public static string AsteriskFixtures => Path.Combine(Root, "tests", "fixtures", "asterisk");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsteriskCiscoBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AsteriskCiscoBridge.sln not found above {AppContext.BaseDirectory}");
    }
}
