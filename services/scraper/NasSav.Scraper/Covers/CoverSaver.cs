using Microsoft.Extensions.Logging;
using NasSav.Scraper.Http;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Scraper.Covers;

/// <summary>One place a cover can come from, with the headers that place wants.</summary>
public sealed record CoverCandidate(string Url, string Client, string? Referer, string? Cookie, string What);

/// <summary>
/// Stores cover/{AVID}.jpg from the first candidate that gives a valid image (metadata site first, then
/// the source). The image is complete and checked in memory before the store writes it through a
/// temporary name, so a failed or broken download leaves nothing behind.
/// </summary>
public sealed class CoverSaver(ImageFetcher images, IMediaStore store, ILogger<CoverSaver> logger)
{
    public async Task<bool> SaveAsync(Avid avid, IEnumerable<CoverCandidate> candidates, CancellationToken ct)
    {
        foreach (var candidate in candidates)
        {
            if (!Uri.TryCreate(candidate.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) continue;
            var (image, problem) = await images.GetAsync(new FetchRequest
            {
                Uri = uri,
                Client = candidate.Client,
                Referer = candidate.Referer,
                Cookie = candidate.Cookie,
            }, ct);
            if (image is null)
            {
                logger.LogWarning("Cover of {Avid} from the {What} ({Url}) not stored: {Problem}", avid, candidate.What, candidate.Url, problem);
                continue;
            }
            try
            {
                using var content = new MemoryStream(image.Bytes, writable: false);
                await store.WriteAsync(MediaKey.Cover(avid), content, ct);
                logger.LogInformation("Cover of {Avid} stored from the {What} ({Bytes} bytes)", avid, candidate.What, image.Bytes.Length);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError(e, "Cover of {Avid} could not be written", avid);
                return false;
            }
        }
        return false;
    }
}
