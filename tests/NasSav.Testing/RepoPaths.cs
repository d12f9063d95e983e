namespace NasSav.Testing;

public static class RepoPaths
{
    /// <summary>The folder holding NasSav.sln (tests run from bin/...).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NasSav.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NasSav.sln not found above " + AppContext.BaseDirectory);
    }
}
