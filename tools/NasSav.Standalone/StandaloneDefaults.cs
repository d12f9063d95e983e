namespace NasSav.Standalone;

/// <summary>
/// Defaults of the one-command install, placed under every other configuration source so that
/// appsettings, config.yaml, environment variables (Data__Root=...) and the command line still win.
/// </summary>
public static class StandaloneDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:9790";

    public static void Apply(WebApplicationBuilder builder)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Data:Root"] = Environment.GetEnvironmentVariable("NASSAV_DATA") ?? "data",
            ["Database:Provider"] = "Sqlite",
            ["Bus:Transport"] = "InMemory",
            ["Storage:Kind"] = "Folder",
        };
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });

        // The NASSAV web UI's dev proxy expects port 9790; --urls or ASPNETCORE_URLS override it.
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);
    }
}
