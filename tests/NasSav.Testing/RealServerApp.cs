using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Testing;

/// <summary>
/// A NasSav host (its Program, in this process) on a real Kestrel socket at 127.0.0.1 with a fresh data folder, so
/// that clients outside the test server (a browser, ClientWebSocket, ffmpeg) can reach it. Settings are applied over
/// the host's own; the folder is removed on dispose.
/// </summary>
public class RealServerApp<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    public string DataRoot { get; } = Directory.CreateTempSubdirectory("nassav-host-").FullName;

    public RealServerApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
    }

    /// <summary>http://127.0.0.1:PORT (starts the server when it is not running yet).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Data:Root", DataRoot);
        builder.UseSetting("Logging:Format", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
