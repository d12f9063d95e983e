using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using NasSav.Downloader;
using NasSav.Downloader.Engine;

namespace NasSav.Bench.Hls;

/// <summary>
/// How soon a cancel stops a download whose segment reads hang (the downloader's one-second requirement): the
/// engine as the service registers it, against a server on 127.0.0.1 whose segments send their headers and then
/// nothing. Per round: every segment request in flight, then the cancel; measured until the download's task ends
/// and until the server has seen every hanging request closed. The tests only assert that it stops.
/// </summary>
public static class CancelBench
{
    private const int Segments = 4;

    public static async Task RunAsync(string[] args)
    {
        var rounds = 30;
        for (var i = 0; i + 1 < args.Length; i++)
            if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);

        await using var server = await HangingServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The watchdog must not end a round: only the cancel does.
            ["Downloader:Engine:StallTimeoutMs"] = "600000",
            ["Downloader:Engine:ReserveFreeMegabytes"] = "0",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddDownloader(configuration).BuildServiceProvider();
        var engine = services.GetRequiredService<IHlsDownloader>();
        var staging = Directory.CreateTempSubdirectory("nassav-bench-cancel-").FullName;
        var returned = new List<double>();
        var closed = new List<double>();
        try
        {
            for (var round = 0; round < rounds + 1; round++) // round 0 warms up (JIT, first connections)
            {
                var aborted = server.Aborted;
                using var cts = new CancellationTokenSource();
                var download = engine.DownloadAsync(new HlsDownloadRequest(new Uri(server.Url + "/playlist.m3u8"),
                    Path.Combine(staging, $"r{round}"), new Dictionary<string, string>(), null, null), null, cts.Token);
                await UntilAsync(() => server.InFlight == Segments);
                var start = Stopwatch.GetTimestamp();
                await cts.CancelAsync();
                try { await download; }
                catch (OperationCanceledException) { }
                var ended = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                await UntilAsync(() => server.Aborted - aborted == Segments && server.InFlight == 0);
                var gone = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (round == 0) continue;
                returned.Add(ended);
                closed.Add(gone);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        Console.WriteLine($"# Cancel latency ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {LoadAverage()})");
        Console.WriteLine();
        Console.WriteLine($"{rounds} rounds, {Segments} segment reads hanging in each:");
        Console.WriteLine();
        Console.WriteLine("| from the cancel until | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("the download's task ended", returned));
        Console.WriteLine(Row("the server saw every read closed", closed));
    }

    private static string Row(string name, List<double> values)
    {
        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return $"| {name} | {At(0.5):0.0} | {At(0.95):0.0} | {values[^1]:0.0} |";
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition()) await Task.Delay(1, patience.Token);
    }

    /// <summary>A playlist of <see cref="Segments"/> segments whose answers send their headers, then hang until the client gives up.</summary>
    private sealed class HangingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _inFlight;
        private int _aborted;

        private HangingServer(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";
        public int InFlight => Volatile.Read(ref _inFlight);
        public int Aborted => Volatile.Read(ref _aborted);

        public static async Task<HangingServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var server = new HangingServer(app);
            var playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + string.Concat(Enumerable.Range(0, Segments).Select(i => $"#EXTINF:2.0,\nseg{i}.ts\n")) + "#EXT-X-ENDLIST\n";
            app.MapGet("/playlist.m3u8", () => Results.Text(playlist, "application/vnd.apple.mpegurl"));
            app.MapGet("/{segment}.ts", async (HttpContext context) =>
            {
                context.Response.ContentType = "video/mp2t";
                context.Response.ContentLength = 188 * 1000;
                await context.Response.Body.FlushAsync();
                Interlocked.Increment(ref server._inFlight);
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { Interlocked.Increment(ref server._aborted); }
                finally { Interlocked.Decrement(ref server._inFlight); }
            });
            await app.StartAsync();
            server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
