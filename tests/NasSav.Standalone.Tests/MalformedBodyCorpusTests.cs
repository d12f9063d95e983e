using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace NasSav.Standalone.Tests;

/// <summary>
/// Every write endpoint of the composed host, as listed by its own OpenAPI document (so an endpoint added later is
/// covered without anyone remembering to), gets a corpus of malformed bodies: undecodable strings, wrong types, a
/// BOM, deep nesting, huge numbers, duplicate keys, NULs, broken syntax. Each answer must be the envelope with
/// HTTP status == code, below 500, and without the parser's own wording.
/// </summary>
public sealed class MalformedBodyCorpusTests() : StandaloneTest(new Dictionary<string, string?>
{
    // Hundreds of writes from one client: the rate limit would answer most of them before the handlers.
    ["Gateway:RateLimit:PermitsPerMinute"] = "0",
    // Should a body ever pass, nothing leaves the machine: sources and metadata sites on a closed port.
    ["Sources:0:Name"] = "Jable",
    ["Sources:0:Domain"] = "127.0.0.1:9",
    ["MetadataSites:0:Name"] = "JavBus",
    ["MetadataSites:0:Domain"] = "127.0.0.1:9",
})
{
    private static readonly HttpMethod[] WriteMethods = [HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete];

    /// <summary>Values for path parameters: syntactically valid, naming nothing that exists.</summary>
    private static readonly Dictionary<string, string> PathValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["avid"] = "ABC-123",
        ["id"] = "999999",
        ["name"] = "no-such-job",
    };

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Every field name some write endpoint reads, so the bad values reach the handlers' own checks too.</summary>
    private static readonly string[] Fields =
    [
        "avid", "avids", "source", "actions", "cookie", "auto", "display_title", "enable_avatar", "watched", "is_favorite",
        "refresh_m3u8", "refresh_metadata", "retranslate", "status", "dry_run", "force", "limit", "duration",
    ];

    public static IEnumerable<(string Name, byte[] Body)> Corpus()
    {
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        string Each(string value) => "{" + string.Join(",", Fields.Select(f => $"\"{f}\":{value}")) + "}";

        yield return ("lone high surrogate", U("""{"avid":"\ud800"}"""));
        yield return ("lone low surrogate", U("""{"avid":"\udc00x","source":"\udfff"}"""));
        yield return ("surrogate in every field", U(Each("\"\\ud800\"")));
        yield return ("surrogates in arrays", U("""{"avids":["\ud800"],"status":["\udbff"],"actions":[{"action":"add","avid":"\ud800"}]}"""));
        yield return ("surrogate as a flag", U("""{"refresh_m3u8":"\ud800","refresh_metadata":"\ud800","retranslate":"\ud800","auto":"\ud800"}"""));
        yield return ("surrogate in a key", U("""{"\ud800":1}"""));
        yield return ("invalid UTF-8", [.. U("{\"avid\":\""), 0xFF, 0xFE, 0xC3, .. U("\"}")]);
        yield return ("UTF-16 body", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("""{"avid":"ABC-123"}""")]);
        yield return ("objects everywhere", U(Each("{}")));
        yield return ("arrays everywhere", U(Each("[1]")));
        yield return ("numbers everywhere", U(Each("-7")));
        yield return ("booleans everywhere", U(Each("true")));
        yield return ("strings everywhere", U(Each("\"x\"")));
        yield return ("BOM and wrong types", [.. Bom, .. U(Each("{}"))]);
        yield return ("BOM and a surrogate", [.. Bom, .. U("""{"avid":"\ud800"}""")]);
        yield return ("deep arrays", U(new string('[', 200) + new string(']', 200)));
        yield return ("deep objects", U(string.Concat(Enumerable.Repeat("{\"a\":", 60)) + "1" + new string('}', 60)));
        yield return ("deep under a field", U("{\"actions\":" + new string('[', 100) + new string(']', 100) + "}"));
        yield return ("huge numbers", U(Each("1e999")));
        yield return ("huge integers", U(Each("123456789012345678901234567890")));
        yield return ("tiny and negative", U(Each("-1e-400")));
        yield return ("huge numbers in arrays", U("""{"avids":[1e309],"status":[99999999999999999999],"actions":[1e999]}"""));
        yield return ("duplicate keys", U("""{"avid":"ABC-123","avid":"ABC-124","avids":[],"avids":[]}"""));
        yield return ("duplicate nested keys", U("""{"actions":[{"action":"add","action":"delete","avid":"ABC-123"}]}"""));
        yield return ("escaped NUL", U(Each("\"a\\u0000b\"")));
        yield return ("NUL in arrays", U("""{"avids":["ABC\u0000-123"],"status":["failed\u0000"]}"""));
        yield return ("raw NUL", U("{\"avid\":\"ABC\0-123\"}"));
        yield return ("NUL after the body", U("{}\0"));
        yield return ("array body", U("[]"));
        yield return ("string body", U("\"ABC-123\""));
        yield return ("number body", U("123"));
        yield return ("null body", U("null"));
        yield return ("true body", U("true"));
        yield return ("truncated", U("{\"avid\":"));
        yield return ("unclosed string", U("{\"avid\":\"ABC-123"));
        yield return ("trailing garbage", U("{} x"));
        yield return ("two documents", U("{} {}"));
        yield return ("comment", U("{/* c */}"));
        yield return ("trailing comma", U("{\"avid\":\"ABC-123\",}"));
        yield return ("single quotes", U("{'avid':'ABC-123'}"));
        yield return ("unquoted key", U("{nope: 1}"));
        yield return ("bare word", U("nope"));
        yield return ("bad escape", U("{\"avid\":\"\\x41\"}"));
        yield return ("control character", U("{\"avid\":\"A\tB\"}"));
        yield return ("NaN", U("{\"limit\":NaN,\"duration\":Infinity}"));
    }

    [Fact]
    public async Task Every_write_endpoint_answers_every_malformed_body_with_a_client_error_envelope()
    {
        var endpoints = await WriteEndpointsAsync();
        // The document must list the known write surface, or an empty document would pass this test.
        foreach (var known in new[] { "POST /nassav/api/resource", "POST /nassav/api/resources/batch", "POST /nassav/api/downloads/batch_submit",
                     "PUT /nassav/api/setting", "POST /nassav/api/source/cookie", "POST /nassav/api/translations/retranslate",
                     "POST /nassav/api/resource/refresh/{avid}", "PATCH /nassav/api/resource/{avid}/status" })
            Assert.Contains(known, endpoints.Select(e => $"{e.Method} {e.Template}"));

        var failures = new List<string>();
        foreach (var (method, template) in endpoints)
        {
            var path = Fill(template);
            foreach (var (name, body) in Corpus())
            {
                using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await Http.SendAsync(request);
                var problem = await ProblemAsync(response);
                if (problem is not null) failures.Add($"{method} {path} [{name}]: {problem}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n{string.Join('\n', failures.Take(60))}");
    }

    [Fact]
    public async Task A_body_with_a_utf8_byte_order_mark_is_read_like_one_without()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/nassav/api/setting")
        {
            Content = new ByteArrayContent([.. Bom, .. Encoding.UTF8.GetBytes("""{"display_title":"original_title"}""")]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("original_title", doc.RootElement.GetProperty("data").GetProperty("display_title").GetString());
    }

    [Fact]
    public async Task A_syntax_error_is_named_in_plain_words()
    {
        using var response = await Http.PostAsync("/nassav/api/resource", new StringContent("{nope: 1}", Encoding.UTF8, "application/json"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, doc.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("请求体不是有效的 JSON: 第 1 行第 2 个字节附近有语法错误", doc.RootElement.GetProperty("message").GetString());
    }

    /// <summary>null when the answer is a proper client error envelope; else what is wrong with it.</summary>
    private static async Task<string?> ProblemAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500) return $"HTTP {status}: {text}";
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"HTTP {status}, not JSON: {text}";
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || !root.TryGetProperty("data", out _))
            return $"HTTP {status}, not the envelope: {text}";
        if (code.GetInt32() != status) return $"HTTP {status} but code {code.GetInt32()}: {text}";
        var words = message.GetString()!;
        foreach (var leak in new[] { "LineNumber", "BytePositionInLine", "Path: $", "is an invalid", "Expected", "Exception" })
            if (words.Contains(leak, StringComparison.Ordinal)) return $"message leaks parser internals ({leak}): {words}";
        return null;
    }

    private async Task<List<(HttpMethod Method, string Template)>> WriteEndpointsAsync()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("/openapi/v1.json"));
        var list = new List<(HttpMethod, string)>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                if (WriteMethods.FirstOrDefault(m => m.Method.Equals(operation.Name, StringComparison.OrdinalIgnoreCase)) is { } method)
                    list.Add((method, path.Name));
        return list;
    }

    private static string Fill(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)[^}]*\}",
            m => PathValues.TryGetValue(m.Groups[1].Value, out var v) ? v : "x");
}
