using System.Text;
using NasSav.ServiceDefaults.Avids;
using NasSav.ServiceDefaults.Storage;

namespace NasSav.ServiceDefaults.Tests.Storage;

public sealed class FolderMediaStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nassav-store-").FullName;
    private readonly FolderMediaStore _store;

    public FolderMediaStoreTests() => _store = new FolderMediaStore(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Write_read_list_delete_round_trip()
    {
        var key = MediaKey.Cover(Avid.Parse("ABC-1"));
        var info = await _store.WriteAsync(key, new MemoryStream(Encoding.UTF8.GetBytes("jpeg")));
        Assert.Equal(4, info.Size);
        Assert.Equal(Path.Combine(_root, "cover", "ABC-1.jpg"), _store.TryGetLocalPath(key));

        await using (var read = await _store.OpenReadAsync(key))
        {
            Assert.NotNull(read);
            Assert.Equal("jpeg", await new StreamReader(read).ReadToEndAsync());
        }
        var listed = await _store.ListAsync("cover").ToListAsync();
        Assert.Equal([key], listed.Select(i => i.Key));

        Assert.True(await _store.DeleteAsync(key));
        Assert.False(await _store.DeleteAsync(key));
        Assert.Null(await _store.GetInfoAsync(key));
        Assert.Null(await _store.OpenReadAsync(key));
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_a_file_nor_a_temporary()
    {
        var key = MediaKey.Video(Avid.Parse("ABC-2"));
        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync(key, new FailingStream()));
        Assert.Null(await _store.GetInfoAsync(key));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "video")));
    }

    [Fact]
    public async Task Overwrite_replaces_the_content_atomically()
    {
        var key = MediaKey.Avatar("1.jpg");
        await _store.WriteAsync(key, new MemoryStream([1, 2, 3]));
        await _store.WriteAsync(key, new MemoryStream([9]));
        Assert.Equal(1, (await _store.GetInfoAsync(key))!.Size);
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream() : base(new byte[100]) { }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position > 10 ? throw new IOException("disk gone") : base.ReadAsync(buffer[..11], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
