using System.Text;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Media.Tests.Storage;

/// <summary>What every <see cref="IMediaStore"/> does, run on the folder store and on S3 (s3rver).</summary>
public abstract class MediaStoreContract : IAsyncLifetime
{
    private readonly byte[] _bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
    private readonly MediaKey _video = MediaKey.Video(Avid.Parse("RNG-1"));

    protected IMediaStore Store { get; private set; } = null!;

    protected abstract Task<IMediaStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    protected static async Task<byte[]> ReadAllAsync(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, 4096);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task Write_read_list_delete_round_trip()
    {
        var key = MediaKey.Cover(Avid.Parse("ABC-1"));
        var info = await Store.WriteAsync(key, new MemoryStream(Encoding.UTF8.GetBytes("jpeg")));
        Assert.Equal(4, info.Size);
        Assert.Equal(info, await Store.GetInfoAsync(key));

        await using (var read = await Store.OpenReadAsync(key))
        {
            Assert.NotNull(read);
            Assert.Equal("jpeg", await new StreamReader(read).ReadToEndAsync());
        }
        await Store.WriteAsync(MediaKey.Video(Avid.Parse("ABC-1")), new MemoryStream([1]));
        var listed = await Store.ListAsync("cover").ToListAsync();
        Assert.Equal([key], listed.Select(i => i.Key));

        Assert.True(await Store.DeleteAsync(key));
        Assert.False(await Store.DeleteAsync(key));
        Assert.Null(await Store.GetInfoAsync(key));
        Assert.Null(await Store.OpenReadAsync(key));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_file()
    {
        var key = MediaKey.Video(Avid.Parse("ABC-2"));
        await Assert.ThrowsAnyAsync<IOException>(() => Store.WriteAsync(key, new FailingStream()));
        Assert.Null(await Store.GetInfoAsync(key));
        Assert.Empty(await Store.ListAsync("video").ToListAsync());
    }

    [Fact]
    public async Task Overwrite_replaces_the_content()
    {
        var key = MediaKey.Avatar("1.jpg");
        await Store.WriteAsync(key, new MemoryStream([1, 2, 3]));
        await Store.WriteAsync(key, new MemoryStream([9]));
        Assert.Equal(1, (await Store.GetInfoAsync(key))!.Size);
        Assert.Equal([9], await ReadAllAsync(await Store.OpenReadAsync(key)));
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        var key = MediaKey.Avatar("2.jpg");
        var info = await Store.WriteAsync(key, new SliceStream(new MemoryStream(_bytes), null));
        Assert.Equal(_bytes.Length, info.Size);
        Assert.Equal(_bytes, await ReadAllAsync(await Store.OpenReadAsync(key)));
    }

    [Fact]
    public async Task A_slice_is_exactly_the_asked_bytes()
    {
        await Store.WriteAsync(_video, new MemoryStream(_bytes));

        Assert.Equal(_bytes[..1], await ReadAllAsync(await Store.OpenReadAsync(_video, 0, 1)));
        Assert.Equal(_bytes[100_000..200_001], await ReadAllAsync(await Store.OpenReadAsync(_video, 100_000, 100_001)));
        Assert.Equal(_bytes[250_000..], await ReadAllAsync(await Store.OpenReadAsync(_video, 250_000, null)));
        // Asking past the end gives what is there, never an error.
        Assert.Equal(_bytes[299_990..], await ReadAllAsync(await Store.OpenReadAsync(_video, 299_990, 1_000)));
        Assert.Empty(await ReadAllAsync(await Store.OpenReadAsync(_video, 400_000, 10)));
        Assert.Empty(await ReadAllAsync(await Store.OpenReadAsync(_video, 5, 0)));
    }

    [Fact]
    public async Task A_missing_file_is_null_and_a_negative_slice_is_refused()
    {
        Assert.Null(await Store.OpenReadAsync(_video, 10, 10));
        Assert.Null(await Store.OpenReadAsync(_video, 0, 0));
        await Store.WriteAsync(_video, new MemoryStream(_bytes));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync(_video, -1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync(_video, 0, -1));
    }

    [Fact]
    public async Task Move_in_takes_a_local_file_and_removes_it()
    {
        var local = Path.Combine(Directory.CreateTempSubdirectory("nassav-movein-").FullName, "done.mp4");
        await File.WriteAllBytesAsync(local, _bytes);
        var info = await Store.MoveInAsync(_video, local);
        Assert.Equal(_bytes.Length, info.Size);
        Assert.False(File.Exists(local));
        Assert.Equal(_bytes, await ReadAllAsync(await Store.OpenReadAsync(_video)));
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream() : base(new byte[100]) { }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position > 10 ? throw new IOException("disk gone") : base.ReadAsync(buffer[..11], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override int Read(byte[] buffer, int offset, int count) =>
            Position > 10 ? throw new IOException("disk gone") : base.Read(buffer, offset, Math.Min(count, 11));
    }
}
