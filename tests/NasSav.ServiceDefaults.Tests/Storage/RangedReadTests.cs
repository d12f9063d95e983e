using NasSav.ServiceDefaults.Avids;
using NasSav.ServiceDefaults.Storage;

namespace NasSav.ServiceDefaults.Tests.Storage;

/// <summary>IMediaStore.OpenReadAsync(key, offset, length): the folder store's seek and the interface's default.</summary>
public sealed class RangedReadTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nassav-range-").FullName;
    private readonly FolderMediaStore _folder;
    private readonly byte[] _bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
    private readonly MediaKey _key = MediaKey.Video(Avid.Parse("RNG-1"));

    public RangedReadTests() => _folder = new FolderMediaStore(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A store that only has the interface's members (a remote store before it learns ranged reads).</summary>
    private sealed class PlainStore(IMediaStore inner, bool seekable) : IMediaStore
    {
        public Task<MediaInfo?> GetInfoAsync(MediaKey key, CancellationToken ct = default) => inner.GetInfoAsync(key, ct);
        public async Task<Stream?> OpenReadAsync(MediaKey key, CancellationToken ct = default)
        {
            var stream = await inner.OpenReadAsync(key, ct);
            return stream is null || seekable ? stream : new SliceStream(stream, null); // SliceStream cannot seek
        }
        public Task<MediaInfo> WriteAsync(MediaKey key, Stream content, CancellationToken ct = default) => inner.WriteAsync(key, content, ct);
        public Task<bool> DeleteAsync(MediaKey key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
        public IAsyncEnumerable<MediaInfo> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
        public string? TryGetLocalPath(MediaKey key) => null;
    }

    private static async Task<byte[]> ReadAllAsync(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, 4096);
            return copy.ToArray();
        }
    }

    public static TheoryData<string> Stores => ["folder", "default-seekable", "default-unseekable"];

    private IMediaStore Store(string name) => name switch
    {
        "folder" => _folder,
        "default-seekable" => new PlainStore(_folder, seekable: true),
        _ => new PlainStore(_folder, seekable: false),
    };

    [Theory, MemberData(nameof(Stores))]
    public async Task A_slice_is_exactly_the_asked_bytes(string name)
    {
        await _folder.WriteAsync(_key, new MemoryStream(_bytes));
        var store = Store(name);

        Assert.Equal(_bytes[..1], await ReadAllAsync(await store.OpenReadAsync(_key, 0, 1)));
        Assert.Equal(_bytes[100_000..200_001], await ReadAllAsync(await store.OpenReadAsync(_key, 100_000, 100_001)));
        Assert.Equal(_bytes[250_000..], await ReadAllAsync(await store.OpenReadAsync(_key, 250_000, null)));
        // Asking past the end gives what is there, never an error.
        Assert.Equal(_bytes[299_990..], await ReadAllAsync(await store.OpenReadAsync(_key, 299_990, 1_000)));
        Assert.Empty(await ReadAllAsync(await store.OpenReadAsync(_key, 400_000, 10)));
        Assert.Empty(await ReadAllAsync(await store.OpenReadAsync(_key, 5, 0)));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_missing_file_is_null_and_a_negative_slice_is_refused(string name)
    {
        var store = Store(name);
        Assert.Null(await store.OpenReadAsync(_key, 10, 10));
        await _folder.WriteAsync(_key, new MemoryStream(_bytes));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.OpenReadAsync(_key, -1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.OpenReadAsync(_key, 0, -1));
    }
}
