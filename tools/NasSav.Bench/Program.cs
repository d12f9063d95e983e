using System.Diagnostics;
using System.Globalization;
using NasSav.Bench;
using NasSav.Bench.Hls;

// NasSav benchmarks: catalog list latency and gateway forwarding overhead / streaming throughput.
//   dotnet run -c Release --project tools/NasSav.Bench -- [--resources 5000] [--requests 2000] [--concurrency 8] [--blob-mb 512]
// The HLS engine (in process and as `nassav get`, a process) against ffmpeg:
//   dotnet run -c Release --project tools/NasSav.Bench -- hls [--latency-ms 0,50] [--parallel 8] [--streams large,many] [--cache DIR] [--work DIR] [--fetch-only]
// The remux step alone (segments already on disk): native against ffmpeg, and ffprobe:
//   dotnet run -c Release --project tools/NasSav.Bench -- hls-remux [--streams large,many] [--repeat 3]
// Prints a Markdown table; docs/benchmarks.md records the numbers of a run and the machine.
if (args.Length > 0 && args[0] == "hls-remux")
{
    await RemuxBench.RunAsync(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "hls")
{
    await HlsBench.RunAsync(args[1..]);
    return;
}

var opts = Args.Parse(args);
var root = Directory.CreateTempSubdirectory("nassav-bench-").FullName;
try
{
    Console.WriteLine($"# NasSav benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version})");
    Console.WriteLine();
    await using var catalog = await Hosts.StartCatalogAsync(Path.Combine(root, "catalog"));
    var sw = Stopwatch.StartNew();
    await Seeder.SeedAsync(catalog.Services, opts.Resources);
    Console.WriteLine($"Seeded {opts.Resources} resources (3 actors, 2 genres each) into SQLite in {sw.Elapsed.TotalSeconds:0.0} s.");
    await using var gateway = await Hosts.StartGatewayAsync(Path.Combine(root, "gateway"), Hosts.Url(catalog));
    Console.WriteLine();

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(5) };
    var direct = Hosts.Url(catalog);
    var viaGateway = Hosts.Url(gateway);
    string[] paths =
    [
        "/nassav/api/resources/?page=1&page_size=20",
        "/nassav/api/resources/?page=1&page_size=500",
        "/nassav/api/resources/?page=100&page_size=20&sort_by=avid&order=asc",
        "/nassav/api/resources/?search=作品 42&page_size=20",
        "/nassav/api/resources/?actor=7&page_size=20",
        "/nassav/api/actors/?page=1&page_size=15&order_by=count",
        "/nassav/api/resource/metadata?avid=BENCH-00042",
    ];
    Console.WriteLine($"Latency, {opts.Requests} requests per row at concurrency {opts.Concurrency} (after 100 warm-up requests):");
    Console.WriteLine();
    Console.WriteLine("| request | via | req/s | p50 ms | p95 ms | p99 ms |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|");
    foreach (var path in paths)
    {
        foreach (var (name, baseUrl) in new[] { ("direct", direct), ("gateway", viaGateway) })
        {
            var r = await Load.RunAsync(http, baseUrl + path, opts.Requests, opts.Concurrency);
            Console.WriteLine($"| `{path.Replace("|", "\\|")}` | {name} | {r.PerSecond:0} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} |");
        }
    }
    Console.WriteLine();

    var before = Process.GetCurrentProcess().WorkingSet64;
    foreach (var (name, baseUrl) in new[] { ("direct", direct), ("gateway", viaGateway) })
    {
        var (seconds, peak) = await Load.StreamAsync(http, $"{baseUrl}/blob/{opts.BlobMb}");
        Console.WriteLine($"Streaming {opts.BlobMb} MiB {name}: {opts.BlobMb / seconds:0} MiB/s, peak working set {peak / 1048576} MiB (before: {before / 1048576} MiB).");
    }
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

internal sealed record Args(int Resources, int Requests, int Concurrency, int BlobMb)
{
    public static Args Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        }
        return new Args(Get("--resources", 5000), Get("--requests", 2000), Get("--concurrency", 8), Get("--blob-mb", 512));
    }
}
