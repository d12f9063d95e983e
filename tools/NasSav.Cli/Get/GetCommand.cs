using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Cli.Hosting;
using NasSav.Downloader;
using NasSav.Downloader.Downloads;
using NasSav.Downloader.Engine;
using NasSav.Media.Storage;

namespace NasSav.Cli.Get;

/// <summary>
/// <c>nassav get URL -o out.mp4</c>: the downloader's HLS engine run here, no host needed (what N_m3u8DL-RE or yt-dlp
/// are used for): master playlists (best variant, or the best up to <c>--max-height</c>), AES-128, parallel segments
/// with retries, the native remux with ffmpeg as fallback. Segments go to <c>{out}.parts/</c> beside the output (same
/// volume: the MP4 is renamed into place); a failed or interrupted run keeps them, and the same command resumes.
/// Exit codes (<see cref="ExitCodes"/>): 0 saved, 1 fetch failed, 2 bad usage or the output exists, 4 unsupported
/// stream, 5 no space, 6 remux failed, 130 interrupted.
/// </summary>
public sealed class GetCommand : ICliCommand
{
    public const string PartsSuffix = ".parts";

    private readonly Argument<string> _url = new("url") { Description = "Master or media playlist (http or https)." };
    private readonly Option<string> _output = new("--output", "-o") { Description = "The MP4 to write.", Required = true };
    private readonly Option<string[]> _headers = new("--header", "-H") { Description = "\"Name: value\" sent with every request (Referer, Cookie, User-Agent...); repeatable." };
    private readonly Option<int> _parallel = new("--parallel", "-p") { Description = "Segments fetched at once (1-64).", DefaultValueFactory = _ => 8 };
    private readonly Option<int?> _maxHeight = new("--max-height") { Description = "Best variant no taller than this (e.g. 720); default the highest bandwidth." };
    private readonly Option<string> _remuxer = new("--remuxer") { Description = "native (in process, ffmpeg for what it declines) or ffmpeg.", DefaultValueFactory = _ => "native" };
    private readonly Option<int> _attempts = new("--attempts") { Description = "Attempts per segment, key or playlist.", DefaultValueFactory = _ => 5 };
    private readonly Option<bool> _force = new("--force") { Description = "Overwrite an existing output." };
    private readonly Option<string?> _ffmpeg = new("--ffmpeg") { Description = "ffmpeg executable (default: ffmpeg on PATH)." };
    private readonly Option<string?> _ffprobe = new("--ffprobe") { Description = "ffprobe executable (default: ffprobe on PATH)." };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON event per line: progress, then done or error." };
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "The engine's log on stderr." };

    public Command Create(CliContext cli)
    {
        var command = new Command("get", "Download an HLS stream to an MP4 right here (no host needed); re-run to resume.")
        {
            _url, _output, _headers, _parallel, _maxHeight, _remuxer, _attempts, _force, _ffmpeg, _ffprobe, _json, _verbose,
        };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        var json = r.GetValue(_json);
        int Fail(int code, string message)
        {
            if (json) Render.JsonLine(cli, new { @event = "error", exit_code = code, message });
            cli.Err.WriteLine($"nassav get: {message}");
            return code;
        }

        if (!Uri.TryCreate(r.GetValue(_url), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Fail(ExitCodes.Refused, $"'{r.GetValue(_url)}' is not an absolute http(s) URL");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in r.GetValue(_headers) ?? [])
        {
            var colon = h.IndexOf(':');
            if (colon <= 0 || h[..colon].Trim().Length == 0 || h[..colon].Any(char.IsWhiteSpace))
                return Fail(ExitCodes.Refused, $"header '{h}' is not \"Name: value\"");
            headers[h[..colon].Trim()] = h[(colon + 1)..].Trim();
        }
        if (r.GetValue(_remuxer) is not ("native" or "ffmpeg"))
            return Fail(ExitCodes.Refused, $"--remuxer must be native or ffmpeg, not '{r.GetValue(_remuxer)}'");
        var output = Path.GetFullPath(r.GetValue(_output)!);
        if (Directory.Exists(output)) return Fail(ExitCodes.Refused, $"{output} is a folder; -o names the MP4 file");
        if (File.Exists(output) && !r.GetValue(_force)) return Fail(ExitCodes.Refused, $"{output} exists (--force overwrites it)");
        var outputFolder = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(outputFolder)) return Fail(ExitCodes.Refused, $"folder {outputFolder} does not exist");
        var parts = output + PartsSuffix;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{HlsEngineOptions.Section}:Parallelism"] = r.GetValue(_parallel).ToString(CultureInfo.InvariantCulture),
            [$"{HlsEngineOptions.Section}:Attempts"] = r.GetValue(_attempts).ToString(CultureInfo.InvariantCulture),
            [$"{HlsEngineOptions.Section}:Remuxer"] = r.GetValue(_remuxer) == "ffmpeg" ? "Ffmpeg" : "Native",
            ["Media:FfmpegPath"] = r.GetValue(_ffmpeg) ?? "ffmpeg",
            ["Media:FfprobePath"] = r.GetValue(_ffprobe) ?? "ffprobe",
        }).Build();
        var verbose = r.GetValue(_verbose);
        await using var services = new ServiceCollection()
            .AddLogging(l =>
            {
                if (!verbose) return;
                // The log goes to stderr so stdout stays the progress (or JSON) a script reads.
                l.AddSimpleConsole(c => { c.TimestampFormat = "HH:mm:ss.fff "; c.SingleLine = true; });
                l.AddFilter("System.Net.Http", LogLevel.Warning);
                l.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            })
            .AddHlsEngine(configuration)
            .BuildServiceProvider();
        IHlsDownloader engine;
        try
        {
            _ = services.GetRequiredService<IOptions<HlsEngineOptions>>().Value;
            engine = services.GetRequiredService<IHlsDownloader>();
        }
        catch (OptionsValidationException ex)
        {
            return Fail(ExitCodes.Refused, string.Join("; ", ex.Failures).Replace("Parallelism", "--parallel", StringComparison.Ordinal).Replace("Attempts", "--attempts", StringComparison.Ordinal));
        }

        var view = new ProgressView(cli, quiet: json);
        var name = Path.GetFileName(output);
        var reporter = new Reporter(cli, view, name, json);
        HlsDownloadResult result;
        try
        {
            result = await view.RunAsync(() => engine.DownloadAsync(new HlsDownloadRequest(url, parts, headers, r.GetValue(_maxHeight)), reporter, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Fail(ExitCodes.Interrupted, "interrupted" + Leftovers(parts));
        }
        catch (HlsDownloadException ex)
        {
            var code = ex.Kind switch
            {
                HlsFailure.BadRequest => ExitCodes.Refused,
                HlsFailure.UnsupportedStream => ExitCodes.Unsupported,
                HlsFailure.DiskSpace => ExitCodes.NoSpace,
                HlsFailure.Remux => ExitCodes.RemuxFailed,
                _ => ExitCodes.Failed,
            };
            return Fail(code, ex.Message + Leftovers(parts));
        }

        File.Move(result.Mp4Path, output, overwrite: true);
        FolderRemoval.DeleteTree(parts);
        if (json)
            Render.JsonLine(cli, new
            {
                @event = "done", output, bytes = result.Size, duration_seconds = Math.Round(result.Duration.TotalSeconds, 3),
                segments = result.Segments, remuxer = result.Remuxer,
            });
        else
            cli.Line(string.Create(CultureInfo.InvariantCulture,
                $"saved {output}: {ProgressFormat.Bytes(result.Size)}, {result.Duration.TotalSeconds:0.##} s, {result.Segments} segments, {result.Remuxer} remux"));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// After a failure: "; 3 segment(s) kept in X: the same command resumes", or, when nothing was fetched (a refused
    /// request, a bad URL), no parts folder left behind.
    /// </summary>
    private static string Leftovers(string parts)
    {
        var count = Directory.Exists(parts) ? Directory.EnumerateFiles(parts, "*" + SegmentPlan.Extension).Count() : 0;
        if (count > 0) return $"; {count} segment(s) kept in {parts}: the same command resumes";
        if (Directory.Exists(parts)) Directory.Delete(parts, recursive: true);
        return "";
    }

    /// <summary>The engine's progress, straight to the view (synchronous: <see cref="Progress{T}"/> could reorder reports).</summary>
    private sealed class Reporter(CliContext cli, ProgressView view, string name, bool json) : IProgress<HlsProgress>
    {
        private bool _first = true;

        public void Report(HlsProgress p)
        {
            if (_first)
            {
                _first = false;
                if (p.SegmentsDone > 0 && !json)
                    cli.Err.WriteLine($"resuming: {p.SegmentsDone} of {p.SegmentsTotal} segments already on disk");
            }
            var phase = p.Phase == HlsPhase.Merge ? "merge" : "download";
            var detail = p.Phase == HlsPhase.Merge
                ? $"{p.SegmentsTotal} segments"
                : string.Join("  ", new[]
                {
                    $"{p.SegmentsDone}/{p.SegmentsTotal}",
                    ProgressFormat.Bytes(p.BytesDone) + (p.BytesTotal is { } t ? " of ~" + ProgressFormat.Bytes(t) : ""),
                    ProgressFormat.Speed(p.BytesPerSecond),
                    p.Eta is { } eta ? "ETA " + ProgressFormat.Eta(eta) : "",
                }.Where(s => s.Length > 0));
            view.Update(name, phase, p.Phase == HlsPhase.Merge ? 100 : p.Percent, detail);
            if (json)
                lock (cli.Out)
                    Render.JsonLine(cli, new
                    {
                        @event = "progress", phase, percent = p.Percent, segments_done = p.SegmentsDone, segments_total = p.SegmentsTotal,
                        bytes_done = p.BytesDone, bytes_total = p.BytesTotal, bytes_per_second = Math.Round(p.BytesPerSecond), eta_seconds = p.Eta?.TotalSeconds,
                    });
        }
    }
}
