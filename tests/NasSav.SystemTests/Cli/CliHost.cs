using System.Globalization;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

/// <summary>
/// One standalone host and one demo site (real processes, <see cref="StandaloneDemo"/>) for every CLI test: segments
/// are served slowly and fetched one at a time, so a download lasts a few seconds and can be interrupted; the
/// media-server export is on (downloaded titles, into <see cref="ExportFolder"/>).
/// </summary>
public sealed class CliHost : IAsyncLifetime
{
    public const int SegmentDelayMs = 500;
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };
    public StandaloneDemo Demo { get; private set; } = null!;
    /// <summary>The CLI's working folder (its -o outputs) and the export's parent: the same file system as the data folder.</summary>
    public string Work { get; private set; } = "";
    public string ExportFolder => Path.Combine(Work, "export");
    public string SiteUrl => Demo.Site.BaseUri.ToString().TrimEnd('/');
    public IReadOnlyDictionary<string, string?> Env => new Dictionary<string, string?> { ["NASSAV_URL"] = Demo.Standalone.BaseUri.ToString() };

    public async Task InitializeAsync()
    {
        Work = Directory.CreateTempSubdirectory("nassav-cli-").FullName;
        Demo = await StandaloneDemo.StartAsync(Http, "cli",
            new Dictionary<string, string?> { ["Demo:SegmentDelayMs"] = SegmentDelayMs.ToString(CultureInfo.InvariantCulture) },
            new Dictionary<string, string?>
            {
                ["Downloader:Engine:Parallelism"] = "1",
                ["Downloader:ProgressIntervalSeconds"] = "0.3",
                ["Maintenance:Export:Enabled"] = "true",
                ["Maintenance:Export:Folder"] = ExportFolder,
                ["Maintenance:Export:Cron"] = "off",
            });
    }

    public async Task DisposeAsync()
    {
        await Demo.DisposeAsync();
        Http.Dispose();
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }

    public Task<CliResult> RunAsync(params string[] args) => CliProcess.RunAsync(Work, Env, Patience, args);

    public CliProcess Start(params string[] args) => CliProcess.Start(Work, Env, null, args);

    public string VideoPath(string avid) => Path.Combine(Demo.DataRoot, "resource", "video", avid + ".mp4");

    public async Task<JsonElement?> MetadataAsync(string avid)
    {
        using var response = await Http.GetAsync(Demo.Api($"resource/metadata?avid={avid}"));
        if (!response.IsSuccessStatusCode) return null;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }

    /// <summary>The test body; a failure carries the host's and the site's last log lines.</summary>
    public Task CheckAsync(Func<Task> body) =>
        SystemTestFailure.WithLogsAsync(body, () => Demo.Standalone.Tail(80) + "\n" + Demo.Site.Tail(20));
}
