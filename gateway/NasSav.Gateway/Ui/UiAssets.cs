using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace NasSav.Gateway.Ui;

/// <summary>
/// Our web UI's files, embedded in this assembly (logical names <c>ui/...</c>, see the csproj): loaded once,
/// each with its content type and a strong ETag from its SHA-256, so a reload costs 304s. Nothing to build,
/// nothing to ship beside the binaries.
/// </summary>
public sealed class UiAssets
{
    public const string ResourcePrefix = "ui/";

    public sealed record Asset(string Path, byte[] Content, string ContentType, string ETag);

    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();
    private readonly Dictionary<string, Asset> _assets;

    private UiAssets(Dictionary<string, Asset> assets) => _assets = assets;

    public IReadOnlyCollection<Asset> All => _assets.Values;

    public static UiAssets Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // MSBuild's %(RecursiveDir) uses the build machine's separator.
            var logical = name.Replace('\\', '/');
            if (!logical.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = logical[ResourcePrefix.Length..];
            var type = ContentTypes.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal)
                || type.EndsWith("json", StringComparison.Ordinal) || type.EndsWith("svg+xml", StringComparison.Ordinal))
                type += "; charset=utf-8";
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
            assets[path] = new Asset(path, content, type, etag);
        }
        return new UiAssets(assets);
    }

    /// <param name="path">Relative to the UI root, e.g. <c>js/main.js</c>; <c>""</c> is index.html.</param>
    public Asset? Find(string path) =>
        _assets.GetValueOrDefault(path.Length == 0 ? "index.html" : path);

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".js"] = "text/javascript"; // RFC 9239; module scripts need a JavaScript type
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        return provider;
    }
}
