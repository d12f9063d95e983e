using NasSav.Media.Storage;

namespace NasSav.Media.Tests.Storage;

/// <summary>
/// The interface's default members (ranged reads by skipping, move-in by copying) on a store that only has the
/// required ones, over a folder whose streams can seek or not: the whole store contract.
/// </summary>
public abstract class DefaultMembersTests(bool seekable) : MediaStoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("nassav-range-").FullName;

    protected override Task<IMediaStore> CreateStoreAsync() => Task.FromResult<IMediaStore>(new PlainStore(new FolderMediaStore(_root), seekable));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A store that only has the interface's required members (a remote store before it learns ranged reads).</summary>
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
}

public sealed class DefaultMembersOnSeekableStreamsTests() : DefaultMembersTests(seekable: true);

public sealed class DefaultMembersOnUnseekableStreamsTests() : DefaultMembersTests(seekable: false);
