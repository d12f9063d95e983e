using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Media.Processes;

/// <summary>
/// The <c>Media</c> section for a module that runs ffmpeg or ffprobe: validated, with bare tool names resolved once
/// to an absolute path on PATH (never the working directory), and a missing tool reported when the host starts
/// rather than at the first thumbnail or download.
/// </summary>
public static class MediaTools
{
    public static IServiceCollection AddMediaTools(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ImplementationType == typeof(MediaToolCheck))) return services; // catalog and downloader in one host
        services.AddValidatedOptions<MediaToolOptions>(configuration, MediaToolOptions.Section, MediaToolOptions.Validate);
        services.PostConfigure<MediaToolOptions>(o =>
        {
            o.FfmpegPath = ExecutableLocator.Find(o.FfmpegPath) ?? o.FfmpegPath;
            o.FfprobePath = ExecutableLocator.Find(o.FfprobePath) ?? o.FfprobePath;
        });
        services.AddHostedService<MediaToolCheck>();
        return services;
    }

    /// <summary>Warns at start about a tool that is not there; the host still runs (thumbnails and remux then fail with the same words).</summary>
    private sealed class MediaToolCheck(IOptions<MediaToolOptions> options, ILogger<MediaToolCheck> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            foreach (var (tool, path, key) in new[] { ("ffmpeg", o.FfmpegPath, nameof(o.FfmpegPath)), ("ffprobe", o.FfprobePath, nameof(o.FfprobePath)) })
            {
                if (Path.IsPathFullyQualified(path) && ExecutableLocator.Find(path) is not null) continue;
                log.LogWarning("{Tool} is not available: {Reason}. Thumbnails and downloads that need it will fail; install ffmpeg or set {Section}:{Key}",
                    tool, ExecutableLocator.NotFoundMessage(path), MediaToolOptions.Section, key);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
