using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.Auth;

/// <summary>The configured keys (as SHA-256 digests, compared in constant time) and anonymous networks.</summary>
public sealed class ApiKeyValidator
{
    private readonly byte[][] _keyDigests;
    private readonly IPNetwork[] _anonymous;

    public ApiKeyValidator(IOptions<GatewayOptions> options)
    {
        _keyDigests = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Digest(k.Trim())).ToArray();
        _anonymous = options.Value.EffectiveAnonymousNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
    }

    /// <summary>A short, non-reversible name for a key (for rate-limit partitions and logs), or null if it is not valid.</summary>
    public string? Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        var digest = Digest(presented);
        var match = false;
        foreach (var known in _keyDigests)
            match |= CryptographicOperations.FixedTimeEquals(digest, known); // no early exit: same time for every key
        return match ? "key:" + Convert.ToHexString(digest, 0, 6).ToLowerInvariant() : null;
    }

    public bool IsAnonymous(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _anonymous)
            if (network.Contains(address)) return true;
        return false;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
