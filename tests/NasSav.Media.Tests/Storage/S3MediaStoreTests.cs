using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Hosting;
using NasSav.Media.Storage;
using NasSav.Media.Storage.S3;
using NasSav.Testing;

namespace NasSav.Media.Tests.Storage;

/// <summary>The media store on a bucket of the test s3rver (Minio for objects, AWSSDK.S3 for listings).</summary>
public sealed class S3MediaStoreTests : MediaStoreContract
{
    private S3Settings _settings = null!;

    protected override async Task<IMediaStore> CreateStoreAsync()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(await LocalServers.S3rverBucketAsync("S3")).Build();
        _settings = config.GetSection("S3").Get<S3Settings>()!;
        _settings.Prefix = "library";
        return new S3MediaStore(new S3Bucket(_settings, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Objects_live_under_the_prefix_and_abspath_is_their_path_in_the_bucket()
    {
        var key = MediaKey.Cover(Avid.Parse("ABC-1"));
        await Store.WriteAsync(key, new MemoryStream([1, 2]));
        Assert.Null(Store.TryGetLocalPath(key));
        Assert.Equal($"/{_settings.Bucket}/library/cover/ABC-1.jpg", Store.Locate(key));

        using var aws = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"),
            new AmazonS3Config { ServiceURL = _settings.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        using var head = await aws.GetObjectAsync(_settings.Bucket, "library/cover/ABC-1.jpg");
        Assert.Equal("image/jpeg", head.Headers.ContentType);
        Assert.Equal(2, head.ContentLength);
    }

    [Fact]
    public async Task A_video_larger_than_one_part_goes_up_in_parts_and_comes_back_byte_for_byte()
    {
        var key = MediaKey.Video(Avid.Parse("BIG-1"));
        var bytes = new byte[12 * 1024 * 1024 + 17];
        new Random(3).NextBytes(bytes);
        var info = await Store.WriteAsync(key, new MemoryStream(bytes));
        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(bytes, await ReadAllAsync(await Store.OpenReadAsync(key)));
        Assert.Equal(bytes[^100..], await ReadAllAsync(await Store.OpenReadAsync(key, bytes.Length - 100, 100)));
    }

    [Fact]
    public async Task Reading_from_a_bucket_that_does_not_exist_yet_finds_nothing()
    {
        var key = MediaKey.Cover(Avid.Parse("ABC-9"));
        Assert.Null(await Store.GetInfoAsync(key));
        Assert.Null(await Store.OpenReadAsync(key));
        Assert.Empty(await Store.ListAsync("cover").ToListAsync());
        Assert.False(await Store.DeleteAsync(key));
    }

    [Fact]
    public async Task Storage_Kind_S3_makes_the_modules_use_the_bucket()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        var settings = await LocalServers.S3rverBucketAsync("Storage:S3");
        settings["Storage:Kind"] = "S3";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddNasSavDefaults("test");
        builder.Services.AddNasSavMediaStore(builder.Configuration);
        builder.Services.AddNasSavMediaStore(builder.Configuration); // a second module of the same host
        await using var app = builder.Build();
        Assert.IsType<S3MediaStore>(app.Services.GetRequiredService<IMediaStore>());
    }

    [Fact]
    public void Storage_Kind_S3_without_a_bucket_or_keys_stops_the_host_with_the_keys_named()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Kind"] = "S3", ["Storage:S3:ServiceUrl"] = "minio:9000" });
        builder.AddNasSavDefaults("test");
        builder.Services.AddNasSavMediaStore(builder.Configuration);
        using var app = builder.Build();
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("S3:Bucket is required", error.Message);
        Assert.Contains("S3:ServiceUrl 'minio:9000' is not an absolute http(s) URL", error.Message);
        Assert.Contains("S3:AccessKey and S3:SecretKey are required", error.Message);
    }
}
