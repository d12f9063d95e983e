using NasSav.Testing;

namespace NasSav.Scraper.Tests;

/// <summary>The scraper is stateless: media go to the store (folder or S3), nothing to a database of its own.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void The_scraper_carries_no_database_driver_and_no_lock()
    {
        var libraries = DepsFile.Libraries("NasSav.Scraper");
        Assert.Contains("NasSav.Media", libraries);
        Assert.Empty(DepsFile.Matching(libraries, "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql",
            "NasSav.Database", "NasSav.Sagas", "NasSav.Coordination"));
    }
}
