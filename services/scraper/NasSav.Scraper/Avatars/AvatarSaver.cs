using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NasSav.Scraper.Covers;
using NasSav.Scraper.Http;
using NasSav.Media.Storage;

namespace NasSav.Scraper.Avatars;

/// <summary>
/// Stores actor avatars under avatar/{file}: the URL's last path segment when it is a safe file name
/// (as the peer's 305_a.jpg), else a hash of the URL plus an extension. An existing file is not fetched
/// again. Failures are logged and answered with null: a missing avatar never fails a scrape.
/// </summary>
public sealed class AvatarSaver(ImageFetcher images, IMediaStore store, ILogger<AvatarSaver> logger)
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp"];

    public static string FileNameFor(string url)
    {
        var segment = "";
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri)) segment = Uri.UnescapeDataString(uri.Segments[^1]);
        var extension = Path.GetExtension(segment).ToLowerInvariant();
        if (ImageExtensions.Contains(extension) && MediaKey.TryAvatar(segment, out _)) return segment;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..20];
        return hash + (ImageExtensions.Contains(extension) ? extension : ".jpg");
    }

    /// <returns>The stored file name, or null.</returns>
    public async Task<string?> SaveAsync(string url, string client, string? referer, CancellationToken ct)
    {
        try
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
            var name = FileNameFor(url);
            var key = MediaKey.Avatar(name);
            if (await store.GetInfoAsync(key, ct) is { Size: > 0 }) return name;
            var (image, problem) = await images.GetAsync(new FetchRequest { Uri = uri, Client = client, Referer = referer }, ct);
            if (image is null)
            {
                logger.LogWarning("Avatar {Url} not stored: {Problem}", url, problem);
                return null;
            }
            using var content = new MemoryStream(image.Bytes, writable: false);
            await store.WriteAsync(key, content, ct);
            return name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            logger.LogWarning(e, "Avatar {Url} not stored", url);
            return null;
        }
    }
}
