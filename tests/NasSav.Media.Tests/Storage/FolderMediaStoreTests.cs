using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Media.Tests.Storage;

public sealed class FolderMediaStoreTests : MediaStoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("nassav-store-").FullName;

    protected override Task<IMediaStore> CreateStoreAsync() => Task.FromResult<IMediaStore>(new FolderMediaStore(_root));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Files_live_under_the_root_and_abspath_is_their_absolute_path()
    {
        var key = MediaKey.Cover(Avid.Parse("ABC-1"));
        await Store.WriteAsync(key, new MemoryStream([1, 2]));
        var path = Path.Combine(_root, "cover", "ABC-1.jpg");
        Assert.Equal(path, Store.TryGetLocalPath(key));
        Assert.Equal(path, Store.Locate(key));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_temporary_either()
    {
        var key = MediaKey.Video(Avid.Parse("ABC-2"));
        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(key, new ThrowingStream()));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "video")));
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("disk gone");
    }
}
