using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using NasSav.Testing;

namespace NasSav.Media.Tests.Storage;

/// <summary>
/// Why S3Bucket goes around the Minio client for two things (docs/operations.md, "S3 and Minio"): these record what
/// Minio 7.0.0 does on its own. When a Minio upgrade makes one of them fail, the workaround it justifies can go.
/// </summary>
public sealed class MinioOnS3rverProbe : IAsyncLifetime
{
    private IMinioClient _minio = null!;
    private readonly string _bucket = "probe-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        var url = new Uri(await LocalServers.S3rverAsync());
        _minio = new MinioClient().WithEndpoint(url.Host, url.Port).WithSSL(false)
            .WithCredentials("S3RVER", "S3RVER").WithRegion("us-east-1").Build();
        await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket));
        await _minio.PutObjectAsync(new PutObjectArgs().WithBucket(_bucket).WithObject("video/A.mp4")
            .WithStreamData(new MemoryStream(new byte[100])).WithObjectSize(100));
    }

    public Task DisposeAsync()
    {
        _minio.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Minio_7_0_0_rejects_the_206_of_a_ranged_get()
    {
        // minio-dotnet #1342 (fixed after 7.0.0, the only version served here): any S3 server, not only s3rver.
        await Assert.ThrowsAsync<PartialContentException>(() => _minio.GetObjectAsync(new GetObjectArgs()
            .WithBucket(_bucket).WithObject("video/A.mp4").WithOffsetAndLength(10, 20)
            .WithCallbackStream((_, _) => Task.CompletedTask)));
    }

    [Fact]
    public async Task Minio_finds_nothing_in_an_s3rver_listing()
    {
        // s3rver 3.7.1 answers ListObjectsV2 in the namespace http://doc.s3.amazonaws.com/2006-03-01/ (AWS:
        // http://s3.amazonaws.com/doc/2006-03-01/); Minio's parser then sees no Contents. AWSSDK.S3 reads it.
        var listed = new List<string>();
        await foreach (var item in _minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(_bucket).WithRecursive(true)))
            listed.Add(item.Key);
        Assert.Empty(listed);
    }
}
