using NasSav.Scraper.Http;

namespace NasSav.Scraper.Covers;

public sealed record FetchedImage(byte[] Bytes, string Extension);

/// <summary>Downloads an image fully into memory and accepts it only if it is one (so nothing invalid is ever stored).</summary>
public sealed class ImageFetcher(ScraperHttp http)
{
    public const string ImageAccept = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8";

    /// <returns>The image, or null with the reason.</returns>
    public async Task<(FetchedImage? Image, string? Problem)> GetAsync(FetchRequest request, CancellationToken ct)
    {
        var result = await http.GetAsync(request with { Accept = ImageAccept }, ct);
        if (!result.IsSuccess) return (null, result.Describe());
        var problem = Check(result.Body, result.ContentType, out var extension);
        return problem is null ? (new FetchedImage(result.Body, extension), null) : (null, problem);
    }

    /// <summary>Null when <paramref name="bytes"/> is a non-empty image (by magic bytes, or an image/* type that is not text).</summary>
    public static string? Check(byte[] bytes, string? contentType, out string extension)
    {
        extension = ".jpg";
        if (bytes.Length == 0) return "empty answer";
        var sniffed = Sniff(bytes);
        if (sniffed is not null)
        {
            extension = sniffed;
            return null;
        }
        if (contentType is not null && contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !LooksLikeText(bytes))
            return null;
        return $"not an image ({contentType ?? "no content type"})";
    }

    private static string? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ".jpg";
        if (b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ".png";
        if (b.Length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return ".gif";
        if (b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return ".webp";
        if (b.Length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p' && b[8] == 'a' && b[9] == 'v' && b[10] == 'i') return ".avif";
        if (b.Length >= 2 && b[0] == 'B' && b[1] == 'M') return ".bmp";
        return null;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> b)
    {
        foreach (var c in b[..Math.Min(b.Length, 64)])
        {
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) continue;
            return c is (byte)'<' or (byte)'{' or (byte)'[';
        }
        return true;
    }
}
