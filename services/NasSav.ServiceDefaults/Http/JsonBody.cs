using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NasSav.ServiceDefaults.Http;

/// <summary>
/// Reads a request body as one JSON object by hand (not minimal-API binding) so that every failure is
/// the envelope: too large → 413, malformed, undecodable or not an object → 400 (the rules and messages
/// are <see cref="JsonInput"/>'s). An empty body is <c>{}</c>: the peer's views read optional fields from
/// an absent body the same way.
/// </summary>
public static class JsonBody
{
    public readonly record struct Result(JsonElement Value, IResult? Error)
    {
        public bool Ok => Error is null;
    }

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
        return JsonInput.TryParseObject(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var value, out var error)
            ? new(value, null)
            : new(default, ApiResults.Error(400, error!));
    }

    private static Result TooLarge() =>
        new(default, ApiResults.Error(413, $"请求体过大: 最大 {ApiPipeline.MaxJsonBodyBytes / 1024} KiB"));

    /// <summary>Blank, possibly after a UTF-8 byte order mark.</summary>
    private static bool IsWhitespace(MemoryStream buffer)
    {
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith(System.Text.Encoding.UTF8.Preamble)) bytes = bytes[System.Text.Encoding.UTF8.Preamble.Length..];
        foreach (var b in bytes)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }
}
