using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>A stable ETag for a JSON answer: md5 of its serialisation with keys sorted (as the peer's sort_keys=True).</summary>
public static class CanonicalJson
{
    public static string ETag(object data)
    {
        var node = JsonSerializer.SerializeToNode(data, ApiResults.Json);
        var text = Sort(node)?.ToJsonString(ApiResults.Json) ?? "null";
#pragma warning disable CA5351 // md5 is the peer's ETag scheme; a cache validator, not security.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5351
        return "\"" + Convert.ToHexStringLower(hash) + "\"";
    }

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
