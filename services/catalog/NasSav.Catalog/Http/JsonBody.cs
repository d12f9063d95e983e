using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// Reads a request body as one JSON object by hand (not minimal-API binding) so that every failure is
/// the envelope: too large → 413, malformed → 400, not an object → 400. An empty body is <c>{}</c>:
/// the peer's views read optional fields from an absent body the same way.
/// </summary>
public static class JsonBody
{
    public readonly record struct Result(JsonElement Value, IResult? Error)
    {
        public bool Ok => Error is null;
    }

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<Result> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var limit = ApiPipeline.MaxJsonBodyBytes;
        if (request.ContentLength > limit) return TooLarge();

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) return TooLarge();
        }

        if (buffer.Length == 0 || IsWhitespace(buffer)) return new(EmptyObject(), null);
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray(), Options);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return new(default, ApiResults.Error(400, "请求体必须是 JSON 对象"));
            return new(doc.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return new(default, ApiResults.Error(400, $"请求体不是有效的 JSON: {ex.Message}"));
        }
    }

    private static Result TooLarge() =>
        new(default, ApiResults.Error(413, $"请求体过大: 最大 {ApiPipeline.MaxJsonBodyBytes / 1024} KiB"));

    private static bool IsWhitespace(MemoryStream buffer)
    {
        foreach (var b in buffer.GetBuffer().AsSpan(0, (int)buffer.Length))
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }
}
