namespace NasSav.Media.Storage.S3;

/// <summary>An S3 bucket (AWS, MinIO, s3rver): <c>Storage:S3</c> for the media store, <c>Maintenance:Sync:{name}:S3</c> for a sync target.</summary>
public sealed class S3Settings
{
    /// <summary>MinIO or another S3-compatible endpoint (http://minio:9000); empty: AWS by region.</summary>
    public string? ServiceUrl { get; set; }
    public string? Region { get; set; } = "us-east-1";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string? Bucket { get; set; }
    /// <summary>Key prefix inside the bucket, e.g. "nassav/".</summary>
    public string Prefix { get; set; } = "";
    /// <summary>Path-style addressing for listings (MinIO, s3rver); virtual-hosted style otherwise.</summary>
    public bool ForcePathStyle { get; set; } = true;
    /// <summary>Create the bucket when it does not exist.</summary>
    public bool CreateBucket { get; set; } = true;

    /// <summary>The prefix as stored before each key: empty, or ending in one '/'.</summary>
    public string KeyPrefix => Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";

    public IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Bucket)) yield return $"{key}:Bucket is required";
        if (!string.IsNullOrWhiteSpace(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            yield return $"{key}:ServiceUrl '{ServiceUrl}' is not an absolute http(s) URL";
        if (string.IsNullOrWhiteSpace(AccessKey) || string.IsNullOrWhiteSpace(SecretKey))
            yield return $"{key}:AccessKey and {key}:SecretKey are required";
    }
}
