using NasSav.Media.Storage.S3;

namespace NasSav.Media.Storage;

public enum StorageKind { Folder, S3 }

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public StorageKind Kind { get; set; } = StorageKind.Folder;
    /// <summary>The bucket when <see cref="Kind"/> is S3.</summary>
    public S3Settings S3 { get; set; } = new();

    public static IEnumerable<string?> Validate(StorageOptions o) =>
        o.Kind == StorageKind.S3 ? o.S3.Validate("S3") : [];
}
