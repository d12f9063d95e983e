using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace NasSav.Media.Storage.S3;

/// <summary>What a bucket holds under a key (the key without the settings' prefix).</summary>
public sealed record S3Entry(string Key, long Size, DateTimeOffset LastModified);

/// <summary>
/// One bucket through the Minio client: existence, stat, upload (single PUT or multipart), delete. Two parts go
/// around it, each for a recorded reason (docs/operations.md, "S3 and Minio"): reads are plain HTTP GETs of a URL
/// Minio presigns, because Minio 7.0.0 rejects every 206 answer to a ranged GET (PartialContentException) and hands
/// out the body only inside a callback; listings use AWSSDK.S3, because Minio finds no object in a listing whose XML
/// namespace differs from AWS's (s3rver's does).
/// </summary>
public sealed class S3Bucket : IDisposable
{
    private static readonly TimeSpan PresignedLifetime = TimeSpan.FromMinutes(10);

    private readonly S3Settings _settings;
    private readonly IMinioClient _minio;
    private readonly AmazonS3Client _listing;
    private readonly HttpClient _http;
    private readonly string _prefix;

    /// <param name="timeout">Per request (connect, headers, a part); a read's body streams without a deadline.</param>
    public S3Bucket(S3Settings settings, TimeSpan timeout)
    {
        _settings = settings;
        _prefix = settings.KeyPrefix;
        var endpoint = new Uri(string.IsNullOrWhiteSpace(settings.ServiceUrl) ? "https://s3.amazonaws.com" : settings.ServiceUrl);
        var region = settings.Region ?? "us-east-1";
        _minio = new MinioClient()
            .WithEndpoint(endpoint.Host, endpoint.Port)
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .WithCredentials(settings.AccessKey, settings.SecretKey)
            .WithRegion(region)
            .WithTimeout((int)timeout.TotalMilliseconds)
            .Build();
        var config = new AmazonS3Config { ForcePathStyle = settings.ForcePathStyle, Timeout = timeout, MaxErrorRetry = 0 };
        if (string.IsNullOrWhiteSpace(settings.ServiceUrl))
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        else
        {
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = region;
        }
        _listing = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = timeout, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Name => _settings.Bucket!;

    /// <summary>s3://bucket/prefix/</summary>
    public string Describe() => $"s3://{Name}/{_prefix}";

    /// <summary>Where an object is, path-style: /bucket/prefix/key.</summary>
    public string PathOf(string key) => $"/{Name}/{_prefix}{key}";

    /// <summary>Creates the bucket when it is missing and the settings allow it.</summary>
    public async Task EnsureExistsAsync(CancellationToken ct)
    {
        if (!_settings.CreateBucket || await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(Name), ct)) return;
        try
        {
            await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(Name).WithLocation(_settings.Region ?? "us-east-1"), ct);
        }
        catch (MinioException)
        {
            // Another instance may have made it in between.
            if (!await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(Name), ct)) throw;
        }
    }

    /// <returns>Null when there is no such object (or no such bucket).</returns>
    public async Task<S3Entry?> StatAsync(string key, CancellationToken ct)
    {
        try
        {
            var stat = await _minio.StatObjectAsync(new StatObjectArgs().WithBucket(Name).WithObject(_prefix + key), ct);
            // Minio parses Last-Modified into local time.
            return new S3Entry(key, stat.Size, new DateTimeOffset(stat.LastModified.ToUniversalTime()));
        }
        catch (Exception e) when (e is ObjectNotFoundException or BucketNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The object's bytes from <paramref name="offset"/> (<paramref name="length"/> of them, or to the end), streamed;
    /// null when there is no such object. A range past the end is an empty stream.
    /// </summary>
    public async Task<Stream?> OpenReadAsync(string key, long offset, long? length, CancellationToken ct)
    {
        if (length == 0) return await StatAsync(key, ct) is null ? null : Stream.Null;
        var url = await _minio.PresignedGetObjectAsync(new PresignedGetObjectArgs().WithBucket(Name).WithObject(_prefix + key)
            .WithExpiry((int)PresignedLifetime.TotalSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var ranged = offset > 0 || length is not null;
        if (ranged) request.Headers.Range = new(offset, length is { } l ? offset + l - 1 : null);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                // Disposing the body stream ends the response (and frees the connection).
                var body = await response.Content.ReadAsStreamAsync(ct);
                if (!ranged) return body;
                // Never more than was asked: a server may answer a range with more (s3rver gives the whole object for
                // bytes=0-0, as a 206) or ignore it (a 200 with the whole object).
                var start = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.From ?? offset : 0;
                await SliceStream.SkipAsync(body, Math.Max(0, offset - start), ct);
                return new SliceStream(body, length);
            case HttpStatusCode.NotFound:
                response.Dispose();
                return null;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                response.Dispose();
                return Stream.Null;
            default:
                var error = await response.Content.ReadAsStringAsync(ct);
                response.Dispose();
                throw new IOException($"GET {Describe()}{key}: HTTP {(int)response.StatusCode} {error[..Math.Min(error.Length, 300)]}");
        }
    }

    /// <summary>
    /// Uploads <paramref name="size"/> bytes of <paramref name="content"/> (a single PUT, or a multipart upload for a
    /// large object); the object appears whole or not at all.
    /// </summary>
    public async Task PutAsync(string key, Stream content, long size, string contentType, IReadOnlyDictionary<string, string>? metadata,
        CancellationToken ct)
    {
        var args = new PutObjectArgs().WithBucket(Name).WithObject(_prefix + key)
            .WithStreamData(content).WithObjectSize(size).WithContentType(contentType);
        if (metadata is { Count: > 0 })
            args = args.WithHeaders(metadata.ToDictionary(m => "x-amz-meta-" + m.Key, m => m.Value));
        await _minio.PutObjectAsync(args, ct);
    }

    public Task DeleteAsync(string key, CancellationToken ct) =>
        _minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Name).WithObject(_prefix + key), ct);

    /// <summary>Every object under <paramref name="prefix"/> (relative to the settings' prefix).</summary>
    public async IAsyncEnumerable<S3Entry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = Name, Prefix = _prefix + prefix };
        ListObjectsV2Response response;
        do
        {
            try
            {
                response = await _listing.ListObjectsV2Async(request, ct);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                yield break;
            }
            foreach (var o in response.S3Objects ?? [])
                yield return new S3Entry(o.Key[_prefix.Length..], o.Size ?? 0,
                    new DateTimeOffset((o.LastModified ?? DateTime.UnixEpoch).ToUniversalTime()));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
    }

    public void Dispose()
    {
        _minio.Dispose();
        _listing.Dispose();
        _http.Dispose();
    }
}
