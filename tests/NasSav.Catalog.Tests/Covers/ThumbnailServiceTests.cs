using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Thumbnails;
using NasSav.Media.Avids;
using NasSav.Media.Processes;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Tests.Covers;

public sealed class ThumbnailServiceTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("nassav-thumbsvc-");

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>A store like S3: same files, but no local paths, so ffmpeg's input must be copied out.</summary>
    private sealed class RemoteLikeStore(IMediaStore inner) : IMediaStore
    {
        public int Reads;
        public Task<MediaInfo?> GetInfoAsync(MediaKey key, CancellationToken ct = default) => inner.GetInfoAsync(key, ct);
        public Task<Stream?> OpenReadAsync(MediaKey key, CancellationToken ct = default) { Interlocked.Increment(ref Reads); return inner.OpenReadAsync(key, ct); }
        public Task<MediaInfo> WriteAsync(MediaKey key, Stream content, CancellationToken ct = default) => inner.WriteAsync(key, content, ct);
        public Task<bool> DeleteAsync(MediaKey key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
        public IAsyncEnumerable<MediaInfo> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
        public string? TryGetLocalPath(MediaKey key) => null;
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    [Fact]
    public async Task A_store_without_local_paths_gets_its_thumbnail_through_a_temporary_copy()
    {
        var folder = new FolderMediaStore(_root.FullName);
        var store = new RemoteLikeStore(folder);
        var avid = Avid.Parse("S3-1");
        await TestMedia.MakeImageAsync(Path.Combine(_root.FullName, "cover", "S3-1.webp"), 900, 300);
        var cover = (await folder.GetInfoAsync(MediaKey.Cover(avid, ".webp")))!;
        var service = new ThumbnailService(store, new FfmpegThumbnailer(Options.Create(new MediaToolOptions())), new Lifetime(),
            NullLogger<ThumbnailService>.Instance);

        var thumbnail = await service.GetOrCreateAsync(avid, cover, ThumbnailSize.Medium);

        Assert.NotNull(thumbnail);
        Assert.Equal(MediaKey.Thumbnail(ThumbnailSize.Medium, avid), thumbnail.Key);
        Assert.Equal(1, store.Reads);
        Assert.Equal((600, 200), await TestMedia.ProbeAsync(Path.Combine(_root.FullName, "thumbnails", "medium", "S3-1.jpg")));
        // Nothing but the thumbnail was left in the store (no temp or partial files).
        var keys = new List<string>();
        await foreach (var item in folder.ListAsync("thumbnails")) keys.Add(item.Key.Value);
        Assert.Equal(["thumbnails/medium/S3-1.jpg"], keys);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.FullName, "thumbnails", "medium"), "*.partial"));
    }
}
