using System.Security.Cryptography;
using System.Text;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>A Lua script sent by SHA1 (EVALSHA) with its body as the fallback; create once, keep static.</summary>
public sealed class RedisScript(string name, string body)
{
    public string Name { get; } = name;
    public string Body { get; } = body;
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(body)));
}
