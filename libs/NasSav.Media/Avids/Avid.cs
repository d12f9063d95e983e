using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NasSav.Media.Avids;

/// <summary>
/// A normalised AVID (e.g. <c>ABC-123</c>). The only way from user text to a key, a file name or a
/// correlation id: whatever passes here cannot traverse paths (letters, digits, single inner hyphens).
/// </summary>
public readonly partial record struct Avid
{
    public const int MaxLength = 50;

    // The peer upper-cases everything; we also trim because every UI splits input on whitespace.
    [GeneratedRegex("^[A-Z0-9]+(?:-[A-Z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    // A fixed namespace so every service derives the same saga correlation id from an AVID.
    private static readonly Guid CorrelationNamespace = new("5f3c1d2e-8b7a-4c59-9e61-0a4d3b2c1f7e");

    private readonly string? _value;

    private Avid(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("default(Avid) has no value");

    public static bool TryParse([NotNullWhen(true)] string? raw, out Avid avid, [NotNullWhen(false)] out string? error)
    {
        avid = default;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "avid 不能为空";
            return false;
        }
        var candidate = raw.Trim().ToUpperInvariant();
        if (candidate.Length > MaxLength)
        {
            error = $"avid 长度不能超过 {MaxLength} 个字符";
            return false;
        }
        if (!Pattern().IsMatch(candidate))
        {
            error = $"avid 格式无效: 只允许字母、数字和单个连字符 (如 ABC-123)";
            return false;
        }
        avid = new Avid(candidate);
        error = null;
        return true;
    }

    public static Avid Parse(string raw) =>
        TryParse(raw, out var avid, out var error) ? avid : throw new FormatException(error);

    /// <summary>UUIDv5 (RFC 9562) of the normalised AVID in NasSav's namespace.</summary>
    public Guid CorrelationId => Uuid5(CorrelationNamespace, Value);

    public override string ToString() => Value;

    internal static Guid Uuid5(Guid ns, string name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        ns.TryWriteBytes(nsBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nsBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what UUIDv5 is defined with; not used for security.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
