using NasSav.Testing;

namespace NasSav.Gateway.Tests;

/// <summary>The gateway forwards, authenticates and serves the feed: it has no database and no media of its own.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void The_gateway_host_carries_no_database_driver_no_S3_client_and_none_of_the_services_libraries()
    {
        var libraries = DepsFile.Libraries("NasSav.Gateway.Host");
        Assert.Contains("Yarp.ReverseProxy", libraries);
        Assert.Empty(DepsFile.Matching(libraries, "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql",
            "Minio", "AWSSDK", "NasSav.Database", "NasSav.Sagas", "NasSav.Coordination", "NasSav.Media"));
    }
}
