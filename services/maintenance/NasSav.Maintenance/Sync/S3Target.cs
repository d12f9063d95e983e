using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace NasSav.Maintenance.Sync;

/// <summary>
/// An S3 bucket (AWS, MinIO, s3rver). Uploads are single PUTs with UseChunkEncoding off: over plain HTTP the SDK's
/// aws-chunked framing is stored verbatim by some servers (s3rver), corrupting the object.
/// </summary>
public sealed class S3Target : ISyncTarget
{
    private readonly AmazonS3Client _client;
    private readonly S3TargetOptions _options;
    private readonly string _prefix;

    public S3Target(S3TargetOptions options, TimeSpan timeout, int retries)
    {
        _options = options;
        _prefix = options.Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = timeout,
            MaxErrorRetry = retries,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1");
        }
        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey ?? "", options.SecretKey ?? ""), config);
    }

    public string Describe() => $"s3://{_options.Bucket}/{_prefix}";

    public async Task PrepareAsync(CancellationToken ct)
    {
        if (!_options.CreateBucket) return;
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, ct);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || ex.StatusCode == HttpStatusCode.Conflict) { }
    }

    public async Task<Dictionary<string, TargetEntry>> ListAsync(CancellationToken ct)
    {
        var entries = new Dictionary<string, TargetEntry>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _prefix };
        ListObjectsV2Response response;
        do
        {
            response = await _client.ListObjectsV2Async(request, ct);
            foreach (var o in response.S3Objects ?? [])
                entries[o.Key[_prefix.Length..]] = new TargetEntry(o.Size ?? 0, (o.LastModified ?? DateTime.MinValue).ToUniversalTime());
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return entries;
    }

    public async Task CopyAsync(string relativePath, Stream content, long size, DateTime sourceModifiedUtc, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = _prefix + relativePath,
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            DisablePayloadSigning = false,
        };
        request.Headers.ContentLength = size;
        request.Metadata["source-mtime"] = sourceModifiedUtc.ToString("o", CultureInfo.InvariantCulture);
        await _client.PutObjectAsync(request, ct);
        var head = await _client.GetObjectMetadataAsync(_options.Bucket, _prefix + relativePath, ct);
        if (head.ContentLength != size) throw new IOException($"uploaded {head.ContentLength} of {size} bytes of '{relativePath}'");
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
