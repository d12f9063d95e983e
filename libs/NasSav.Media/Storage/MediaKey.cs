using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using NasSav.Media.Avids;

namespace NasSav.Media.Storage;

public enum ThumbnailSize { Small, Medium, Large }

/// <summary>
/// A storage key such as <c>cover/ABC-123.jpg</c>. Keys, never raw paths, cross service boundaries;
/// the factories below are the only way to make one, so a key can never escape the media root.
/// </summary>
public readonly partial record struct MediaKey
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeFileName();

    public static readonly string[] CoverExtensions = [".jpg", ".jpeg", ".png", ".webp"];

    public string Value { get; }

    private MediaKey(string value) => Value = value;

    public static MediaKey Cover(Avid avid, string extension = ".jpg")
    {
        if (!CoverExtensions.Contains(extension)) throw new ArgumentException($"unsupported cover extension '{extension}'", nameof(extension));
        return new($"cover/{avid.Value}{extension}");
    }

    public static MediaKey SourcePage(Avid avid) => new($"cover/{avid.Value}.html");

    public static MediaKey Thumbnail(ThumbnailSize size, Avid avid) => new($"thumbnails/{size.ToString().ToLowerInvariant()}/{avid.Value}.jpg");

    public static MediaKey Video(Avid avid) => new($"video/{avid.Value}.mp4");

    public static bool TryAvatar(string? fileName, out MediaKey key)
    {
        key = default;
        if (fileName is null || !SafeFileName().IsMatch(fileName) || fileName.Contains("..")) return false;
        key = new($"avatar/{fileName}");
        return true;
    }

    public static MediaKey Avatar(string fileName) =>
        TryAvatar(fileName, out var key) ? key : throw new ArgumentException($"unsafe avatar file name '{fileName}'", nameof(fileName));

    /// <summary>A key under a prefix of ours (backups, staging); every segment must be a safe name.</summary>
    public static MediaKey Of(params string[] segments)
    {
        if (segments.Length == 0 || segments.Any(s => !SafeFileName().IsMatch(s) || s.Contains("..")))
            throw new ArgumentException($"unsafe key '{string.Join('/', segments)}'", nameof(segments));
        return new(string.Join('/', segments));
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public string FileName => Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The media type its extension names (image/jpeg, video/mp4 …), else application/octet-stream.</summary>
    public string ContentType => ContentTypes.TryGetContentType(FileName, out var type) ? type : "application/octet-stream";

    public override string ToString() => Value;
}
